package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.tail.LogdirTailer;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoriesTest {
  @TempDir Path temp;

  private LogdirTailer tailed(Path logdir, String... runs) throws IOException {
    for (String run : runs) {
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve(run), 1.0, "t", 0)) {
        w.simpleValue("loss", 1, 1.0, 0.5f);
      }
    }
    LogdirTailer tailer = new LogdirTailer(logdir, DecodeLimits.DEFAULTS);
    tailer.poll(point -> {});
    return tailer;
  }

  @Test
  void aPlainNameIsTheDirectoryTheTailerFoundWithoutLookingAtItsFiles() throws IOException {
    Path logdir = temp.resolve("logs").toAbsolutePath().normalize();
    LogdirTailer tailer = tailed(logdir, "run-00001", "grid/run-7");

    for (String run : new String[] {"run-00001", "grid/run-7", "grid"}) {
      assertThat(RunDirectories.find(logdir, tailer.files(), run))
          .isEqualTo(RunDirectories.find(tailer.files(), run))
          .isEqualTo(logdir.resolve(run));
    }
  }

  @Test
  void aNameLeadingOutOfTheLogdirIsNoDirectoryOfIt() throws IOException {
    Path logdir = temp.resolve("logs").toAbsolutePath().normalize();
    LogdirTailer tailer = tailed(logdir, "run");

    assertThat(RunDirectories.find(logdir, tailer.files(), "../elsewhere")).isNull();
    assertThat(RunDirectories.find(logdir, tailer.files(), "run/../..")).isNull();
  }

  @Test
  void aNameOutsidePrintableAsciiIsLookedUpAmongTheFiles() throws IOException {
    Path logdir = temp.resolve("logs").toAbsolutePath().normalize();
    LogdirTailer tailer = tailed(logdir, "exp-\u00e9", "plain");

    assertThat(RunDirectories.find(logdir, tailer.files(), "exp-\u00e9"))
        .isEqualTo(RunDirectories.find(tailer.files(), "exp-\u00e9"))
        .isNotNull();
    assertThat(RunDirectories.find(logdir, tailer.files(), "unknown-\u00e9")).isNull();
  }
}
