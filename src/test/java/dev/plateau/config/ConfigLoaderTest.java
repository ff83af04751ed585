package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.plateau.detect.MinDelta;
import dev.plateau.detect.Mode;
import dev.plateau.detect.PatienceDetector;
import dev.plateau.detect.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  /** A class a YAML type tag could try to build; it records construction. */
  public static final class Canary {
    static volatile boolean constructed;

    public Canary() {
      constructed = true;
    }
  }

  static PlateauConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "test.yaml");
  }

  static PatienceDetector.Params patienceOf(PlateauConfig config, String run, String tag)
      throws ConfigException {
    SeriesPlan plan = config.detection().plan(run, tag).orElseThrow();
    return DetectorSpecs.patience(plan.params().get("patience"));
  }

  @Test
  void emptyOrCommentOnlyTextGivesTheDefaults() throws Exception {
    for (String text : new String[] {"", "\n", "# nothing here\n", "---\n"}) {
      PlateauConfig c = parse(text);
      SeriesPlan plan = c.detection().plan("run", "val_loss").orElseThrow();
      assertThat(plan.mode()).isEqualTo(Mode.MIN);
      assertThat(plan.detectors()).isEqualTo(DetectionConfig.DEFAULT_DETECTORS);
      assertThat(plan.smoothing()).isZero();
      assertThat(c.detection().convergedWhen()).isEqualTo(DetectionConfig.ConvergedWhen.AUTO);
      assertThat(c.detection().rules()).isEmpty();
      assertThat(c.detection().plan("run", "learning_rate")).isEmpty();
    }
  }

  @Test
  void unknownTopLevelKeyIsRejectedNamingTheKeyAndTheAllowedKeys() {
    Throwable e = catchThrowable(() -> parse("detecton:\n  watch: all\n"));
    assertThat(e).isInstanceOf(ConfigException.class);
    assertThat(e.getMessage())
        .contains("test.yaml", "detecton", "unknown key", "detection", "rules");
  }

  @Test
  void alertsIgnoreOlderIsAnHourByDefaultAndTakesADurationOrOff() throws Exception {
    assertThat(parse("").alerts().ignoreOlder()).isEqualTo(Duration.ofHours(1));
    assertThat(parse("alerts:\n  ignore_older: 1d12h\n").alerts().ignoreOlder())
        .isEqualTo(Duration.ofHours(36));
    assertThat(parse("alerts:\n  ignore_older: off\n").alerts().ignoreOlder()).isZero();
    assertThat(parse("alerts:\n  ignore_older: 0\n").alerts().ignoreOlder()).isZero();
    AlertsConfig hour = parse("").alerts();
    assertThat(hour.isHistory(Duration.ofMinutes(61))).isTrue();
    assertThat(hour.isHistory(Duration.ofMinutes(60))).isFalse();
    assertThat(parse("alerts:\n  ignore_older: off\n").alerts().isHistory(Duration.ofDays(365)))
        .isFalse();
  }

  @Test
  void alertsCooldownIsAnHourByDefaultAndTakesADurationOrOffFromFileOrVariable() throws Exception {
    assertThat(parse("").alerts().cooldown()).isEqualTo(Duration.ofHours(1));
    assertThat(parse("alerts:\n  cooldown: 1m30s\n").alerts().cooldown())
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(parse("alerts:\n  cooldown: off\n").alerts().cooldown()).isZero();
    assertThat(
            ConfigLoader.parse("", "test", Map.of("PLATEAU_ALERTS_COOLDOWN", "10m"))
                .alerts()
                .cooldown())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(catchThrowable(() -> parse("alerts:\n  cooldown: -1\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts.cooldown");
  }

  @Test
  void aBadIgnoreOlderOrAnUnknownAlertsKeyIsRefusedNamingIt() {
    assertThat(catchThrowable(() -> parse("alerts:\n  ignore_older: soon\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts.ignore_older")
        .hasMessageContaining("soon");
    assertThat(catchThrowable(() -> parse("alerts:\n  ignore_older: -5\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts.ignore_older");
    assertThat(catchThrowable(() -> parse("alerts:\n  ignore: 1h\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ignore");
  }

  @Test
  void unknownDetectionKeyIsRejectedWithItsPath() {
    assertThatThrownBy(() -> parse("detection:\n  smoothng: 0.5\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("detection.smoothng")
        .hasMessageContaining("smoothing");
  }

  @Test
  void unknownDetectorKeyInARuleIsRejectedNamingItsPath() {
    String yaml = "rules:\n  - tag: val_loss\n    patience:\n      patiense: 5\n";
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules[0].patience.patiense")
        .hasMessageContaining("min_delta");
  }

  @Test
  void unknownDetectorKeyInDetectionIsRejectedNamingItsPath() {
    assertThatThrownBy(() -> parse("detection:\n  divergence:\n    nans: false\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("detection.divergence.nans");
  }

  @Test
  void wrongTypeNamesTheKeyAndTheValue() {
    assertThatThrownBy(() -> parse("detection:\n  patience:\n    patience: ten\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("detection.patience.patience")
        .hasMessageContaining("ten");
    assertThatThrownBy(() -> parse("detection:\n  divergence:\n    explode_points: three\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("detection.divergence.explode_points")
        .hasMessageContaining("three");
    assertThatThrownBy(() -> parse("detection:\n  watch: sometimes\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("detection.watch")
        .hasMessageContaining("sometimes")
        .hasMessageContaining("auto, all, none");
  }

  @Test
  void outOfRangeValuesAreRejected() {
    assertThatThrownBy(() -> parse("detection:\n  smoothing: 1.0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("detection.smoothing");
    assertThatThrownBy(() -> parse("detection:\n  divergence:\n    explode_factor: 1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("explode_factor");
    assertThatThrownBy(() -> parse("detection:\n  patience:\n    patience: 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("patience");
    assertThatThrownBy(() -> parse("detection:\n  patience:\n    min_delta: -1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("min_delta");
    assertThatThrownBy(() -> parse("detection:\n  stalled:\n    after: 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("after");
    assertThatThrownBy(() -> parse("detection:\n  overfitting:\n    window: 5\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("window");
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThatThrownBy(() -> parse("detection:\n  watch: all\n  watch: none\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("watch");
    assertThatThrownBy(() -> parse("rules: []\nrules: []\n")).isInstanceOf(ConfigException.class);
  }

  @Test
  void invalidYamlIsAConfigException() {
    assertThatThrownBy(() -> parse("detection: [unclosed\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.yaml")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void topLevelThatIsNotAMappingIsRejected() {
    assertThatThrownBy(() -> parse("- a\n- b\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mapping");
    assertThatThrownBy(() -> parse("just text\n")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> parse("rules: {tag: x}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules")
        .hasMessageContaining("list");
  }

  @Test
  void relativeMinDeltaParsesFromAPercentage() throws Exception {
    PlateauConfig c = parse("detection:\n  patience:\n    min_delta: 1%\n");
    assertThat(patienceOf(c, "r", "val_loss").minDelta()).isEqualTo(new MinDelta(0.01, true));
    PlateauConfig abs = parse("detection:\n  patience:\n    min_delta: 0.001\n");
    assertThat(patienceOf(abs, "r", "val_loss").minDelta()).isEqualTo(new MinDelta(0.001, false));
  }

  @Test
  void patienceParsesPointsStepsAndDurations() throws Exception {
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 10\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(10, Span.Unit.POINTS));
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 10 points\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(10, Span.Unit.POINTS));
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 5000 steps\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(5000, Span.Unit.STEPS));
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 30m\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(1800, Span.Unit.SECONDS));
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 2h\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(7200, Span.Unit.SECONDS));
    assertThat(
            patienceOf(parse("detection:\n  patience:\n    patience: 45s\n"), "r", "loss")
                .patience())
        .isEqualTo(new Span(45, Span.Unit.SECONDS));
  }

  @Test
  void patienceDefaultsAreKerasLikeWhenNotGiven() throws Exception {
    PatienceDetector.Params p = patienceOf(parse("detection:\n  patience: {}\n"), "r", "loss");
    assertThat(p).isEqualTo(PatienceDetector.Params.DEFAULTS);
    PatienceDetector.Params q =
        patienceOf(
            parse("detection:\n  patience:\n    start_step: 1000\n    baseline: 0.9\n"),
            "r",
            "loss");
    assertThat(q.startStep()).isEqualTo(1000);
    assertThat(q.baseline()).isEqualTo(0.9);
  }

  @Test
  void javaTypeTagsNeverInstantiateAnything() {
    Canary.constructed = false;
    String[] attacks = {
      "detection: !!java.lang.Runtime {}\n",
      "rules: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL"
          + " [\"http://127.0.0.1:1/x.jar\"]]]]\n",
      "detection: !!dev.plateau.config.ConfigLoaderTest$Canary {}\n",
      "rules:\n  - tag: !!dev.plateau.config.ConfigLoaderTest$Canary {}\n",
      "detection:\n  smoothing: !!dev.plateau.config.ConfigLoaderTest$Canary []\n",
    };
    for (String yaml : attacks) {
      Throwable e = catchThrowable(() -> parse(yaml));
      if (e != null) {
        assertThat(e).as(yaml).isInstanceOf(ConfigException.class);
      }
    }
    assertThat(Canary.constructed).isFalse();
  }

  @Test
  void loadReadsAFileAndNamesItInMessages(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("plateau.yaml");
    Files.writeString(good, "detection:\n  watch: all\n");
    assertThat(ConfigLoader.load(good).detection().plan("r", "learning_rate")).isPresent();
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "nope: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(bad.toString());
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such configuration file");
  }

  @Test
  void unknownDetectorNameIsRejected() {
    assertThatThrownBy(() -> parse("detection:\n  detectors: [patience, earlystop]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("earlystop")
        .hasMessageContaining("detection.detectors");
  }

  @Test
  void notLearningIsAnAlertableStatusAndAStopOnlyWhenConfigured() throws ConfigException {
    PlateauConfig config =
        parse(
            "webhook:\n  statuses: [converged, not_learning]\nslack:\n  statuses: [not_learning]\n");
    assertThat(config.alerts().webhookStatuses()).containsExactly("converged", "not_learning");
    assertThat(config.detection().stops().notLearningStops()).isFalse();
    assertThat(parse("detection:\n  not_learning: stop\n").detection().stops().notLearningStops())
        .isTrue();
  }

  @Test
  void theLimitsHaveDefaultsCanBeSetAndAreRefusedOutOfRangeNamingTheKey() throws Exception {
    DetectionConfig defaults = parse("").detection();
    assertThat(defaults.maxSeriesPerRun()).isEqualTo(1_000);
    assertThat(defaults.maxSeries()).isEqualTo(25_000);
    assertThat(defaults.maxTagsPerFile()).isEqualTo(10_000);
    DetectionConfig set =
        parse("detection:\n  max_series_per_run: 7\n  max_series: 70\n  max_tags_per_file: 700\n")
            .detection();
    assertThat(set.maxSeriesPerRun()).isEqualTo(7);
    assertThat(set.maxSeries()).isEqualTo(70);
    assertThat(set.maxTagsPerFile()).isEqualTo(700);
    for (String key : new String[] {"max_series_per_run", "max_series", "max_tags_per_file"}) {
      assertThatThrownBy(() -> parse("detection:\n  " + key + ": 0\n"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("detection." + key);
    }
  }

  @Test
  void anEmptyItemInAListOfNamesIsRefusedNamingWhereItIs() {
    for (String yaml :
        new String[] {
          "detection:\n  detectors: [plateau, null]\n",
          "rules:\n  - tag: loss\n    detectors:\n      - \n"
        }) {
      assertThatThrownBy(() -> parse(yaml))
          .as(yaml)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("must be a text value, not empty");
    }
  }
}
