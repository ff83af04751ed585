package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.Setting;
import dev.plateau.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every setting's flag is an option of both {@code watch} and {@code config} (one option class,
 * shared), and every option of {@code watch} is a setting or one of the few that say what one run
 * does: a flag cannot be added without its key and variable.
 */
class SettingFlagsTest {
  /** The options of watch that are not settings. */
  static final Set<String> NOT_SETTINGS =
      Set.of(
          "--config",
          "--rebuild-state",
          "--until-done",
          "--timeout",
          "--help",
          "--version",
          "--on-verdict");

  @Test
  void everySettingFlagIsAnOptionOfWatchAndOfConfig() {
    CommandSpec watch = new CommandLine(new WatchCommand()).getCommandSpec();
    CommandSpec config = new CommandLine(new ConfigCommand()).getCommandSpec();
    List<String> missing = new ArrayList<>();
    for (Setting setting : Settings.all()) {
      if (setting.flag() != null) {
        if (watch.findOption(setting.flag()) == null) {
          missing.add("watch " + setting.flag());
        }
        if (config.findOption(setting.flag()) == null) {
          missing.add("config " + setting.flag());
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void everyOptionOfWatchIsASettingOrSaysWhatOneRunDoes() {
    CommandSpec watch = new CommandLine(new WatchCommand()).getCommandSpec();
    List<String> strays = new ArrayList<>();
    for (OptionSpec option : watch.options()) {
      String name = option.longestName();
      if (!NOT_SETTINGS.contains(name) && Settings.byFlag(name).isEmpty()) {
        boolean alias = false;
        for (String other : option.names()) {
          alias |= Settings.byFlag(other).isPresent();
        }
        if (!alias) {
          strays.add(name);
        }
      }
    }
    assertThat(strays).as("watch options with no setting").isEmpty();
  }

  @Test
  void configPrintShowsWhatTheFlagsOfWatchWouldSet() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            out,
            new PrintWriter(err, true),
            "config",
            "--print",
            "--poll-interval",
            "1m30s",
            "--http",
            "off",
            "--poll-only",
            "--slack-webhook",
            "https://hooks.slack.com/services/T/B/SECRET9",
            "--webhook",
            "https://a.example.com/SECRET7",
            "--webhook",
            "https://b.example.com/SECRET8");
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(err.toString()).isZero();
    assertThat(printed)
        .containsPattern("daemon\\.poll_interval: 1m30s +# option --poll-interval")
        .containsPattern("http\\.address: off +# option --http")
        .containsPattern("daemon\\.poll_only: true +# option --poll-only")
        .containsPattern("slack\\.url: https://hooks.slack.com/\\*\\*\\* +# option --slack-url")
        .containsPattern(
            "webhook\\.urls: \\['https://a.example.com/\\*\\*\\*', 'https://b.example.com/\\*\\*\\*'\\]")
        .containsPattern("daemon\\.park_after: 1m +# default")
        .doesNotContain("SECRET7", "SECRET8", "SECRET9");
  }
}
