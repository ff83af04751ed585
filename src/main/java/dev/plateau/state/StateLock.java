package dev.plateau.state;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per state database: an exclusive OS lock ({@code fcntl}) on {@code DATABASE.lock},
 * held while the store is open. The operating system releases it when the process exits, however it
 * exits (SIGKILL and a crash included), so a stale lock never blocks a restart. The file holds the
 * holder's PID and host, which a refused second daemon names. The file is left in place when the
 * lock is released: deleting it would let a third process lock a new file while a second still
 * holds the old one.
 */
final class StateLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of {@code database}. */
  static Path fileOf(Path database) {
    return database.resolveSibling(database.getFileName() + ".lock");
  }

  /**
   * Takes the lock of {@code database}, or fails naming the database and the process holding it.
   */
  static StateLock acquire(Path database) throws StateException {
    Path file = fileOf(database);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StateException("cannot open the state lock " + file + ": " + e.getMessage(), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException inThisProcess) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StateException(
          "cannot lock the state database " + database + " (" + file + "): " + e.getMessage(), e);
    }
    if (lock == null) {
      String holder = holder(channel);
      closeQuietly(channel);
      throw new StateException(
          "the state database "
              + database
              + " is in use by another plateau ("
              + (holder.isEmpty() ? "its PID is not known" : holder)
              + "); one daemon per state database: stop it, or give this one another --state-dir");
    }
    try {
      byte[] me =
          (ProcessHandle.current().pid() + " on " + host() + "\n").getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(me), 0);
      channel.force(false);
    } catch (IOException e) {
      // The lock is what matters; the PID in the file is only for the message.
    }
    return new StateLock(channel, lock);
  }

  /** "PID 1234 on host", as the holder wrote it, or empty. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(256);
      int read = channel.read(buffer, 0);
      if (read <= 0) {
        return "";
      }
      String text = new String(buffer.array(), 0, read, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "" : "PID " + text.replaceAll("\\p{Cntrl}", "?");
    } catch (IOException e) {
      return "";
    }
  }

  private static String host() {
    String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
    int at = name.indexOf('@');
    return at < 0 ? "this host" : name.substring(at + 1);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was locked.
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel releases it too.
    }
    closeQuietly(channel);
  }
}
