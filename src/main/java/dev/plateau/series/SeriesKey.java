package dev.plateau.series;

import java.util.Objects;

/**
 * Which series a value belongs to: a run (its directory relative to the logdir, {@code "."} for the
 * logdir itself) and a tag.
 *
 * @param run the run's name
 * @param tag the scalar's tag
 */
public record SeriesKey(String run, String tag) implements Comparable<SeriesKey> {
  public SeriesKey {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(tag, "tag");
  }

  /** By run, then by tag (the order tables and saved states list series in). */
  @Override
  public int compareTo(SeriesKey other) {
    int byRun = run.compareTo(other.run);
    return byRun != 0 ? byRun : tag.compareTo(other.tag);
  }
}
