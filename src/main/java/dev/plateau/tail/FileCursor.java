package dev.plateau.tail;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where reading of one event file stands, saved so that a restart resumes without reading anything
 * twice: the offset after the last complete record, what identifies the file (its first record and
 * the filesystem's key), whether a resynchronisation scan was under way, and which tags the file's
 * metadata declared as scalars.
 *
 * @param path the file
 * @param run the run it belongs to
 * @param offset where the next record starts
 * @param fingerprint the first record's fingerprint, or null when not read yet
 * @param fileKey the filesystem's identity (device and inode) as text, or null
 * @param resyncing whether reading was scanning past corruption
 * @param knownTags the file's tag metadata so far (true: a scalar summary)
 */
public record FileCursor(
    String path,
    String run,
    long offset,
    @Nullable FileFingerprint fingerprint,
    @Nullable String fileKey,
    boolean resyncing,
    Map<String, Boolean> knownTags) {
  public FileCursor {
    knownTags = Map.copyOf(knownTags);
  }
}
