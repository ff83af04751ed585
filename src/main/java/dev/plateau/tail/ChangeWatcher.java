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
 * Wakes the reader as soon as something changes under a logdir, using the platform's file-change
 * events (inotify on Linux): every directory of the tree is registered, new directories as they
 * appear. Events only say "look now"; what changed is always found by the next poll, so missed
 * or overflowing events (network filesystems give none) cost latency, never data: the periodic
 * poll catches them.
 *
 * <p>When registering fails (the system's watch limit, an unsupported filesystem), the watcher
 * logs it once and the daemon relies on polling alone.
 */
public final class ChangeWatcher implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(ChangeWatcher.class);

  private final Path root;
  private final Runnable onChange;
  private final WatchService service;
  private final Set<Path> registered = new HashSet<>();
  private final Thread thread;
  private boolean limitReported;

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
            dir, e.getMessage());
      }
    }
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = service.take();
        handle(key);
        WatchKey more;
        while ((more = service.poll()) != null) {
          handle(more);
        }
        onChange.run();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closed: stop quietly.
    }
  }

  private void handle(WatchKey key) {
    Path dir = (Path) key.watchable();
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && event.context() instanceof Path name) {
        Path created = dir.resolve(name);
        if (Files.isDirectory(created)) {
          registerTree(created); // a new run directory, maybe with files already in it
        }
      }
    }
    if (!key.reset()) {
      synchronized (this) {
        registered.remove(dir); // deleted; re-registered if it appears again
      }
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
    thread.interrupt();
  }
}
