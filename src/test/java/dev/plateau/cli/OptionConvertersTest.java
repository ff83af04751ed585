package dev.plateau.cli;

import static dev.plateau.cli.Ran.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Durations and the HTTP address are read by picocli converters: every duration option takes what
 * {@code DurationText} takes, and a refused value is a usage error (exit 2) naming the option.
 */
class OptionConvertersTest {
  private static final String SECRET = "T000/B000/XyZsEcReTtOkEn";

  @Test
  void everyDurationOptionOfWatchTakesCompoundAndIsoForms() {
    WatchCommand watch = new WatchCommand();
    new CommandLine(watch)
        .parseArgs(
            "logs",
            "--poll-interval",
            "1m30s",
            "--park-after",
            "1h 30m",
            "--checkpoint-interval",
            "PT45S",
            "--timeout",
            "2d",
            "--http",
            "0.0.0.0:9090");
    DaemonOptions options = watch.daemonOptions;
    assertThat(options.pollInterval.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(options.parkAfter.duration()).isEqualTo(Duration.ofMinutes(90));
    assertThat(options.checkpointInterval.duration()).isEqualTo(Duration.ofSeconds(45));
    assertThat(watch.timeout.duration()).isEqualTo(Duration.ofDays(2));
    assertThat(watch.timeout).as("said back as written").hasToString("2d");
    assertThat(options.http.http.address()).isEqualTo(new InetSocketAddress("0.0.0.0", 9090));
  }

  @Test
  void optionsNotGivenAreLeftToTheConfiguration() {
    WatchCommand watch = new WatchCommand();
    new CommandLine(watch).parseArgs("logs");
    assertThat(watch.daemonOptions.pollInterval).isNull();
    assertThat(watch.daemonOptions.http.http).isNull();
    assertThat(watch.timeout).isNull();
  }

  @Test
  void zeroOrOffTurnsParkingAndCheckpointsOff() {
    DurationConverter orOff = new DurationConverter.IntervalOrOff();
    for (String off : new String[] {"0", "off", "OFF", "0s", "PT0S"}) {
      assertThat(orOff.convert(off).duration()).as(off).isZero();
    }
    assertThatThrownBy(() -> new DurationConverter.Interval().convert("0"))
        .hasMessage("must be at least 10ms, got 0");
    assertThatThrownBy(() -> new DurationConverter.Interval().convert("off"))
        .hasMessage("'off' is not a duration; write e.g. 500ms, 45s, 1m30s, 2h or 1d");
  }

  @Test
  void boundsAreCheckedWithTheBoundsInTheMessage() {
    assertThat(new DurationConverter.Interval().convert("10ms").duration())
        .isEqualTo(Duration.ofMillis(10));
    assertThatThrownBy(() -> new DurationConverter.IntervalOrOff().convert("5ms"))
        .isInstanceOf(OptionValueException.class)
        .hasMessage("must be at least 10ms, got 5ms");
    DemoCommand.LengthConverter demo = new DemoCommand.LengthConverter();
    assertThat(demo.convert("1h").duration()).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> demo.convert("1h0m1s"))
        .hasMessage("must be between 1s and 1h, got 1h0m1s");
    assertThatThrownBy(() -> demo.convert("999ms"))
        .hasMessage("must be between 1s and 1h, got 999ms");
  }

  @Test
  void aBadTimeoutIsAUsageErrorNamingTheOptionAndTheText(@TempDir Path logdir) {
    Ran ran = run("watch", logdir.toString(), "--timeout", "1x");
    assertThat(ran.exit()).isEqualTo(2);
    assertThat(ran.err())
        .contains("--timeout '1x' is not a duration; write e.g. 500ms, 45s, 1m30s, 2h or 1d")
        .doesNotContain("Invalid value for option")
        .contains("Usage:");
  }

  @Test
  void aDurationBelowItsBoundIsAUsageError(@TempDir Path logdir) {
    Ran ran = run("watch", logdir.toString(), "--poll-interval=5ms");
    assertThat(ran.exit()).isEqualTo(2);
    assertThat(ran.err()).contains("--poll-interval must be at least 10ms, got 5ms");
  }

  @Test
  void aRefusedValueThatCouldBeASecretIsNotShown(@TempDir Path logdir) {
    Ran url =
        run("watch", logdir.toString(), "--timeout", "https://hooks.slack.com/services/" + SECRET);
    assertThat(url.exit()).isEqualTo(2);
    assertThat(url.err())
        .contains("--timeout '" + ArgumentErrors.HIDDEN + "' is not a duration")
        .doesNotContain(SECRET)
        .doesNotContain("hooks.slack.com");
    String token = "0123456789abcdef0123"; // as long as an HTTP token
    Ran long_ = run("watch", logdir.toString(), "--park-after=" + token);
    assertThat(long_.err())
        .contains("--park-after '" + ArgumentErrors.HIDDEN + "'")
        .doesNotContain(token);
  }

  @Test
  void aBadHttpAddressIsAUsageErrorInHttpAddressWords(@TempDir Path logdir) {
    Ran ran = run("watch", logdir.toString(), "--http", "nine");
    assertThat(ran.exit()).isEqualTo(2);
    assertThat(ran.err())
        .contains("--http 'nine': not a port; write PORT, :PORT or ADDR:PORT")
        .doesNotContain("--http --http");
    Ran url =
        run("watch", logdir.toString(), "--http", "https://hooks.slack.com/services/" + SECRET);
    assertThat(url.exit()).isEqualTo(2);
    assertThat(url.err()).contains("--http '" + ArgumentErrors.HIDDEN + "'").doesNotContain(SECRET);
    assertThat(new HttpBinding.Converter().convert("off").off()).isTrue();
    assertThatThrownBy(() -> new HttpBinding.Converter().convert("nosuch.invalid:80"))
        .as("bound later, it failed with the message null")
        .hasMessageStartingWith("--http 'nosuch.invalid:80': no such host;");
  }

  @Test
  void onlyShortPlainValuesCanBeShown() {
    assertThat(ArgumentErrors.cannotBeSecret("1x")).isTrue();
    assertThat(ArgumentErrors.cannotBeSecret("1h 30 x")).isTrue();
    assertThat(ArgumentErrors.cannotBeSecret("0123456789abcdef"))
        .as("16: an HTTP token's length")
        .isFalse();
    assertThat(ArgumentErrors.cannotBeSecret("whsec_abc")).isFalse();
    assertThat(ArgumentErrors.cannotBeSecret("http://h/x")).isFalse();
    assertThat(ArgumentErrors.cannotBeSecret("")).isFalse();
  }
}
