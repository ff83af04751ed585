package dev.plateau.cli;

import static dev.plateau.cli.Ran.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parse errors name what was wrong and never echo a value that was typed (it may be a secret). */
class ArgumentErrorsTest {
  private static final String SECRET = "T000/B000/XyZsEcReTtOkEn";

  @Test
  void anUnknownOptionIsNamedWithoutTheValueThatFollowsIt(@TempDir Path logdir) {
    Ran ran = run("check", logdir.toString(), "--webhook", "http://127.0.0.1:9/hook/" + SECRET);
    assertThat(ran.exit()).isEqualTo(2);
    assertThat(ran.err())
        .contains("'--webhook'")
        .doesNotContain(SECRET)
        .doesNotContain("127.0.0.1");
    assertThat(ran.err()).contains("1 unexpected argument").contains("Usage:");
  }

  @Test
  void anUnknownOptionWithAnEqualsValueIsCutAtTheEquals(@TempDir Path logdir) {
    Ran ran =
        run(
            "check",
            logdir.toString(),
            "--slack-webhook=https://hooks.slack.com/services/" + SECRET);
    assertThat(ran.exit()).isEqualTo(2);
    assertThat(ran.err())
        .contains("'--slack-webhook'")
        .doesNotContain(SECRET)
        .doesNotContain("hooks.slack.com");
  }

  @Test
  void anInvalidValueOfAKnownOptionIsNotEchoed(@TempDir Path logdir) {
    Ran ran = run("watch", logdir.toString(), "--judge-threads", SECRET);
    assertThat(ran.exit()).isEqualTo(2);
    assertThat(ran.err())
        .contains("--judge-threads")
        .contains(ArgumentErrors.HIDDEN)
        .doesNotContain(SECRET);
  }

  @Test
  void aTensorBoardUrlThatIsNotHttpIsRefusedWithoutEchoingIt(@TempDir Path logdir) {
    Ran ran =
        run(
            "watch",
            logdir.toString(),
            "--http",
            "off",
            "--tensorboard-url",
            "javascript:alert('" + SECRET + "')");
    assertThat(ran.exit()).isNotZero();
    assertThat(ran.err()).contains("--tensorboard-url", "http or https").doesNotContain(SECRET);
  }

  @Test
  void messagesWithoutValuesAreLeftAsTheyAre() {
    assertThat(
            ArgumentErrors.withoutValues(
                "Missing required parameter: 'LOGDIR'", new String[] {"check"}))
        .isEqualTo("Missing required parameter: 'LOGDIR'");
    assertThat(ArgumentErrors.unmatchedMessage(java.util.List.of("--a", "--b=x", "y")))
        .isEqualTo(
            "Unknown options: '--a', '--b'; 1 unexpected argument (not shown: an option's value may be a secret)");
  }
}
