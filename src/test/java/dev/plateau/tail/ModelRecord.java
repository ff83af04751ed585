package dev.plateau.tail;

/**
 * One record of a model event file: its frame as written, and what a reader should make of it.
 *
 * @param uid unique within a sequence: two records with the same uid are the same bytes
 * @param frame the TFRecord frame
 * @param tag the summary's tag, or null for the file_version record
 * @param tensor a tensor scalar (a point only once its tag's metadata was read in the file)
 * @param metadata whether this record carries its tag's scalar metadata
 * @param step the event's step
 * @param wallTime the event's wall time
 * @param value the value a reader decodes
 */
record ModelRecord(
    long uid,
    byte[] frame,
    String tag,
    boolean tensor,
    boolean metadata,
    long step,
    double wallTime,
    double value) {}
