package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.testing.SharedFixtures;
import dev.plateau.write.EventFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance figures of the default configuration, kept from regressing: the real learning
 * curves of ../shared/curves written as event files, replayed, and scored as
 * ../shared/tools/detect_eval.py scores them (regret against the curve's centred-moving-average
 * level, tau 0.02, curves of 20+ finite points, mean over sources). Each set's bounds are the level
 * the default configuration reached (docs/detectors.md "How well it works"), so a change that gives
 * back false stops or savings fails here.
 */
class CurvesBenchmarkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TAU = 0.02;

  record Curve(String id, String source, String tag, boolean max, long[] steps, double[] values) {}

  /** MACRO figures of one set, and the per-source table that explains a failure. */
  record Figures(int sources, double falseStops, double savings, String table) {}

  @Test
  void cleanCurvesStopEarlyWithFewFalseStops(@TempDir Path logdir) throws Exception {
    Figures f = score("curves.jsonl", logdir);
    assertThat(f.sources()).as(f.table()).isEqualTo(3);
    // Issue goal: <= 5% at >= 0.25; reached 4.3% / 0.259 with 64 bins (4.5% / 0.261 with 128; the
    // checkpoint the best measured point since issue 23; 4.2% when it was the best smoothed
    // level's point, which this score favours).
    assertThat(f.falseStops()).as(f.table()).isLessThanOrEqualTo(0.044);
    assertThat(f.savings()).as(f.table()).isGreaterThanOrEqualTo(0.255);
  }

  @Test
  void noisyCurvesStopFalselyOnAtMostOneInTwelve(@TempDir Path logdir) throws Exception {
    Figures f = score("noisy.jsonl", logdir);
    assertThat(f.sources()).as(f.table()).isEqualTo(3);
    // Issue goal: <= 10% (first) with savings >= 0.20; reached 7.6% / 0.161 with 64 bins (8.2% /
    // 0.167 with 128; 8.0% with the smoothed level's checkpoint; Keras patience 10: 60.3% / 0.631;
    // the defaults before the gate: 51.3% / 0.550).
    assertThat(f.falseStops()).as(f.table()).isLessThanOrEqualTo(0.077);
    assertThat(f.savings()).as(f.table()).isGreaterThanOrEqualTo(0.158);
  }

  private static Figures score(String set, Path logdir) throws Exception {
    Path file = SharedFixtures.require("curves/" + set);
    Map<String, Curve> byRun = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      Curve c = parse(JSON.readTree(line));
      if (c == null) {
        continue;
      }
      String run = c.id().replaceAll("[^A-Za-z0-9._-]+", "_");
      byRun.put(run, c);
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve(run), 1.7e9, "bench", 0)) {
        for (int i = 0; i < c.values().length; i++) {
          w.simpleValue(c.tag(), c.steps()[i], 1.7e9 + i, (float) c.values()[i]);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Main.run(
            out,
            new PrintWriter(new StringWriter()),
            "replay",
            logdir.toString(),
            "--format",
            "json");
    assertThat(exit).isZero();
    Map<String, List<double[]>> bySource = new TreeMap<>();
    for (JsonNode verdict : JSON.readTree(out.toString(StandardCharsets.UTF_8))) {
      Curve c = byRun.get(verdict.get("run").asText());
      bySource
          .computeIfAbsent(c.source().split("/")[0], s -> new ArrayList<>())
          .add(score(c, verdict));
    }
    double savings = 0;
    double falseStops = 0;
    StringBuilder table = new StringBuilder();
    for (Map.Entry<String, List<double[]>> e : bySource.entrySet()) {
      double s = e.getValue().stream().mapToDouble(r -> r[0]).average().orElse(0);
      double f =
          e.getValue().stream().filter(r -> r[1] > TAU).count() / (double) e.getValue().size();
      table.append(String.format("%s: savings %.3f, false stops %.1f%%%n", e.getKey(), s, 100 * f));
      savings += s / bySource.size();
      falseStops += f / bySource.size();
    }
    table.append(
        String.format("MACRO: savings %.3f, false stops %.1f%%", savings, 100 * falseStops));
    return new Figures(bySource.size(), falseStops, savings, table.toString());
  }

  private static Curve parse(JsonNode n) {
    JsonNode values = n.get("values");
    if (values.size() < 20) {
      return null;
    }
    double[] v = new double[values.size()];
    long[] steps = new long[values.size()];
    for (int i = 0; i < v.length; i++) {
      if (values.get(i).isNull() || !Double.isFinite(values.get(i).asDouble())) {
        return null; // curves with NaN are scored apart (divergence)
      }
      v[i] = values.get(i).asDouble();
      steps[i] = n.get("steps").get(i).asLong();
    }
    return new Curve(
        n.get("id").asText(),
        n.get("source").asText(),
        n.get("metric").asText(),
        n.get("mode").asText().equals("max"),
        steps,
        v);
  }

  /** {savings, regret} of one verdict, as detect_eval.py computes them. */
  private static double[] score(Curve c, JsonNode verdict) {
    String status = verdict.get("status").asText();
    if (status.equals("training")
        || status.equals("stalled")
        || status.equals("not_learning")
        || verdict.get("decided_at_step").isNull()) {
      return new double[] {0, 0};
    }
    int t = c.values().length;
    int i = indexOf(c.steps(), verdict.get("decided_at_step").asLong());
    int j =
        verdict.get("best_step").isNull()
            ? i
            : indexOf(c.steps(), verdict.get("best_step").asLong());
    if (i < 0) {
      return new double[] {0, 0};
    }
    if (j < 0) {
      j = i;
    }
    double[] level = level(c);
    double best = Double.POSITIVE_INFINITY;
    double worst = Double.NEGATIVE_INFINITY;
    for (double x : level) {
      best = Math.min(best, x);
      worst = Math.max(worst, x);
    }
    double range = Math.max(worst - best, 1e-12);
    return new double[] {(t - 1.0 - i) / (t - 1.0), (level[j] - best) / range};
  }

  /** The centred moving average over 2*floor(T/40)+1 points, oriented lower-is-better. */
  private static double[] level(Curve c) {
    int t = c.values().length;
    int h = t / 40;
    double[] out = new double[t];
    for (int i = 0; i < t; i++) {
      double sum = 0;
      int n = 0;
      for (int k = Math.max(0, i - h); k <= Math.min(t - 1, i + h); k++) {
        sum += c.max() ? -c.values()[k] : c.values()[k];
        n++;
      }
      out[i] = sum / n;
    }
    return out;
  }

  private static int indexOf(long[] steps, long step) {
    for (int i = 0; i < steps.length; i++) {
      if (steps[i] == step) {
        return i;
      }
    }
    return -1;
  }
}
