package dev.plateau.series;

/**
 * One scalar as read from an event file.
 *
 * @param run the run's path relative to the logdir, '/'-separated ("." for the logdir itself)
 * @param file the event file's name within the run directory
 * @param tag the summary tag
 * @param step the global step
 * @param wallTime seconds since the Unix epoch when the writer wrote it
 * @param value the number, widened to double without loss; NaN and infinities are kept
 */
public record ScalarPoint(
    String run, String file, String tag, long step, double wallTime, double value) {}
