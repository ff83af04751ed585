package dev.plateau.decode;

/**
 * How many events an {@link EventDecoder} decoded on each of its paths.
 *
 * @param fast events read from the wire directly
 * @param reference events decoded with the generated protobuf classes (everything the fast path
 *     left to them, or every event of a reference-only decoder), including those that failed
 */
public record DecodePathCounts(long fast, long reference) {}
