package dev.plateau.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;

/** Writes or removes an experiment's flag file for its current status; never throws. */
@FunctionalInterface
public interface FlagApplier {
  FlagApplier NONE = (experiment, status, content) -> {};

  void apply(String experiment, Status status, ObjectNode content);
}
