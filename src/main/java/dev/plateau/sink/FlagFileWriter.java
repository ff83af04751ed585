package dev.plateau.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and removes flag files so that a reader polling for them sees either no file, the whole
 * old content or the whole new content, never a partial one, and so that what was reported done
 * survives a power cut (with the daemon's help after one, see below).
 *
 * <p>A write goes to a temporary file in the same directory ({@code .NAME.plateau-tmp-RANDOM}: a
 * dot file, so pollers that list the directory skip it, and never containing {@code tfevents}, so
 * the tailer ignores it), which is renamed over the flag with {@code ATOMIC_MOVE}; then the flag
 * and its directory are forced to disk. Readers see the flag as soon as it is renamed, without
 * waiting for a disk flush; a power cut before the forcing completes may lose or empty the flag,
 * and the daemon writes every flag again from its committed state when it starts. Where the
 * filesystem cannot move atomically, the rename falls back to {@code REPLACE_EXISTING} (logged
 * once, at WARN). Forcing a directory is not possible everywhere (Windows refuses to open one); a
 * refusal is logged once at DEBUG and otherwise ignored.
 */
final class FlagFileWriter {
  private static final Logger LOG = LoggerFactory.getLogger(FlagFileWriter.class);

  /** The part of a temporary file's name after the flag's name. */
  static final String TEMP_MARKER = ".plateau-tmp-";

  /** The rename, replaceable so that tests can simulate filesystems that fail it. */
  @FunctionalInterface
  interface Mover {
    void move(Path source, Path target, CopyOption... options) throws IOException;
  }

  private final Mover mover;
  private final AtomicBoolean warnedNonAtomic = new AtomicBoolean();
  private final AtomicBoolean loggedDirectoryForce = new AtomicBoolean();

  FlagFileWriter() {
    this(Files::move);
  }

  FlagFileWriter(Mover mover) {
    this.mover = mover;
  }

  /**
   * Makes {@code target} hold exactly {@code bytes}.
   *
   * @return false if it already did (nothing was written), true if it was written
   * @throws IOException with the path in the message; no temporary file is left behind
   */
  boolean write(Path target, byte[] bytes) throws IOException {
    if (holds(target, bytes)) {
      return false;
    }
    Path temp =
        target.resolveSibling(
            "."
                + target.getFileName()
                + TEMP_MARKER
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
      rename(temp, target);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    // Visible now; durable next. Forcing before the rename cost every flag a disk flush on the
    // way to its reader; a power cut in between can only lose or empty the flag, which the daemon
    // writes again from its state database when it starts.
    force(target);
    forceDirectory(target.getParent());
    return true;
  }

  private void force(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("{}: cannot force to disk ({}); ignored", file, e.toString());
    }
  }

  /**
   * Removes {@code target} if it exists (a symbolic link in its place is removed, never followed).
   *
   * @return whether there was something to remove
   * @throws IOException if it is a directory, or cannot be removed
   */
  boolean remove(Path target) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(target + " is a directory, not a flag file; left alone");
    }
    if (!Files.deleteIfExists(target)) {
      return false;
    }
    forceDirectory(target.getParent());
    return true;
  }

  private void rename(Path temp, Path target) throws IOException {
    try {
      mover.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      if (warnedNonAtomic.compareAndSet(false, true)) {
        LOG.warn(
            "{}: the filesystem cannot rename atomically ({}); replacing flags with a plain"
                + " move instead, which may not be atomic: a reader may briefly see no flag or a"
                + " partial one",
            target.getParent(),
            e.getReason());
      }
      mover.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Whether the target is a regular file (not a link) that holds exactly these bytes. */
  private static boolean holds(Path target, byte[] bytes) throws IOException {
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        || Files.size(target) != bytes.length) {
      return false;
    }
    // The size matched, so this reads no more than the new content.
    try (InputStream in = Files.newInputStream(target, LinkOption.NOFOLLOW_LINKS)) {
      return Arrays.equals(in.readNBytes(bytes.length + 1), bytes);
    }
  }

  private void forceDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      if (loggedDirectoryForce.compareAndSet(false, true)) {
        LOG.debug("{}: cannot force the directory to disk ({}); ignored", directory, e.toString());
      }
    }
  }
}
