package dev.plateau.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real inotify events on a temporary directory. */
class ChangeWatcherTest {
  @TempDir Path logdir;

  private final Semaphore wakes = new Semaphore(0);

  private boolean woken(long millis) throws InterruptedException {
    return wakes.tryAcquire(millis, TimeUnit.MILLISECONDS);
  }

  @Test
  void anAppendToAKnownEventFileNamesItsDirectoryOnly() throws Exception {
    Path run = logdir.resolve("exp/train");
    try (EventFileWriter w = EventFileWriter.create(run, 1.0, "t", 0);
        ChangeWatcher changes = new ChangeWatcher(logdir, wakes::release)) {
      w.simpleValue("loss", 1, 2.0, 0.5f);
      w.flush();

      assertThat(woken(5_000)).isTrue();
      ChangeWatcher.Changes seen = changes.drain();
      assertThat(seen.everything()).isFalse();
      assertThat(seen.grown()).containsExactly(run.toAbsolutePath().normalize());
      assertThat(changes.drain().isEmpty()).isTrue();
    }
  }

  @Test
  void flagFilesAndOtherFilesWakeNothing() throws Exception {
    Path run = Files.createDirectories(logdir.resolve("exp"));
    try (ChangeWatcher changes = new ChangeWatcher(logdir, wakes::release)) {
      // What the flag writer does: a dot file, written, renamed over the flag.
      Path temp = run.resolve(".CONVERGED.plateau-tmp-1");
      Files.writeString(temp, "{}");
      Files.move(temp, run.resolve("CONVERGED"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(run.resolve("notes.txt"), "hello");
      Files.delete(run.resolve("notes.txt"));

      assertThat(woken(500)).isFalse();
      assertThat(changes.drain().isEmpty()).isTrue();
    }
  }

  @Test
  void aNewEventFileOrRunDirectoryAsksForAWholePoll() throws Exception {
    Path run = Files.createDirectories(logdir.resolve("exp"));
    try (ChangeWatcher changes = new ChangeWatcher(logdir, wakes::release)) {
      Files.write(run.resolve("events.out.tfevents.1.host"), new byte[0]);
      assertThat(woken(5_000)).isTrue();
      assertThat(changes.drain().everything()).isTrue();

      Files.createDirectories(logdir.resolve("another"));
      assertThat(woken(5_000)).isTrue();
      assertThat(changes.drain().everything()).isTrue();
      assertThat(changes.registeredDirectories()).isEqualTo(3);
    }
  }

  @Test
  void aDeletedEventFileAsksForAWholePoll() throws Exception {
    Path run = Files.createDirectories(logdir.resolve("exp"));
    Path file = Files.write(run.resolve("events.out.tfevents.1.host"), new byte[0]);
    try (ChangeWatcher changes = new ChangeWatcher(logdir, wakes::release)) {
      Files.delete(file);
      assertThat(woken(5_000)).isTrue();
      ChangeWatcher.Changes seen = changes.drain();
      assertThat(seen.everything()).isTrue();
      assertThat(seen.grown()).isEqualTo(Set.of());
    }
  }
}
