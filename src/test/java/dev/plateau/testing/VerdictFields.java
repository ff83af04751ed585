package dev.plateau.testing;

import java.util.List;

/**
 * The fields of a series' verdict object, in order, as {@code plateau replay} prints it and as
 * flags, webhooks and Slack carry it: the JSON contract users' scripts read, written out once for
 * the tests of every output that carries it.
 */
public final class VerdictFields {
  /** The verdict object's fields, in order. */
  public static final List<String> SERIES =
      List.of(
          "run",
          "tag",
          "mode",
          "status",
          "detector",
          "decided_at_step",
          "best_step",
          "best_value",
          "last_step",
          "points",
          "reason",
          "evidence");

  private VerdictFields() {}
}
