package dev.plateau.cli;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.objectstore.ObjectUrl;
import dev.plateau.tail.LogdirSource;
import dev.plateau.tail.LogdirTailer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Where a logdir (or an event file) given on the command line is: a local path, or a prefix of an
 * object store ({@code s3://bucket/prefix}). Options arrive as paths, and a path folds the URL's
 * two slashes into one, so {@code s3:/bucket/prefix} is taken too; a local directory really named
 * {@code s3:} is given as {@code ./s3:/...}.
 */
sealed interface LogdirLocation {

  /**
   * The location {@code given} names.
   *
   * @throws IllegalArgumentException for {@code gs://} and Azure URLs (naming the S3-compatible
   *     route) and for an {@code s3} URL without a bucket
   */
  static LogdirLocation of(Path given) {
    return ObjectUrl.parse(given.toString())
        .<LogdirLocation>map(InObjectStore::new)
        .orElseGet(() -> new Local(given));
  }

  /** Whether it can be read at all: a local path exists; a bucket is asked when it is read. */
  boolean exists();

  /** A source of its events. */
  LogdirSource open(DecodeLimits limits) throws IOException;

  /** A logdir on a filesystem. */
  record Local(Path path) implements LogdirLocation {
    @Override
    public boolean exists() {
      return Files.exists(path);
    }

    @Override
    public LogdirSource open(DecodeLimits limits) {
      return new LogdirTailer(path, limits);
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }

  /** A logdir in an object store. */
  record InObjectStore(ObjectUrl url) implements LogdirLocation {
    @Override
    public boolean exists() {
      return true;
    }

    @Override
    public LogdirSource open(DecodeLimits limits) throws IOException {
      return ObjectStoreAccess.tailer(url, limits, Clock.systemUTC());
    }

    @Override
    public String toString() {
      return url.toString();
    }
  }
}
