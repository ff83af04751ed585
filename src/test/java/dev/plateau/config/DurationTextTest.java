package dev.plateau.config;

import static dev.plateau.config.ConfigLoaderTest.parse;
import static dev.plateau.config.ConfigLoaderTest.patienceOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.detect.Span;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every duration Plateau reads (keys, spans, options) is read one way, with one message. */
class DurationTextTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // a bare number is seconds (the command line's options took these)
        "30        | PT30S",
        "0.5       | PT0.5S",
        "0         | PT0S",
        " 2 	   | PT2S",
        // one amount with a unit, as both old parsers did; decimals; any case; a space before the
        // unit
        "500ms     | PT0.5S",
        "2s        | PT2S",
        "5m        | PT5M",
        "1h        | PT1H",
        "2d        | PT48H",
        "1.5h      | PT1H30M",
        "0.25s     | PT0.25S",
        "1.5ms     | PT0.0015S",
        "30M       | PT30M",
        "10 MS     | PT0.01S",
        "45 s      | PT45S",
        // compound forms, largest unit first
        "1m30s     | PT1M30S",
        "1h30m     | PT1H30M",
        "1h 30m    | PT1H30M",
        "2d3h4m5s6ms | PT51H4M5.006S",
        "1m0.5s    | PT1M0.5S",
        // ISO-8601
        "PT1M30S   | PT1M30S",
        "pt90s     | PT1M30S",
        "P1DT2H    | PT26H",
        "PT0.25S   | PT0.25S",
      })
  void readsEveryForm(String text, String iso) {
    DurationText read = DurationText.parse(text).orElseThrow();
    assertThat(read.duration()).isEqualTo(Duration.parse(iso));
    assertThat(read.text()).as("said back as written").isEqualTo(text);
    assertThat(read).hasToString(text);
  }

  @ParameterizedTest(name = "''{0}'' is not a duration")
  @ValueSource(
      strings = {
        "",
        "  ",
        "soon",
        "1x",
        "s",
        "m30",
        "-1s",
        "-5",
        "1e3s",
        ".5s",
        "1.s",
        "5 minutes",
        "1,5s",
        "30s1m",
        "1m1m",
        "1s500",
        "1h 30",
        "PT",
        "P1W",
        "-PT1S",
        "PT-1S",
        "1m 30s extra",
        "99999999999999999999999999999d",
        "١s"
      })
  void refusesWhatIsNotADuration(String text) {
    assertThat(DurationText.parse(text)).isEmpty();
  }

  @Test
  void secondsAreTheDurationInSeconds() {
    assertThat(DurationText.parse("1m30s").orElseThrow().seconds()).isEqualTo(90.0);
    assertThat(DurationText.parse("0.1s").orElseThrow().seconds()).isEqualTo(0.1);
    assertThat(DurationText.parse("1.1m").orElseThrow().seconds()).isEqualTo(66.0);
    assertThat(DurationText.parse("2d").orElseThrow().seconds()).isEqualTo(172_800.0);
  }

  @Test
  void theMessageQuotesTheTextAndShowsTheForms() {
    assertThat(DurationText.notADuration("1x"))
        .isEqualTo("'1x' is not a duration; write e.g. 500ms, 45s, 1m30s, 2h or 1d");
  }

  @Test
  void configurationKeysTakeCompoundAndIsoDurations() throws Exception {
    assertThat(
            DetectorSpecs.stalled(
                    parse("detection:\n  stalled:\n    after: 1h30m\n")
                        .detection()
                        .plan("r", "loss")
                        .orElseThrow()
                        .params()
                        .get("stalled"))
                .afterSeconds())
        .isEqualTo(5400.0);
    assertThat(
            DetectorSpecs.stalled(
                    parse("detection:\n  stalled:\n    after: PT45M\n")
                        .detection()
                        .plan("r", "loss")
                        .orElseThrow()
                        .params()
                        .get("stalled"))
                .afterSeconds())
        .isEqualTo(2700.0);
    assertThat(
            DetectorSpecs.stalled(
                    parse("detection:\n  stalled:\n    after: \"90\"\n")
                        .detection()
                        .plan("r", "loss")
                        .orElseThrow()
                        .params()
                        .get("stalled"))
                .afterSeconds())
        .as("a quoted number of seconds, as an environment variable gives it")
        .isEqualTo(90.0);
  }

  @Test
  void aBadDurationKeyIsNamedWithItsText() {
    assertThatThrownBy(() -> parse("detection:\n  stalled:\n    after: soon\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "detection.stalled.after: 'soon' is not a duration; write e.g. 500ms");
  }

  @Test
  void spansOfTimeTakeCompoundDurationsAndCountedSpansStayCounted() throws Exception {
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 1h30m\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(5400, Span.Unit.SECONDS));
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 10.5\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(11, Span.Unit.POINTS));
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 3 Steps\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(3, Span.Unit.STEPS));
    assertThatThrownBy(() -> parse("detection:\n  patience:\n    patience: 0s\n"))
        .hasMessageContaining("must be above zero");
    assertThatThrownBy(() -> parse("detection:\n  patience:\n    patience: 0 points\n"))
        .hasMessageContaining("must be above zero");
    assertThatThrownBy(() -> parse("detection:\n  patience:\n    patience: soon\n"))
        .hasMessageContaining("'soon' is not a span; write e.g. 10, 10 points, 5000 steps or 30m");
  }
}
