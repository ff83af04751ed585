package dev.plateau.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.config.ConfigException;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.PlateauConfig;
import dev.plateau.config.Settings;
import dev.plateau.detect.Mode;
import dev.plateau.detect.Verdict;
import dev.plateau.format.TextTable;
import dev.plateau.series.RunSeries;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.tune.CurveScore;
import dev.plateau.tune.Frontier;
import dev.plateau.tune.Score;
import dev.plateau.tune.Stop;
import dev.plateau.tune.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code plateau tune}: replays a logdir's finished runs with a grid of detector settings, scores
 * each setting as the project's evaluation tool does, and proposes the one that saves most within a
 * false-stop budget.
 */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Replays the finished runs of LOGDIR (as plateau replay does) once per setting of a grid of"
          + " detector parameters and scores each setting on the runs themselves: a stop is false"
          + " when the checkpoint it keeps is worse than the run's best level by more than --tau of"
          + " the level's range (noise-aware: and by more than two standard errors of the level);"
          + " savings is the share of the run after the stop. Prints every setting, marks the"
          + " frontier (no other setting has fewer false stops and more savings), and a YAML"
          + " snippet for the setting that saves most with at most --max-false false stops.",
      "",
      "Series with fewer than --min-len points are not scored; series with a NaN or infinite"
          + " value are scored apart (how soon after the first one the setting stopped).",
      "Exit codes: 0 scored; 2 error (missing logdir, invalid configuration or grid)."
    })
final class TuneCommand implements Callable<Integer> {
  /** The grid used when none is given: the default detector's main parameters. */
  static final List<String> DEFAULT_GRID =
      List.of(
          "plateau.min_delta=0.01,0.02,0.04",
          "plateau.horizon=0.5,1,2",
          "plateau.min_best_age=0,5");

  /** At most this many settings: each is a replay of the whole logdir. */
  static final int MAX_SETTINGS = 500;

  @Spec CommandSpec spec;

  @Mixin JudgingOptions options;

  @Option(
      names = "--grid",
      paramLabel = "KEY=V1,V2,...",
      description =
          "A detection key and the values to try (repeatable; keys as in the configuration,"
              + " with or without 'detection.', e.g. plateau.min_delta=0.01,0.02). Default: "
              + "plateau.min_delta=0.01,0.02,0.04 plateau.horizon=0.5,1,2"
              + " plateau.min_best_age=0,5.")
  List<String> grid = new ArrayList<>();

  @Option(names = "--current", description = "Score only the configuration in effect (no grid).")
  boolean current;

  @Option(
      names = "--max-false",
      paramLabel = "RATE",
      defaultValue = "5%",
      description =
          "The false-stop budget of the proposed setting, e.g. 5% or 0.05 (default: ${DEFAULT-VALUE}).")
  String maxFalse;

  @Option(
      names = "--tau",
      defaultValue = "0.02",
      description =
          "A stop is false when its kept checkpoint's level is worse than the best by more than"
              + " this share of the level's range (default: ${DEFAULT-VALUE}).")
  double tau;

  @Option(
      names = "--min-len",
      defaultValue = "20",
      description = "Series with fewer points are not scored (default: ${DEFAULT-VALUE}).")
  int minLength;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Settings replayed at once (default: the number of processors).")
  @Nullable Integer threads;

  /** One setting of the grid and its scores. */
  record Scored(
      Map<String, String> keys,
      Summary summary,
      List<CurveResult> curves,
      DivergedSummary diverged) {}

  /** One scored series. */
  record CurveResult(SeriesKey key, int points, @Nullable Stop stop, Score score) {}

  /** How a setting stopped the series with a non-finite value. */
  record DivergedSummary(int curves, int stopped, double meanPointsAfterFirstNonFinite) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    PlateauConfig base = options.prepare(err, "tune");
    if (base == null) {
      return 2;
    }
    double budget;
    List<Map<String, String>> settings;
    try {
      budget = rate(maxFalse);
      settings = current ? List.of(Map.of()) : settings(grid.isEmpty() ? DEFAULT_GRID : grid);
      for (Map<String, String> keys : settings) {
        load(keys); // every value checked before the first replay
      }
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("plateau tune: " + e.getMessage());
      return 2;
    }
    if (tau < 0 || minLength < 2) {
      err.println("plateau tune: --tau must not be negative and --min-len must be at least 2");
      return 2;
    }
    if (!current && !base.detection().rules().isEmpty()) {
      err.println(
          "plateau tune: note: the configuration's rules apply over the grid to the runs they"
              + " match; a rule that sets a key of the grid makes every setting score the same"
              + " on those runs");
    }
    Backtest.Read read = Backtest.read(options.logdir, err, "tune");
    List<Scored> scored = scoreAll(read, settings, err);
    List<Scored> frontier = Frontier.of(scored, Scored::summary);
    Optional<Scored> chosen = Frontier.best(scored, Scored::summary, budget);
    if (options.json()) {
      out.println(json(scored, frontier, chosen.orElse(null), budget));
    } else {
      out.print(table(scored, frontier, chosen.orElse(null), budget));
    }
    out.flush();
    return 0;
  }

  private List<Scored> scoreAll(
      Backtest.Read read, List<Map<String, String>> settings, PrintWriter err)
      throws InterruptedException {
    int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, settings.size())));
    try {
      List<Future<Scored>> futures = new ArrayList<>();
      for (Map<String, String> keys : settings) {
        futures.add(pool.submit(() -> score(read, keys, err)));
      }
      List<Scored> out = new ArrayList<>();
      for (Future<Scored> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "scoring a setting failed: " + e.getCause(), e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private Scored score(Backtest.Read read, Map<String, String> keys, PrintWriter err)
      throws ConfigException {
    PlateauConfig config = load(keys);
    // Problems of the files were said when they were read; a judge's are said once, by the first.
    PrintWriter quiet = new PrintWriter(new StringWriter());
    Backtest.Result result = Backtest.judge(read, config.detection(), quiet, "tune");
    List<CurveResult> curves = new ArrayList<>();
    List<Score> finite = new ArrayList<>();
    int diverged = 0;
    int divergedStopped = 0;
    long delays = 0;
    for (Verdict last : result.judge().seriesVerdicts()) {
      SeriesKey key = new SeriesKey(last.run(), last.tag());
      RunSeries run = read.runs().get(last.run());
      Series series = run == null ? null : run.byTag().get(last.tag());
      if (series == null || series.size() < minLength) {
        continue;
      }
      double[] values = oriented(series, last.mode());
      Stop stop = stop(series, result.firstSeriesStop().get(key));
      if (CurveScore.allFinite(values)) {
        Score score = CurveScore.score(values, stop);
        finite.add(score);
        curves.add(new CurveResult(key, series.size(), stop, score));
      } else {
        diverged++;
        if (stop != null) {
          divergedStopped++;
          delays += Math.max(0, stop.at() - firstNonFinite(values));
        }
      }
    }
    return new Scored(
        keys,
        Summary.of(finite, tau),
        curves,
        new DivergedSummary(
            diverged,
            divergedStopped,
            divergedStopped == 0 ? Double.NaN : (double) delays / divergedStopped));
  }

  /**
   * The configuration in effect with a setting's keys over it, as variables would set them (so they
   * take the same values and the same checks).
   */
  private PlateauConfig load(Map<String, String> keys) throws ConfigException {
    Map<String, String> environment = new LinkedHashMap<>(System.getenv());
    for (Map.Entry<String, String> key : keys.entrySet()) {
      dev.plateau.config.Setting setting =
          Settings.byKey(key.getKey())
              .filter(s -> s.key().startsWith("detection."))
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "--grid: "
                              + key.getKey()
                              + " is not a detection key (e.g. plateau.min_delta,"
                              + " patience.patience)"));
      environment.put(setting.variable(), key.getValue());
    }
    if (keys.isEmpty()) {
      return ConfigLoader.load(options.config.path(), environment);
    }
    try {
      return ConfigLoader.load(options.config.path(), environment);
    } catch (ConfigException e) {
      throw new ConfigException("--grid " + describe(keys) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The stop of a series' first stopping verdict, as indexes into its points: the decided step's
   * first index, and the best step's (the decided index when the best step is not a point).
   */
  static @Nullable Stop stop(Series series, @Nullable Verdict first) {
    if (first == null || first.decidedAtStep() == null) {
      return null;
    }
    int at = indexOf(series, first.decidedAtStep());
    if (at < 0) {
      return null;
    }
    int kept = first.bestStep() == null ? -1 : indexOf(series, first.bestStep());
    return new Stop(at, kept < 0 ? at : kept);
  }

  private static int indexOf(Series series, long step) {
    for (int i = 0; i < series.size(); i++) {
      if (series.step(i) == step) {
        return i;
      }
    }
    return -1;
  }

  /** The values with lower better: a max metric's negated. */
  private static double[] oriented(Series series, Mode mode) {
    double[] v = new double[series.size()];
    for (int i = 0; i < v.length; i++) {
      double x = series.value(i);
      v[i] = Double.isFinite(x) ? (mode == Mode.MAX ? -x : x) : Double.NaN;
    }
    return v;
  }

  private static int firstNonFinite(double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        return i;
      }
    }
    return values.length;
  }

  /** A rate as "5%" or "0.05". */
  static double rate(String text) {
    String t = text.strip();
    try {
      double r =
          t.endsWith("%")
              ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100
              : Double.parseDouble(t);
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException("--max-false must be between 0% and 100%: " + text);
      }
      return r;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--max-false: not a rate: '" + text + "' (e.g. 5% or 0.05)", e);
    }
  }

  /** The settings of a grid: the product of every key's values, in the order given. */
  static List<Map<String, String>> settings(List<String> grid) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (String entry : grid) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException(
            "--grid: expected KEY=V1,V2,..., e.g. plateau.min_delta=0.01,0.02; got '"
                + entry
                + "'");
      }
      String key = entry.substring(0, eq).strip();
      String path = key.startsWith("detection.") ? key : "detection." + key;
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> setting : out) {
        if (setting.containsKey(path)) {
          throw new IllegalArgumentException("--grid: " + key + " is given twice");
        }
        for (String value : entry.substring(eq + 1).split(",")) {
          if (value.isBlank()) {
            throw new IllegalArgumentException("--grid: an empty value in '" + entry + "'");
          }
          Map<String, String> with = new LinkedHashMap<>(setting);
          with.put(path, value.strip());
          next.add(with);
        }
      }
      out = next;
      if (out.size() > MAX_SETTINGS) {
        throw new IllegalArgumentException(
            "--grid: more than " + MAX_SETTINGS + " settings; try fewer values");
      }
    }
    return out;
  }

  private String table(
      List<Scored> scored, List<Scored> frontier, @Nullable Scored chosen, double budget) {
    TextTable table =
        new TextTable(
            new String[] {
              "SETTING",
              "CURVES",
              "STOPPED",
              "FALSE",
              "NOISE-AWARE",
              "SAVINGS",
              "REGRET",
              "FRONTIER"
            },
            1,
            2,
            3,
            4,
            5,
            6);
    for (Scored s : scored) {
      Summary m = s.summary();
      table.add(
          describe(s.keys()),
          Integer.toString(m.curves()),
          Integer.toString(m.fired()),
          percent(m.falseStopRate()),
          percent(m.noiseAwareFalseStopRate()),
          String.format(Locale.ROOT, "%.3f", m.meanSavings()),
          String.format(Locale.ROOT, "%.4f", m.meanRegret()),
          frontier.contains(s) ? "*" : "");
    }
    StringBuilder out = new StringBuilder(table.render());
    Scored first = scored.get(0);
    out.append(
        String.format(
            Locale.ROOT,
            "%nfalse stop: the kept checkpoint's level is worse than the run's best by more than %s"
                + " of its range (tau); %d series with a NaN or infinity scored apart%n",
            Double.toString(tau),
            first.diverged().curves()));
    if (chosen == null) {
      out.append(
          String.format(
              Locale.ROOT,
              "no setting has at most %s false stops; the fewest: %s%n",
              percent(budget),
              describe(
                  scored.stream()
                      .min(
                          (a, b) ->
                              Double.compare(
                                  a.summary().falseStopRate(), b.summary().falseStopRate()))
                      .orElseThrow()
                      .keys())));
    } else {
      out.append(
          String.format(
              Locale.ROOT,
              "%nthe most savings with at most %s false stops: %s (%s false, savings %.3f)%n%n%s",
              percent(budget),
              describe(chosen.keys()),
              percent(chosen.summary().falseStopRate()),
              chosen.summary().meanSavings(),
              yaml(chosen.keys())));
    }
    return out.toString();
  }

  private String json(
      List<Scored> scored, List<Scored> frontier, @Nullable Scored chosen, double budget) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("tau", tau);
    root.put("max_false", budget);
    root.put("min_len", minLength);
    ArrayNode settings = root.putArray("settings");
    for (Scored s : scored) {
      ObjectNode o = settings.addObject();
      ObjectNode keys = o.putObject("keys");
      s.keys().forEach(keys::put);
      summary(o, s.summary());
      o.put("frontier", frontier.contains(s));
      ObjectNode d = o.putObject("diverged");
      d.put("curves", s.diverged().curves());
      d.put("stopped", s.diverged().stopped());
      d.put("never_stopped", s.diverged().curves() - s.diverged().stopped());
      if (Double.isNaN(s.diverged().meanPointsAfterFirstNonFinite())) {
        d.putNull("mean_points_after_first_nonfinite");
      } else {
        d.put("mean_points_after_first_nonfinite", s.diverged().meanPointsAfterFirstNonFinite());
      }
    }
    if (chosen == null) {
      root.putNull("chosen");
    } else {
      ObjectNode c = root.putObject("chosen");
      ObjectNode keys = c.putObject("keys");
      chosen.keys().forEach(keys::put);
      summary(c, chosen.summary());
      c.put("yaml", yaml(chosen.keys()));
      ArrayNode runs = c.putArray("runs");
      for (CurveResult r : chosen.curves()) {
        ObjectNode o = runs.addObject();
        o.put("run", r.key().run());
        o.put("tag", r.key().tag());
        o.put("points", r.points());
        if (r.stop() == null) {
          o.putNull("stopped_at");
          o.putNull("kept");
        } else {
          o.put("stopped_at", r.stop().at());
          o.put("kept", r.stop().kept());
        }
        o.put("savings", r.score().savings());
        o.put("regret", r.score().regret());
        o.put("false_stop", r.score().isFalseStop(tau));
        o.put("false_stop_noise_aware", r.score().isNoiseAwareFalseStop(tau));
      }
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }

  /** The summary's fields, named as the evaluation tool names them. */
  private static void summary(ObjectNode o, Summary m) {
    o.put("curves", m.curves());
    o.put("fired", m.fired());
    o.put("mean_savings", m.meanSavings());
    o.put("false_stop_rate", m.falseStopRate());
    o.put("false_stop_rate_noise_aware", m.noiseAwareFalseStopRate());
    o.put("mean_regret", m.meanRegret());
  }

  private static String describe(Map<String, String> keys) {
    if (keys.isEmpty()) {
      return "(the configuration in effect)";
    }
    List<String> parts = new ArrayList<>();
    keys.forEach((k, v) -> parts.add(k.substring("detection.".length()) + "=" + v));
    return String.join(" ", parts);
  }

  /** The setting as YAML to paste under the configuration (nested by the key paths). */
  static String yaml(Map<String, String> keys) {
    if (keys.isEmpty()) {
      return "# the configuration in effect: nothing to change\n";
    }
    StringBuilder out = new StringBuilder();
    List<String> open = new ArrayList<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(keys).entrySet()) {
      String[] parts = e.getKey().split("\\.");
      int common = 0;
      while (common < open.size()
          && common < parts.length - 1
          && open.get(common).equals(parts[common])) {
        common++;
      }
      while (open.size() > common) {
        open.remove(open.size() - 1);
      }
      for (int i = common; i < parts.length - 1; i++) {
        out.append("  ".repeat(i)).append(parts[i]).append(":\n");
        open.add(parts[i]);
      }
      out.append("  ".repeat(parts.length - 1))
          .append(parts[parts.length - 1])
          .append(": ")
          .append(e.getValue())
          .append('\n');
    }
    return out.toString();
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * rate);
  }
}
