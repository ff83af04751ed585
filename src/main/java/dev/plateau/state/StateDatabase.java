package dev.plateau.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state database file this process holds: its connection (opened through {@link StateSchema}),
 * its lock, and its identity, to notice the file deleted or replaced while running. Moves a broken
 * file aside when asked to rebuild, and starts a new one when the file was lost.
 *
 * <p>Not thread-safe: {@link StateStore} uses it under its lock. The connection may change ({@link
 * #recreate}), so users ask for it at each use.
 */
final class StateDatabase implements AutoCloseable {
  /** Logged as the store, whose messages these were before the file had a class of its own. */
  private static final Logger log = LoggerFactory.getLogger(StateStore.class);

  private final Path file;
  private final Clock clock;
  private Connection connection;

  /** The database file's identity (inode) when opened, to notice it deleted or replaced. */
  private Object fileKey;

  /** This process's hold on the database (null once closed). */
  private StateLock lock;

  private StateDatabase(Path file, Clock clock, Connection connection, StateLock lock) {
    this.file = file;
    this.clock = clock;
    this.connection = connection;
    this.lock = lock;
    this.fileKey = keyOf(file);
  }

  /** See {@link StateStore#open}. */
  static StateDatabase open(Path file, boolean rebuild, Clock clock) throws StateException {
    createDirectories(file);
    StateLock lock = StateLock.acquire(file.toAbsolutePath());
    try {
      return new StateDatabase(file, clock, connect(file, rebuild, clock), lock);
    } catch (StateException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static Connection connect(Path file, boolean rebuild, Clock clock) throws StateException {
    try {
      return StateSchema.open(file);
    } catch (StateException e) {
      if (!rebuild || !Files.exists(file)) {
        throw e;
      }
      Path aside = file.resolveSibling(file.getFileName() + ".broken-" + clock.millis());
      log.warn(
          "{}; moving it to {} and rebuilding the state from the event files",
          e.getMessage(),
          aside);
      try {
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        for (String suffix : new String[] {"-wal", "-shm"}) {
          Path side = file.resolveSibling(file.getFileName() + suffix);
          if (Files.exists(side)) {
            Files.move(side, aside.resolveSibling(aside.getFileName() + suffix));
          }
        }
      } catch (IOException io) {
        throw new StateException(
            "cannot move the broken state " + file + " aside: " + io.getMessage(), io);
      }
      return StateSchema.open(file);
    }
  }

  private static void createDirectories(Path file) throws StateException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StateException(
          "cannot create the state directory " + file.getParent() + ": " + e.getMessage(), e);
    }
  }

  private static Object keyOf(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  Path file() {
    return file;
  }

  /** The open connection, outside auto-commit; replaced by {@link #recreate}. */
  Connection connection() {
    return connection;
  }

  /** See {@link StateStore#lost}. */
  boolean lost() {
    if (fileKey == null) {
      return false; // the filesystem gives no identity: nothing to compare
    }
    return !fileKey.equals(keyOf(file));
  }

  /** See {@link StateStore#recreate}. */
  void recreate() throws StateException {
    rollbackQuietly();
    StateSchema.closeQuietly(connection);
    if (Files.exists(file)) {
      Path aside = file.resolveSibling(file.getFileName() + ".replaced-" + clock.millis());
      try {
        Files.move(file, aside);
      } catch (IOException e) {
        throw new StateException(
            "cannot move " + file + " (which replaced the state database) aside: " + e.getMessage(),
            e);
      }
    }
    for (String suffix : new String[] {"-wal", "-shm"}) {
      try {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
      } catch (IOException ignored) {
        // SQLite makes them anew
      }
    }
    createDirectories(file);
    if (lock != null) {
      lock.close();
    }
    lock = StateLock.acquire(file.toAbsolutePath());
    connection = StateSchema.open(file);
    fileKey = keyOf(file);
  }

  /** A failure to do {@code what}, naming the file. */
  StateException failure(String what, Exception e) {
    return new StateException(
        "state database " + file + ": cannot " + what + ": " + e.getMessage(), e);
  }

  /** Rolls the open transaction back, making sure one is open afterwards. */
  void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException noTransaction) {
      // SQLite rolls a transaction back by itself after some errors (a full disk, an I/O error),
      // and the driver's rollback then fails before it opens the next transaction. Without one,
      // every later statement would be committed on its own and every commit() would fail with
      // "no transaction is active", for good: open it here.
      try (Statement s = connection.createStatement()) {
        s.execute("BEGIN");
      } catch (SQLException stillOpen) {
        // A transaction is open after all: nothing to restore.
      }
    }
  }

  @Override
  public void close() {
    rollbackQuietly();
    StateSchema.closeQuietly(connection);
    if (lock != null) {
      lock.close();
      lock = null;
    }
  }
}
