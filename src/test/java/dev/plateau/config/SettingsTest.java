package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The settings table is the one source of every setting's forms: each daemon setting has a key, a
 * variable and a flag, the documented file holds only settings and their defaults, and the
 * documentation's table has a row for each (so a setting added to a section fails here until it is
 * documented).
 */
class SettingsTest {
  private static final Path DOCS = Path.of("docs/configuration.md");
  private static final Set<String> DAEMON_SECTIONS = Set.of("daemon", "state", "http", "log");

  @Test
  void everyDaemonSettingHasAKeyAVariableAndAFlag() {
    List<Setting> daemon =
        Settings.all().stream().filter(s -> DAEMON_SECTIONS.contains(s.section())).toList();
    assertThat(daemon).extracting(Setting::key).contains("daemon.poll_interval", "http.address");
    for (Setting setting : daemon) {
      assertThat(setting.flag()).as(setting.key()).isNotNull().startsWith("--");
    }
    for (Setting setting : Settings.all()) {
      assertThat(setting.variable())
          .as(setting.key())
          .isEqualTo("PLATEAU_" + setting.key().toUpperCase().replace('.', '_'));
    }
  }

  @Test
  void variablesKeepTheNamesUsersAlreadySet() {
    assertThat(Settings.byKey("state.dir").orElseThrow().variable()).isEqualTo("PLATEAU_STATE_DIR");
    assertThat(Settings.byKey("http.token").orElseThrow().variable())
        .isEqualTo("PLATEAU_HTTP_TOKEN");
    assertThat(Settings.byKey("http.token_file").orElseThrow().variable())
        .isEqualTo("PLATEAU_HTTP_TOKEN_FILE");
    assertThat(Settings.byKey("log.format").orElseThrow().variable())
        .isEqualTo("PLATEAU_LOG_FORMAT");
    assertThat(Settings.byKey("slack.url").orElseThrow().variable()).isEqualTo("PLATEAU_SLACK_URL");
  }

  @Test
  void theDocumentationTableHasARowForEverySettingWithItsForms() throws Exception {
    List<String> rows = Files.readAllLines(DOCS).stream().filter(l -> l.startsWith("| `")).toList();
    List<String> missing = new ArrayList<>();
    for (Setting setting : Settings.all()) {
      String key = "`" + setting.key() + "`";
      String row = rows.stream().filter(r -> r.startsWith("| " + key + " ")).findFirst().orElse("");
      boolean complete =
          row.contains("`" + setting.variable() + "`")
              && (setting.flag() == null
                  ? row.contains("| — |")
                  : row.contains("`" + setting.flag() + "`"));
      if (!complete) {
        missing.add(setting.key() + " (" + setting.variable() + ", " + setting.flag() + ")");
      }
    }
    assertThat(missing).as("settings without a complete row in " + DOCS).isEmpty();
  }

  @Test
  void everyKeyOfTheDocumentedFileIsASetting() throws Exception {
    Map<String, Object> documented = ConfigLoader.documentedDefaults();
    assertThat(documented).isNotEmpty();
    List<String> keys = new ArrayList<>();
    flatten("", documented, keys);
    Set<String> settings =
        Settings.all().stream().map(Setting::key).collect(java.util.stream.Collectors.toSet());
    assertThat(keys).isNotEmpty();
    assertThat(
            keys.stream()
                .filter(k -> !PlateauConfig.KEYS.contains(k) && !settings.contains(k))
                .toList())
        .isEmpty();
  }

  @Test
  void theDocumentedDaemonSectionsAreTheBuiltInDefaults() throws Exception {
    PlateauConfig file = ConfigLoader.load(Path.of("config/plateau.yaml"));
    assertThat(file.daemon()).isEqualTo(DaemonConfig.defaults());
    assertThat(file.http()).isEqualTo(HttpConfig.defaults());
    assertThat(file.log()).isEqualTo(new LogConfig("INFO", LogFormat.TEXT));
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> tree, List<String> out) {
    for (Map.Entry<String, Object> e : tree.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map<?, ?> child) {
        flatten(key, (Map<String, Object>) child, out);
      } else {
        out.add(key);
      }
    }
  }
}
