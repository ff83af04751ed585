package dev.plateau.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plateau.config.ConfigException;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import dev.plateau.config.SeriesPlan;
import dev.plateau.detect.Detector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the configuration loader with YAML text (raw, or built from Plateau's vocabulary by {@link
 * ConfigYaml}) in a real file, with {@code PLATEAU_...} environment variables over it.
 *
 * <p>Properties: loading throws nothing but {@link ConfigException}, whose message names the file
 * or the variable; and a configuration that loads gives, for any run and tag, plans whose detectors
 * either build or fail with a {@link ConfigException}, and then take points of any value without
 * throwing. Work and memory are bounded by the fuzz run's limits (a time limit per input, a 512 MiB
 * heap): YAML aliases that multiplied a document would fail it. No allocation budget is asserted
 * here, as validation legitimately builds every rule's detectors, whose buffers grow with the
 * configured {@code max_bins}.
 */
class ConfigLoaderFuzzTest {
  private static final FuzzRun RUN = new FuzzRun(ConfigLoaderFuzzTest.class);
  private static final String[] VARIABLES = {
    "PLATEAU_DETECTION_WATCH",
    "PLATEAU_DETECTION_DETECTORS",
    "PLATEAU_DETECTION_SMOOTHING",
    "PLATEAU_DETECTION_PLATEAU_MIN_DELTA",
    "PLATEAU_DETECTION_PLATEAU_MAX_BINS",
    "PLATEAU_DETECTION_PATIENCE_PATIENCE",
    "PLATEAU_DETECTION_TARGET_VALUE",
    "PLATEAU_DETECTION_STALLED_AFTER",
    "PLATEAU_WEBHOOK_URLS",
    "PLATEAU_SLACK_STATUSES",
    "PLATEAU_FLAGS_ENABLED"
  };
  private static final String[] RUNS = {".", "exp/train", "exp/validation", "a/b"};
  private static final String[] TAGS = {"loss", "val_loss", "epoch_accuracy", "lr", "custom"};
  private static Path file;

  @BeforeAll
  static void createFile() throws IOException {
    file = Files.createTempFile("plateau-fuzz", ".yaml");
  }

  @AfterAll
  static void report() throws IOException {
    Files.deleteIfExists(file);
    RUN.report();
  }

  /**
   * Found while writing this test, not by the fuzzer (which would need seventeen levels of nested
   * aliases): a mapping key built from aliases of aliases, each a list of three references to the
   * one before, 49 aliases in all, within the parser's limit of 50. Building the map hashed that
   * key, visiting 3^17 lists: a 445-byte file took 25 seconds and then exhausted a 512 MiB heap
   * (each further level triples the work). It is refused at once: keys must be text.
   */
  @Test
  void aKeyMadeOfNestedAliasesIsRefusedAtOnce() throws IOException {
    StringBuilder yaml = new StringBuilder("detection:\n  rules: &a0 [x, x, x]\n");
    yaml.append("rules:\n");
    for (int level = 1; level <= 16; level++) {
      String previous = "*a" + (level - 1);
      yaml.append("  - &a")
          .append(level)
          .append(" [")
          .append(previous)
          .append(", ")
          .append(previous)
          .append(", ")
          .append(previous)
          .append("]\n");
    }
    yaml.append("webhook:\n  ? *a16\n  : 1\n");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);

    ConfigException refused =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                catchThrowableOfType(
                    ConfigException.class, () -> ConfigLoader.load(file, Map.of())));
    assertThat(refused)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("keys must be text");
  }

  @FuzzTest
  void loaderThrowsOnlyConfigExceptionAndLoadedPlansBuild(FuzzedDataProvider data)
      throws IOException {
    RUN.count();
    Map<String, String> environment = new HashMap<>();
    int variables = data.consumeInt(0, 2);
    for (int i = 0; i < variables; i++) {
      environment.put(
          data.pickValue(VARIABLES),
          data.consumeBoolean() ? data.pickValue(ConfigYaml.SCALARS) : data.consumeAsciiString(12));
    }
    String text = data.consumeBoolean() ? ConfigYaml.from(data) : data.consumeString(2048);
    Files.writeString(file, text, StandardCharsets.UTF_8);

    Optional<PlateauConfig> loaded = load(environment);
    assertThat(printable(environment)).isTrue();

    if (loaded.isEmpty()) {
      RUN.reached("refused");
      return;
    }
    RUN.reached("loaded");
    int series = data.consumeInt(1, 3);
    for (int i = 0; i < series; i++) {
      String tag = data.consumeBoolean() ? data.pickValue(TAGS) : data.consumeAsciiString(16);
      Optional<SeriesPlan> plan = loaded.get().detection().plan(data.pickValue(RUNS), tag);
      if (plan.isPresent()) {
        exercise(plan.get(), data);
      }
    }
  }

  /** The configuration, or empty when it was refused with a message that says where. */
  private static Optional<PlateauConfig> load(Map<String, String> environment) {
    try {
      return Optional.of(ConfigLoader.load(file, environment));
    } catch (ConfigException e) {
      assertNamesItsSource(e);
      return Optional.empty();
    }
  }

  /** {@code config --print}'s tree loads or fails the same documented way. */
  private static boolean printable(Map<String, String> environment) {
    try {
      return ConfigLoader.effectiveTree(file, environment) != null;
    } catch (ConfigException e) {
      assertNamesItsSource(e);
      return true;
    }
  }

  private static void assertNamesItsSource(ConfigException e) {
    assertThat(e.getMessage())
        .as("a configuration error names the file or the variable")
        .satisfiesAnyOf(
            m -> assertThat(m).contains(file.toString()),
            m -> assertThat(m).contains("environment variable PLATEAU_"));
  }

  private static void exercise(SeriesPlan plan, FuzzedDataProvider data) {
    List<Detector> detectors;
    try {
      plan.twinTag();
      plan.twinRun();
      detectors = plan.build();
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isNotBlank();
      RUN.reached("plan refused");
      return;
    }
    RUN.reached("plan built");
    for (int i = 0; i < 12; i++) {
      double value = data.consumeBoolean() ? data.consumeDouble() : 1.0 / (i + 1);
      for (Detector detector : detectors) {
        assertThat(detector.observe(i, 1.7e9 + i, value)).isNotNull();
        assertThat(detector.atTime(1.7e9 + 10 * i)).isNotNull();
      }
    }
  }
}
