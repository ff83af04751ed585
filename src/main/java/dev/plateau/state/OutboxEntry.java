package dev.plateau.state;

/**
 * A pending delivery of one verdict to one sink.
 *
 * @param seq the entry's number, increasing in the order entries were recorded
 * @param verdictId the verdict's stable id (the webhook-id)
 * @param sink the sink's name
 * @param experiment the experiment the verdict is about
 * @param payload the alert JSON, exactly as recorded
 * @param attempts delivery attempts so far
 * @param createdAtMillis when it was recorded
 */
public record OutboxEntry(
    long seq,
    String verdictId,
    String sink,
    String experiment,
    String payload,
    int attempts,
    long createdAtMillis) {}
