package dev.plateau.sink;

import dev.plateau.detect.Status;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which verdict statuses a sink wants. Configured as a list of status names ({@code [converged,
 * diverged]}) or as {@code all}; the default is every status but {@code training}, which is not
 * news.
 *
 * @param statuses the statuses let through, never empty
 */
public record StatusFilter(Set<Status> statuses) {

  /** Every status, {@code training} included. */
  public static final StatusFilter ALL = new StatusFilter(EnumSet.allOf(Status.class));

  /** Every status but {@code training}. */
  public static final StatusFilter DEFAULT =
      new StatusFilter(EnumSet.complementOf(EnumSet.of(Status.TRAINING)));

  public StatusFilter {
    if (statuses.isEmpty()) {
      throw new SinkConfigException("a sink's status filter lets nothing through");
    }
    statuses = Collections.unmodifiableSet(EnumSet.copyOf(statuses));
  }

  /**
   * The filter for configured names: {@code ["all"]}, or status names such as {@code ["converged",
   * "diverged"]} (case-insensitive, surrounding spaces ignored). Null or empty means {@link
   * #DEFAULT}.
   *
   * @throws SinkConfigException for an unknown name, or "all" mixed with names
   */
  public static StatusFilter parse(List<String> names) {
    if (names == null || names.isEmpty()) {
      return DEFAULT;
    }
    EnumSet<Status> set = EnumSet.noneOf(Status.class);
    for (String raw : names) {
      String name = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
      if (name.equals("all")) {
        if (names.size() > 1) {
          throw new SinkConfigException(
              "statuses: 'all' cannot be combined with other statuses; got " + names);
        }
        return ALL;
      }
      try {
        set.add(Status.fromJsonName(name));
      } catch (IllegalArgumentException e) {
        throw new SinkConfigException("statuses: " + e.getMessage() + ", or all", e);
      }
    }
    return new StatusFilter(set);
  }

  /** {@link #parse(List)} of one string: "all", or names separated by commas. */
  public static StatusFilter parse(String names) {
    return parse(names == null || names.isBlank() ? null : List.of(names.split(",")));
  }

  /** Whether alerts with this status pass. */
  public boolean accepts(Status status) {
    return statuses.contains(status);
  }

  @Override
  public String toString() {
    if (statuses.size() == Status.values().length) {
      return "all";
    }
    return statuses.stream().map(Status::jsonName).collect(Collectors.joining(",", "[", "]"));
  }
}
