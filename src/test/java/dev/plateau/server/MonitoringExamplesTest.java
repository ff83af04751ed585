package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.DeliveryWorker;
import dev.plateau.daemon.Watcher;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.RetryPolicy;
import dev.plateau.state.StateStore;
import dev.plateau.testing.LoopbackStatus;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The shipped Prometheus alerts ({@code examples/prometheus/alerts.yaml}) and Grafana dashboard
 * ({@code examples/grafana/plateau.json}) are well formed, and every metric their expressions name
 * is in a real scrape of {@code /metrics}, over HTTP, from a status server over a daemon with an
 * experiment and a sink; every Plateau metric of that scrape is in {@code docs/metrics.md}.
 */
class MonitoringExamplesTest {
  static final Path ALERTS = Path.of("examples/prometheus/alerts.yaml");
  static final Path DASHBOARD = Path.of("examples/grafana/plateau.json");
  static final Path DOCS = Path.of("docs/metrics.md");

  /** PromQL words that are not metric names (functions are told by the parenthesis after them). */
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "inf",
          "nan");

  private static final Pattern NAME = Pattern.compile("\\b[a-zA-Z_:][a-zA-Z0-9_:]*\\b(?!\\s*\\()");
  private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");

  @TempDir static Path temp;
  static Set<String> scraped;
  static String scrape;

  @BeforeAll
  static void scrapeARunningServer() throws Exception {
    Clock clock = Clock.systemUTC();
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    double start = clock.millis() / 1000.0 - 100;
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("exp1"), start, "h", 0)) {
      for (int t = 0; t < 10; t++) {
        w.simpleValue("val_loss", t, start + t, 5 - t * 0.1f);
      }
    }
    try (StateStore store = StateStore.open(temp.resolve("s.db"), false, clock)) {
      AlertSink sink = LoopbackStatus.unansweredWebhook(clock);
      Watcher watcher = LoopbackStatus.watcher(logdir, store, List.of(sink), clock);
      watcher.poll();
      Daemon daemon =
          LoopbackStatus.daemon(
              watcher, List.of(new DeliveryWorker(sink, store, RetryPolicy.DEFAULT, clock)));
      try (StatusServer server =
          LoopbackStatus.server(daemon, store, Duration.ofMinutes(5), clock)) {
        RawHttp.Response r = RawHttp.get(server.address().getPort(), "/metrics");
        assertThat(r.status()).isEqualTo(200);
        scrape = r.body();
      }
    }
    scraped = new HashSet<>();
    for (String line : scrape.lines().toList()) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        scraped.add(line.split("[{ ]", 2)[0]);
      }
    }
  }

  @Test
  void theAlertRulesAreWellFormedAndNameOnlyExportedMetrics() throws Exception {
    Object loaded =
        new Load(LoadSettings.builder().build()).loadFromString(Files.readString(ALERTS));
    List<Map<String, Object>> groups = listOf(mapOf(loaded).get("groups"));
    assertThat(groups).isNotEmpty();
    Set<String> alerts = new TreeSet<>();
    Set<String> named = new TreeSet<>();
    for (Map<String, Object> group : groups) {
      assertThat(group.get("name")).isInstanceOf(String.class);
      for (Map<String, Object> rule : listOf(group.get("rules"))) {
        String alert = (String) rule.get("alert");
        assertThat(alert).as("every rule is an alert with a name").isNotBlank();
        assertThat(alerts.add(alert)).as(alert + " is named once").isTrue();
        String expr = (String) rule.get("expr");
        assertThat(expr).as(alert).isNotBlank();
        if (rule.containsKey("for")) {
          assertThat(DURATION.matcher((String) rule.get("for")).matches()).as(alert).isTrue();
        }
        assertThat(mapOf(rule.get("labels")).get("severity"))
            .as(alert)
            .isIn("critical", "warning", "info");
        assertThat(mapOf(rule.get("annotations")).get("summary")).as(alert).isNotNull();
        named.addAll(metricsIn(alert, expr));
      }
    }
    assertThat(alerts)
        .as("the cases issue 18 asks for")
        .contains(
            "PlateauExperimentDiverged",
            "PlateauExperimentStalled",
            "PlateauExperimentNotLearning",
            "PlateauDeliveriesFailing",
            "PlateauLagging",
            "PlateauRoundsFailing");
    assertThat(scraped).containsAll(named);
  }

  @Test
  void theDashboardIsWellFormedAndNamesOnlyExportedMetrics() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    assertThat(dashboard.path("title").asText()).isEqualTo("Plateau");
    assertThat(dashboard.path("uid").asText()).isNotBlank();
    Set<Integer> ids = new HashSet<>();
    Set<String> named = new TreeSet<>();
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
      assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      String title = panel.path("title").asText();
      assertThat(panel.path("targets").size()).as(title).isPositive();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("refId").asText()).as(title).isNotBlank();
        named.addAll(metricsIn(title, target.path("expr").asText()));
        queries++;
      }
    }
    assertThat(queries).isGreaterThan(10);
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher m =
          Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)")
              .matcher(variable.path("definition").asText());
      if (m.find()) {
        named.add(m.group(1));
      }
    }
    assertThat(named)
        .as("the dashboard shows the status gauge, the histograms and the JVM")
        .contains(
            "plateau_experiment_status",
            "plateau_round_duration_seconds_bucket",
            "plateau_read_lag_seconds_bucket",
            "jvm_memory_used_bytes");
    assertThat(scraped).containsAll(named);
  }

  @Test
  void everyPlateauMetricOfTheScrapeIsDocumented() throws Exception {
    String docs = Files.readString(DOCS);
    Set<String> families = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^# TYPE (plateau_\\w+) (\\w+)$").matcher(scrape);
    while (m.find()) {
      families.add(m.group(1));
    }
    assertThat(families).hasSizeGreaterThan(20);
    List<String> missing = new ArrayList<>();
    for (String family : families) {
      if (!docs.contains("`" + family + "`") && !docs.contains("`" + family + "{")) {
        missing.add(family);
      }
    }
    assertThat(missing).as("in docs/metrics.md").isEmpty();
  }

  /**
   * The metric names {@code expr} mentions: identifiers left once strings, label matchers, ranges,
   * grouping labels and Grafana variables are taken out, other than functions and keywords. Its
   * brackets must balance.
   */
  static Set<String> metricsIn(String what, String expr) {
    String bare =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
            .replaceAll("\\$\\w+", "");
    int depth = 0;
    for (char c : bare.toCharArray()) {
      depth += c == '(' || c == '{' || c == '[' ? 1 : c == ')' || c == '}' || c == ']' ? -1 : 0;
      assertThat(depth).as(what + ": brackets of " + expr).isNotNegative();
    }
    assertThat(depth).as(what + ": brackets of " + expr).isZero();
    bare =
        bare.replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = NAME.matcher(bare);
    while (m.find()) {
      String word = m.group();
      if (!KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    assertThat(names).as(what + ": a metric in " + expr).isNotEmpty();
    return names;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapOf(Object yaml) {
    assertThat(yaml).isInstanceOf(Map.class);
    return (Map<String, Object>) yaml;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> listOf(Object yaml) {
    assertThat(yaml).isInstanceOf(List.class);
    return (List<Map<String, Object>>) yaml;
  }
}
