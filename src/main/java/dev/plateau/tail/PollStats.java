package dev.plateau.tail;

/**
 * What one poll (or all polls so far) read.
 *
 * @param runs runs in the logdir
 * @param files event files tracked
 * @param records complete records read
 * @param bytes bytes of those records, framing included
 * @param points scalar points decoded
 * @param corruptRecords corrupt stretches skipped
 */
public record PollStats(
    int runs, int files, long records, long bytes, long points, long corruptRecords) {}
