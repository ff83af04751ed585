package dev.plateau.objectstore;

/**
 * How an object-store logdir is read.
 *
 * @param parallelism GETs under way at once (the objects that grew are fetched this many at a time)
 * @param chunkBytes the most bytes one GET asks for; a longer new part is read in several
 * @param windowBytes the bytes before the committed offset that are fetched again with each read,
 *     and compared with what they were, to tell an object that grew from one replaced by other
 *     content
 */
public record ObjectTailLimits(int parallelism, int chunkBytes, int windowBytes) {
  /** Eight GETs at once, 8 MiB a GET, a 256-byte window. */
  public static final ObjectTailLimits DEFAULTS = new ObjectTailLimits(8, 8 << 20, 256);

  public ObjectTailLimits {
    if (parallelism < 1 || parallelism > 256) {
      throw new IllegalArgumentException("parallelism must be 1 to 256, got " + parallelism);
    }
    if (chunkBytes < 64 << 10) {
      throw new IllegalArgumentException("chunkBytes must be at least 64 KiB, got " + chunkBytes);
    }
    if (windowBytes < 16 || windowBytes > 4096) {
      throw new IllegalArgumentException("windowBytes must be 16 to 4096, got " + windowBytes);
    }
  }

  public ObjectTailLimits withParallelism(int gets) {
    return new ObjectTailLimits(gets, chunkBytes, windowBytes);
  }
}
