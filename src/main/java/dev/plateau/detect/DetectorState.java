package dev.plateau.detect;

/**
 * What a detector has learnt from the points so far, as a plain value (a record of numbers, arrays,
 * strings and judgements) that can be written to the state database and read back. A detector built
 * with the same parameters and given its saved state with {@link Detector#restore} goes on exactly
 * as the saved one would have.
 */
public interface DetectorState {}
