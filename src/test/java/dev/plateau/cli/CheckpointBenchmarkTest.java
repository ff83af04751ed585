package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.write.EventFileWriter;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint to keep, judged on a test set (issue 23): the stored histories of 432 real PyTorch
 * jobs ({@code tools/checkpoint_bench}) written as Keras-layout event files, replayed with the
 * defaults, and scored as {@code tools/checkpoint_bench/score.py} scores them: the kept
 * checkpoint's test regret in units of the run's test-loss range, and the stop epoch. The bounds
 * are the level reached, beside Keras patience 10 and 20 with restore-best on the same histories,
 * for the defaults and for the quality-first setting ({@code min_best_age: 5}).
 */
class CheckpointBenchmarkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Job(String name, double[] train, double[] val, double[] test) {}

  /** A rule's mean stop epoch and mean test regret over the jobs. */
  record Score(double stop, double regret) {}

  @Test
  void keptCheckpointsTestRegretAndStopEpochDoNotRegress(@TempDir Path logdir) throws Exception {
    List<Job> jobs = jobs(Paths.get("tools", "checkpoint_bench", "histories.jsonl.gz"));
    assertThat(jobs).hasSize(432);
    writeEventFiles(jobs, logdir);
    Map<String, JsonNode> defaults = replay(logdir);
    Path quality = logdir.resolveSibling(logdir.getFileName() + "-quality.yaml");
    Files.writeString(quality, "detection:\n  plateau: {min_best_age: 5}\n");
    Map<String, JsonNode> qualityFirst = replay(logdir, "--config", quality.toString());

    Score plateau = plateau(jobs, defaults);
    Score plateauQuality = plateau(jobs, qualityFirst);
    Score keras10 = keras(jobs, 10);
    Score keras20 = keras(jobs, 20);
    String table =
        String.format(
            Locale.ROOT,
            "Plateau: stop %.1f, regret %.4f; min_best_age 5: stop %.1f, regret %.4f;"
                + " Keras patience 10: stop %.1f, regret %.4f; patience 20: stop %.1f, regret %.4f",
            plateau.stop(),
            plateau.regret(),
            plateauQuality.stop(),
            plateauQuality.regret(),
            keras10.stop(),
            keras10.regret(),
            keras20.stop(),
            keras20.regret());
    // Reached: defaults stop 25.5, regret 0.0328 (64 bins; 25.1 / 0.0330 with 128); min_best_age 5
    // stop 38.1, regret 0.0313 (37.8 / 0.0312 with 128);
    // Keras 10: 39.1 / 0.0294; Keras 20: 49.9 / 0.0307. Issue 23's goal (regret no worse than
    // Keras patience 10, stop no later than patience 20) is met for the stop, not the regret.
    assertThat(plateau.stop())
        .as(table)
        .isLessThanOrEqualTo(keras20.stop())
        .isLessThanOrEqualTo(26.0);
    assertThat(plateau.regret()).as(table).isLessThanOrEqualTo(0.0330);
    assertThat(plateauQuality.stop())
        .as(table)
        .isLessThanOrEqualTo(keras20.stop())
        .isLessThanOrEqualTo(38.5);
    assertThat(plateauQuality.regret()).as(table).isLessThanOrEqualTo(0.0315);
  }

  @Test
  void overfittingIsCaughtAsEarlyAsPatienceTenWhereValidationClearlyRises(@TempDir Path logdir)
      throws Exception {
    List<Job> jobs = jobs(Paths.get("tools", "checkpoint_bench", "histories.jsonl.gz"));
    writeEventFiles(jobs, logdir);
    Map<String, JsonNode> decisions = replay(logdir);
    // Clear overfitting: the validation minimum in the first half of the run, and the last 20
    // epochs on average above it by more than 30% of what training had gained by then.
    double lateness = 0;
    int clear = 0;
    for (Job job : jobs) {
      double[] v = job.val();
      int min = argMin(v);
      double tail = 0;
      for (int e = v.length - 20; e < v.length; e++) {
        tail += v[e] / 20;
      }
      if (min < v.length / 2 && tail > v[min] + 0.3 * (v[0] - v[min])) {
        clear++;
        lateness += stopOf(decisions.get(job.name()), v.length - 1) - keras(v, 10)[0];
      }
    }
    // Reached: 224 such jobs, Plateau's stop 0.1 epochs after patience 10's on average.
    assertThat(clear).isGreaterThan(150);
    assertThat(lateness / clear)
        .as("mean epochs after Keras patience 10 over %d jobs", clear)
        .isLessThanOrEqualTo(0.5);
  }

  private static void writeEventFiles(List<Job> jobs, Path logdir) throws Exception {
    for (Job job : jobs) {
      try (EventFileWriter train =
              EventFileWriter.create(logdir.resolve(job.name()).resolve("train"), 1.7e9, "b", 0);
          EventFileWriter validation =
              EventFileWriter.create(
                  logdir.resolve(job.name()).resolve("validation"), 1.7e9, "b", 0)) {
        for (int e = 0; e < job.val().length; e++) {
          train.simpleValue("epoch_loss", e, 1.7e9 + e, (float) job.train()[e]);
          validation.simpleValue("epoch_loss", e, 1.7e9 + e, (float) job.val()[e]);
        }
      }
    }
  }

  /** {@code plateau replay --format json}: each job's verdict of JOB/validation epoch_loss. */
  private static Map<String, JsonNode> replay(Path logdir, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("replay", logdir.toString(), "--format", "json"));
    args.addAll(List.of(options));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = Main.run(out, new PrintWriter(new StringWriter()), args.toArray(String[]::new));
    assertThat(exit).isZero();
    Map<String, JsonNode> decisions = new HashMap<>();
    for (JsonNode v : JSON.readTree(out.toString(StandardCharsets.UTF_8))) {
      String run = v.get("run").asText();
      if (run.endsWith("/validation") && v.get("tag").asText().equals("epoch_loss")) {
        decisions.put(run.substring(0, run.length() - "/validation".length()), v);
      }
    }
    return decisions;
  }

  private static int stopOf(JsonNode decision, int last) {
    return decision.get("decided_at_step").isNull()
        ? last
        : decision.get("decided_at_step").asInt();
  }

  private static Score plateau(List<Job> jobs, Map<String, JsonNode> decisions) {
    double stop = 0;
    double regret = 0;
    for (Job job : jobs) {
      JsonNode d = decisions.get(job.name());
      assertThat(d).as(job.name()).isNotNull();
      int at = stopOf(d, job.val().length - 1);
      int kept = d.get("best_step").isNull() ? at : d.get("best_step").asInt();
      stop += (double) at / jobs.size();
      regret += regret(job, kept) / jobs.size();
    }
    return new Score(stop, regret);
  }

  private static Score keras(List<Job> jobs, int patience) {
    double stop = 0;
    double regret = 0;
    for (Job job : jobs) {
      int[] keras = keras(job.val(), patience);
      stop += (double) keras[0] / jobs.size();
      regret += regret(job, keras[1]) / jobs.size();
    }
    return new Score(stop, regret);
  }

  private static int argMin(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] < v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The kept epoch's test loss above the run's lowest, in units of the run's test-loss range. */
  private static double regret(Job job, int kept) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : job.test()) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return (job.test()[kept] - lo) / Math.max(hi - lo, 1e-12);
  }

  /** Keras EarlyStopping(patience, restore_best_weights): {stop epoch, kept epoch}. */
  private static int[] keras(double[] val, int patience) {
    double best = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    int wait = 0;
    for (int e = 0; e < val.length; e++) {
      if (val[e] < best) {
        best = val[e];
        bestEpoch = e;
        wait = 0;
      } else if (++wait >= patience) {
        return new int[] {e, bestEpoch};
      }
    }
    return new int[] {val.length - 1, bestEpoch};
  }

  private static List<Job> jobs(Path file) throws Exception {
    List<Job> jobs = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode n = JSON.readTree(line);
        jobs.add(
            new Job(
                n.get("name").asText(),
                doubles(n.get("train_loss")),
                doubles(n.get("val_loss")),
                doubles(n.get("test_loss"))));
      }
    }
    return jobs;
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}
