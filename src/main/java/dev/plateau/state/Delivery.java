package dev.plateau.state;

import org.jspecify.annotations.Nullable;

/**
 * What became of one alert for one sink, as the status page shows it.
 *
 * @param sink the sink's name
 * @param state {@code pending}, {@code delivered} or {@code rejected}
 * @param attempts attempts made so far
 * @param lastError why the last attempt failed, or null
 * @param status the status the alert tells of
 * @param createdAtMillis when the alert was recorded
 */
public record Delivery(
    String sink,
    String state,
    int attempts,
    @Nullable String lastError,
    String status,
    long createdAtMillis) {}
