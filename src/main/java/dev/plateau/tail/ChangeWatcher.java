package dev.plateau.tail;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the reader as soon as an event file changes under a logdir, using the platform's
 * file-change events (inotify on Linux): every directory of the tree is registered, new directories
 * as they appear. Events only say "look now"; what changed is always found by the next poll, so
 * missed or overflowing events (network filesystems give none) cost latency, never data: the
 * periodic poll catches them.
 *
 * <p>It also tells what to look at ({@link #drain}): the directories whose known event files grew,
 * so that a round woken by an event reads those files without walking the whole logdir; anything
 * else about event files or directories (a new or deleted event file or directory, an overflow)
 * asks for a whole poll. Changes to other files wake nothing: Plateau's own flag files, written
 * into run directories, would otherwise wake a round for every verdict.
 *
 * <p>When registering fails (the system's watch limit, an unsupported filesystem), the watcher logs
 * it once and the daemon relies on polling alone.
 */
public final class ChangeWatcher implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(ChangeWatcher.class);

  private final Path root;
  private final Runnable onChange;
  private final WatchService service;
  private final Set<Path> registered = new HashSet<>();
  private final Thread thread;
  private boolean limitReported;

  /** Directories whose event files were modified since the last {@link #drain}. */
  private final Set<Path> grown = new HashSet<>();

  /** Since the last drain, something only a whole poll finds. */
  private boolean everything;

  /**
   * What changed since the last drain: the directories whose event files grew, or {@code
   * everything} when only a whole poll can tell.
   */
  public record Changes(boolean everything, Set<Path> grown) {
    public Changes {
      grown = Set.copyOf(grown);
    }

    public boolean isEmpty() {
      return !everything && grown.isEmpty();
    }
  }

  /** Takes the changes seen since the last call. */
  public synchronized Changes drain() {
    Changes changes = new Changes(everything, grown);
    everything = false;
    grown.clear();
    return changes;
  }

  /**
   * Starts watching {@code root} on a daemon thread; {@code onChange} runs on that thread after
   * each batch of events, and must be quick (it should only signal the polling thread).
   */
  public ChangeWatcher(Path root, Runnable onChange) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.onChange = onChange;
    this.service = FileSystems.getDefault().newWatchService();
    registerTree(this.root);
    this.thread = new Thread(this::loop, "watch-" + this.root.getFileName());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Directories registered so far. */
  public synchronized int registeredDirectories() {
    return registered.size();
  }

  private void registerTree(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              register(d);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.debug("{}: cannot walk for change events: {}", dir, e.toString());
    }
  }

  private synchronized void register(Path dir) {
    if (registered.contains(dir)) {
      return;
    }
    try {
      dir.register(
          service,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      registered.add(dir);
    } catch (IOException e) {
      if (!limitReported) {
        limitReported = true;
        log.warn(
            "{}: cannot register for file-change events ({}); those directories are found by"
                + " polling only",
            dir,
            e.getMessage());
      }
    }
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = service.take();
        boolean relevant = handle(key);
        WatchKey more;
        while ((more = service.poll()) != null) {
          relevant |= handle(more);
        }
        if (relevant) {
          onChange.run();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closed: stop quietly.
    }
  }

  /** Records one key's events; true when any concerns event files or directories. */
  private boolean handle(WatchKey key) {
    Path dir = (Path) key.watchable();
    boolean relevant = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW
          || !(event.context() instanceof Path name)) {
        markEverything();
        relevant = true;
        continue;
      }
      Path changed = dir.resolve(name);
      boolean eventFile = LogdirScanner.isEventFile(name);
      if (event.kind() == StandardWatchEventKinds.ENTRY_MODIFY) {
        if (eventFile) {
          synchronized (this) {
            grown.add(dir);
          }
          relevant = true;
        }
      } else if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
        if (Files.isDirectory(changed)) {
          registerTree(changed); // a new run directory, maybe with files already in it
          markEverything();
          relevant = true;
        } else if (eventFile) {
          markEverything();
          relevant = true;
        }
      } else if (eventFile || isRegistered(changed)) {
        markEverything(); // an event file or a directory deleted or moved away
        relevant = true;
      }
    }
    if (!key.reset()) {
      synchronized (this) {
        registered.remove(dir); // deleted; re-registered if it appears again
      }
      markEverything();
      relevant = true;
    }
    return relevant;
  }

  private synchronized void markEverything() {
    everything = true;
  }

  private synchronized boolean isRegistered(Path dir) {
    return registered.contains(dir);
  }

  @Override
  public void close() throws IOException {
    service.close();
    thread.interrupt();
  }
}
