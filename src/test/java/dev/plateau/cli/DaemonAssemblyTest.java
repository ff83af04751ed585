package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.config.DurationText;
import dev.plateau.config.PlateauConfig;
import dev.plateau.verdict.JudgeThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch}'s daemon built from its settings, run, and closed; a start that fails leaves
 * nothing open.
 */
@Timeout(30)
class DaemonAssemblyTest {
  private static final Clock CLOCK = Clock.systemUTC();

  private static WatchSettings settings(Path logdir, Path stateDir) {
    return new WatchSettings(
        List.of(logdir.toAbsolutePath().normalize()),
        PlateauConfig.defaults(),
        List.of(),
        new StateLocation(stateDir),
        false,
        Duration.ofMillis(20),
        Duration.ofMinutes(1),
        Duration.ofSeconds(30),
        false,
        new HttpBinding.Converter().convert("off"),
        null,
        null);
  }

  @Test
  void theTimeoutStopsTheDaemonWithTheTrainingExitCodeWhenNothingWasSeen(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path state = temp.resolve("state");
    DurationText timeout = DurationText.parse("100ms").orElseThrow();
    try (AssembledDaemon assembled =
        DaemonAssembly.assemble(
            settings(logdir, state), JudgeThreads.of(2), new DaemonControl(), CLOCK)) {
      assertThat(assembled.server()).as("--http off").isNull();
      assertThat(assembled.changes()).as("file-change events registered").hasSize(1);
      UntilDone until =
          new UntilDone(
              assembled.daemon(),
              PlateauConfig.defaults().detection().stops(),
              false,
              timeout,
              UntilDone.deadline(timeout, CLOCK),
              CLOCK);
      assertThat(until.ends()).isTrue();
      assembled.daemon().afterEachRound(until);
      assembled.run();
      assertThat(until.exitCode()).isEqualTo(CheckCommand.EXIT_TRAINING);
    }
    assertThat(new StateLocation(state).fileFor(logdir.toAbsolutePath().normalize()))
        .isRegularFile();
  }

  @Test
  void aStopAskedForWhileStartingStopsTheDaemonOnceBuilt(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    DaemonControl control = new DaemonControl();
    control.requestStop();
    control.wake(); // before the daemon exists: nothing to wake, and no failure
    try (AssembledDaemon assembled =
        DaemonAssembly.assemble(
            settings(logdir, temp.resolve("state")), JudgeThreads.SERIAL, control, CLOCK)) {
      assembled.run(); // returns after its round: the stop was passed on
    }
  }

  @Test
  void anUnusableStateFailsTheStartWithTheStoresMessage(@TempDir Path temp) throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path notADirectory =
        Files.writeString(temp.resolve("state"), "a file where the state directory goes");
    assertThatThrownBy(
            () ->
                DaemonAssembly.assemble(
                    settings(logdir, notADirectory),
                    JudgeThreads.SERIAL,
                    new DaemonControl(),
                    CLOCK))
        .isInstanceOf(DaemonAssembly.StartFailed.class)
        .hasMessageContaining("cannot create the state directory");
  }

  @Test
  void stateFilesAreNamedByTheLogdirsHash(@TempDir Path temp) {
    StateLocation location = new StateLocation(temp);
    Path a = location.fileFor(Path.of("/data/a"));
    assertThat(a.getParent()).isEqualTo(temp);
    assertThat(a.getFileName().toString()).matches("state-[0-9a-f]{12}\\.db");
    assertThat(location.fileFor(Path.of("/data/b"))).isNotEqualTo(a);
    assertThat(location.fileFor(Path.of("/data/a"))).isEqualTo(a);
  }
}
