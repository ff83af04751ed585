package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.sink.FlagConfig;
import dev.plateau.sink.FlagSink;
import dev.plateau.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags that fail are written again, with a doubling delay, until they are. */
class RetriedFlagsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode verdict(String status, long bestStep) {
    return JSON.createObjectNode().put("status", status).put("best_step", bestStep);
  }

  @Test
  void theDelayDoublesFromOneSecondToAtMostOneMinute() {
    assertThat(RetriedFlags.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(RetriedFlags.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetriedFlags.delayAfter(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(RetriedFlags.delayAfter(7)).isEqualTo(Duration.ofMinutes(1));
    assertThat(RetriedFlags.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aFailedFlagWaitsItsDelayIsTriedAgainAndTheNewestStatusIsWhatGetsWritten(@TempDir Path logdir)
      throws Exception {
    FakeClock clock = FakeClock.atMillis(1_000_000);
    RetriedFlags flags = new RetriedFlags(new FlagSink(logdir, FlagConfig.defaults()), clock);
    Path run = Files.createDirectories(logdir.resolve("exp"));
    // A file where the experiment's flag directory should be: every write fails.
    Path blocker = Files.createDirectories(run.resolve("CONVERGED"));
    Files.writeString(blocker.resolve("keep"), "x");

    flags.apply("exp", Status.CONVERGED, verdict("converged", 5));
    assertThat(flags.pending()).isEqualTo(1);
    assertThat(flags.failures()).isEqualTo(1);
    flags.retry(clock.millis() + 999);
    assertThat(flags.failures()).as("not before the first delay").isEqualTo(1);
    flags.retry(clock.millis() + 1_000);
    assertThat(flags.failures()).isEqualTo(2);
    flags.retry(clock.millis() + 2_999);
    assertThat(flags.failures()).as("the second delay is 2 s from the retry").isEqualTo(2);

    // A newer verdict for the experiment replaces what waits.
    flags.apply("exp", Status.CONVERGED, verdict("converged", 7));
    assertThat(flags.pending()).isEqualTo(1);
    Files.delete(blocker.resolve("keep"));
    Files.delete(blocker);
    flags.retry(clock.millis() + 10_000);
    assertThat(flags.pending()).isZero();
    assertThat(Files.readString(run.resolve("CONVERGED"))).contains("\"best_step\" : 7");
    long failures = flags.failures();
    flags.retry(clock.millis() + 100_000);
    assertThat(flags.failures()).as("nothing left to try").isEqualTo(failures);
  }
}
