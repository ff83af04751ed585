package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code hooks} section: commands as argument lists, their limits, and what is refused. */
class HooksConfigTest {

  private static HooksConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "test.yaml").hooks();
  }

  @Test
  void noSectionMeansNoHooksAndFourAtOnce() throws Exception {
    assertThat(parse("")).isEqualTo(HooksConfig.defaults());
    assertThat(HooksConfig.defaults().commands()).isEmpty();
    assertThat(HooksConfig.defaults().maxConcurrent()).isEqualTo(4);
  }

  @Test
  void theDocumentedFileHasTheDefaults() throws Exception {
    assertThat(ConfigLoader.load(Path.of("config/plateau.yaml")).hooks())
        .isEqualTo(HooksConfig.defaults());
  }

  @Test
  void aHookKeepsItsArgumentsAsGivenWithItsLimits() throws Exception {
    HooksConfig hooks =
        parse(
            """
            hooks:
              max_concurrent: 2
              commands:
                - name: stop-job
                  command: [kubectl, delete, job, "my job; rm -rf /", "$(x)"]
                  statuses: [converged, diverged]
                  timeout: 90s
                  env: {KUBECONFIG: /etc/kube, NAMESPACE: ml}
                - command: [scancel, "1234"]
            """);
    assertThat(hooks.maxConcurrent()).isEqualTo(2);
    assertThat(hooks.commands()).hasSize(2);
    HooksConfig.Hook first = hooks.commands().get(0);
    assertThat(first.name()).isEqualTo("stop-job");
    assertThat(first.command())
        .containsExactly("kubectl", "delete", "job", "my job; rm -rf /", "$(x)");
    assertThat(first.statuses()).containsExactly("converged", "diverged");
    assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(first.env()).isEqualTo(Map.of("KUBECONFIG", "/etc/kube", "NAMESPACE", "ml"));
    HooksConfig.Hook second = hooks.commands().get(1);
    assertThat(second.name()).as("named by the sink options").isNull();
    assertThat(second.statuses()).as("the stop statuses, decided with the stop policy").isNull();
    assertThat(second.timeout()).isEqualTo(HooksConfig.DEFAULT_TIMEOUT);
    assertThat(second.env()).isEmpty();
  }

  @Test
  void aCommandGivenAsOneStringIsRefusedRatherThanSplit() {
    assertThatThrownBy(() -> parse("hooks:\n  commands:\n    - command: scancel 1234\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.yaml: hooks.commands[0].command")
        .hasMessageContaining("list of arguments");
  }

  @Test
  void mistakesAreNamedWithTheirKey() {
    List<String[]> cases =
        List.of(
            new String[] {"hooks:\n  commands:\n    - {}\n", "hooks.commands[0].command"},
            new String[] {"hooks:\n  commands:\n    - command: []\n", "must name a program"},
            new String[] {
              "hooks:\n  commands:\n    - {command: [a], statuses: [conv]}\n",
              "unknown status 'conv'"
            },
            new String[] {
              "hooks:\n  commands:\n    - {command: [a], statuses: [all, converged]}\n",
              "'all' cannot be combined"
            },
            new String[] {"hooks:\n  commands:\n    - {command: [a], timeout: 0}\n", "above 0"},
            new String[] {
              "hooks:\n  commands:\n    - {command: [a], shell: true}\n", "unknown key"
            },
            new String[] {
              "hooks:\n  commands:\n    - {command: [a], env: {PLATEAU_RUN: x}}\n",
              "PLATEAU_ variables are the verdict's"
            },
            new String[] {
              "hooks:\n  commands:\n    - {command: [a], env: {\"A-B\": x}}\n",
              "not a variable name"
            },
            new String[] {
              "hooks:\n  commands:\n    - {command: [a], name: \"a b\"}\n", "not a hook name"
            },
            new String[] {"hooks:\n  max_concurrent: 0\n", "hooks.max_concurrent"},
            new String[] {"hooks: [a]\n", "must be a mapping"});
    for (String[] c : cases) {
      assertThatThrownBy(() -> parse(c[0])).as(c[0]).hasMessageContaining(c[1]);
    }
  }
}
