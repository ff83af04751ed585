package dev.plateau.tail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a failing sequence short: removes runs of ops, halving their length, as long as what
 * remains still fails (delta debugging, one pass per length). Any disagreement counts as the
 * failure still being there; a sequence made undetectable by the removal does not.
 */
final class SequenceShrinker {
  /** A shortened sequence and how it fails. */
  record Shrunk(List<ModelOp> ops, SequenceRunner.Outcome.Failed failure, int replays) {}

  private final SequenceRunner runner;
  private final int maxReplays;

  SequenceShrinker(SequenceRunner runner, int maxReplays) {
    this.runner = runner;
    this.maxReplays = maxReplays;
  }

  Shrunk shrink(List<ModelOp> ops, SequenceRunner.Outcome.Failed failure) throws IOException {
    List<ModelOp> current = new ArrayList<>(ops.subList(0, failure.op() + 1));
    SequenceRunner.Outcome.Failed currentFailure = failure;
    int replays = 0;
    int chunk = Math.max(1, current.size() / 2);
    while (replays < maxReplays) {
      boolean removed = false;
      int start = 0;
      while (start < current.size() && replays < maxReplays) {
        List<ModelOp> candidate = new ArrayList<>(current.subList(0, start));
        candidate.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
        replays++;
        if (!candidate.isEmpty()
            && runner.replay(candidate) instanceof SequenceRunner.Outcome.Failed f) {
          current = new ArrayList<>(candidate.subList(0, f.op() + 1));
          currentFailure = f;
          removed = true;
        } else {
          start += chunk;
        }
      }
      if (!removed) {
        if (chunk == 1) {
          break;
        }
        chunk = Math.max(1, chunk / 2);
      }
    }
    return new Shrunk(current, currentFailure, replays);
  }
}
