package dev.plateau.verdict;

import dev.plateau.config.SweepConfig;
import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's runs ranked on one tag, best first, the first being the leader: for the status page.
 * Built from experiment verdicts alone (each run's deciding series: its best value so far and the
 * step it was measured at), grouped as the lagging rule groups them ({@link Sweeps}, splits with
 * their like), so it needs no state of its own and can be built on any thread.
 *
 * @param sweep the sweep's name (its parent directory, or its glob)
 * @param tag the tag compared, with the split ("/validation") when the runs have one
 * @param runs the runs, best first
 */
public record SweepRanks(String sweep, String tag, List<Ranked> runs) {
  public SweepRanks {
    runs = List.copyOf(runs);
  }

  /**
   * One run of a ranked sweep.
   *
   * @param experiment the experiment
   * @param status its status
   * @param bestValue its best value so far on the tag
   * @param bestStep the step of that value
   * @param lastStep its last step (runs further along have had more time to improve)
   */
  public record Ranked(
      String experiment, Status status, double bestValue, Long bestStep, long lastStep) {}

  /** The leader: the run with the best value. */
  public Ranked leader() {
    return runs.get(0);
  }

  /**
   * The sweeps of {@code experiments} with at least two runs on a tag, in sweep and tag order. Only
   * series with a finite best value are ranked.
   */
  public static List<SweepRanks> of(List<ExperimentVerdict> experiments, SweepConfig config) {
    Map<String, List<Ranked>> groups = new TreeMap<>();
    Map<String, Mode> modes = new TreeMap<>();
    Map<String, String[]> names = new TreeMap<>();
    for (ExperimentVerdict e : experiments) {
      String sweep = Sweeps.of(e.experiment(), config.groups());
      if (sweep == null) {
        continue;
      }
      for (Verdict v : e.deciding().isEmpty() ? e.series() : e.deciding()) {
        if (v.bestStep() == null || !Double.isFinite(v.bestValue())) {
          continue;
        }
        String split =
            v.run().length() > e.experiment().length()
                ? v.run().substring(e.experiment().length())
                : "";
        String key = sweep + '\0' + v.tag() + split;
        groups
            .computeIfAbsent(key, k -> new ArrayList<>())
            .add(new Ranked(e.experiment(), e.status(), v.bestValue(), v.bestStep(), v.lastStep()));
        modes.putIfAbsent(key, v.mode());
        names.putIfAbsent(key, new String[] {sweep, v.tag() + split});
      }
    }
    List<SweepRanks> out = new ArrayList<>();
    for (Map.Entry<String, List<Ranked>> g : groups.entrySet()) {
      if (g.getValue().size() < 2) {
        continue;
      }
      Comparator<Ranked> byValue = Comparator.comparingDouble(Ranked::bestValue);
      if (modes.get(g.getKey()) == Mode.MAX) {
        byValue = byValue.reversed();
      }
      List<Ranked> ranked = new ArrayList<>(g.getValue());
      ranked.sort(byValue.thenComparing(Ranked::experiment));
      String[] name = names.get(g.getKey());
      out.add(new SweepRanks(name[0], name[1], ranked));
    }
    return out;
  }
}
