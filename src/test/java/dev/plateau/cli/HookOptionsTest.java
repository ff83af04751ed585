package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import dev.plateau.detect.Status;
import dev.plateau.detect.StopPolicy;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.SinkConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The hooks {@code watch} makes from the configuration, {@code --on-verdict} and its variable. */
class HookOptionsTest {

  private static SinkOptions options(String... args) {
    SinkOptions options = new SinkOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void onVerdictMakesOneHookForTheStopStatuses() {
    List<AlertSink> hooks =
        options("--on-verdict", "scancel '1234'")
            .hooks(PlateauConfig.defaults().hooks(), StopPolicy.DEFAULT, Map.of());
    assertThat(hooks).singleElement().satisfies(h -> assertThat(h.name()).startsWith("hook-"));
    AlertSink hook = hooks.get(0);
    for (Status s : Status.values()) {
      assertThat(hook.accepts(s)).as(s.jsonName()).isEqualTo(s.isStop());
    }
    assertThat(hook.parallelism()).isEqualTo(4);
    assertThat(
            options("--on-verdict", "scancel 1234")
                .hooks(PlateauConfig.defaults().hooks(), new StopPolicy(true), Map.of())
                .get(0)
                .accepts(Status.NOT_LEARNING))
        .as("not_learning when the configuration makes it a stop")
        .isTrue();
  }

  @Test
  void theVariableGivesTheHookWhenTheOptionDoesNotAndTheOptionWins() {
    Map<String, String> env = Map.of(SinkOptions.ON_VERDICT_VARIABLE, "scancel 99");
    String fromVariable =
        options().hooks(PlateauConfig.defaults().hooks(), StopPolicy.DEFAULT, env).get(0).name();
    String fromOption =
        options("--on-verdict", "scancel 1")
            .hooks(PlateauConfig.defaults().hooks(), StopPolicy.DEFAULT, env)
            .get(0)
            .name();
    assertThat(fromVariable).isNotEqualTo(fromOption);
    assertThat(options().hooks(PlateauConfig.defaults().hooks(), StopPolicy.DEFAULT, Map.of()))
        .isEmpty();
  }

  @Test
  void configuredHooksKeepTheirNamesAndStatusesAndShareTheSlots() throws Exception {
    PlateauConfig config =
        ConfigLoader.parse(
            """
            hooks:
              max_concurrent: 2
              commands:
                - {name: page, command: [notify, ops], statuses: [diverged]}
                - {command: [scancel, "7"]}
            """,
            "t.yaml");
    List<AlertSink> hooks =
        options("--on-verdict", "echo hi").hooks(config.hooks(), StopPolicy.DEFAULT, Map.of());
    assertThat(hooks).hasSize(3);
    assertThat(hooks.get(0).name()).isEqualTo("page");
    assertThat(hooks.get(0).accepts(Status.DIVERGED)).isTrue();
    assertThat(hooks.get(0).accepts(Status.CONVERGED)).isFalse();
    assertThat(hooks.get(1).name()).startsWith("hook-");
    assertThat(hooks).allSatisfy(h -> assertThat(h.parallelism()).isEqualTo(2));
  }

  @Test
  void unsplittableWordsAndTwoHooksOfOneNameAreRefused() throws Exception {
    assertThatThrownBy(
            () ->
                options("--on-verdict", "scancel 'x")
                    .hooks(PlateauConfig.defaults().hooks(), StopPolicy.DEFAULT, Map.of()))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("--on-verdict: a ' is not closed");
    PlateauConfig twice =
        ConfigLoader.parse("hooks:\n  commands:\n    - {command: [scancel, \"7\"]}\n", "t.yaml");
    assertThatThrownBy(
            () ->
                options("--on-verdict", "scancel 7")
                    .hooks(twice.hooks(), StopPolicy.DEFAULT, Map.of()))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("name them apart");
  }

  @Test
  void configPrintMasksTheValuesOfAHooksEnvironment() throws Exception {
    Map<String, Object> env =
        new java.util.LinkedHashMap<>(Map.of("API_TOKEN", "tok-s3cr3t-value"));
    Map<String, Object> hook =
        new java.util.LinkedHashMap<>(Map.of("command", List.of("a"), "env", env));
    String printed =
        ConfigCommand.printed(
            List.of(
                new dev.plateau.config.EffectiveValue(
                    dev.plateau.config.Settings.byKey("hooks.commands").orElseThrow(),
                    List.of(hook),
                    "file t.yaml")),
            null);
    assertThat(printed).doesNotContain("tok-s3cr3t-value").contains("API_TOKEN", "hooks.commands");
  }
}
