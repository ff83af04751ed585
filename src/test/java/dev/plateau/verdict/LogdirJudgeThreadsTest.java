package dev.plateau.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.DetectionConfig;
import dev.plateau.detect.Verdict;
import dev.plateau.series.ScalarPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Judging queued experiments on several threads gives what judging every point as it arrives gives:
 * the same transitions per experiment and series, in the same order, and the same final verdicts,
 * over a feed that mixes experiments, twins, restarts, session starts and NaN.
 */
class LogdirJudgeThreadsTest {
  private static final double T0 = 1_700_000_000;
  private static final int EXPERIMENTS = 40;
  private static final int STEPS = 1_000;
  private static final int QUEUE_LIMIT = 10_000;

  /** Records transitions grouped by experiment (and by series), in the order received. */
  static final class ByExperiment implements VerdictListener {
    final Map<String, List<String>> runs = new TreeMap<>();
    final Map<String, List<String>> series = new TreeMap<>();
    final List<String> threads = new ArrayList<>();

    @Override
    public void seriesTransition(Verdict previous, Verdict current) {
      threads.add(Thread.currentThread().getName());
      series
          .computeIfAbsent(current.run() + "|" + current.tag(), k -> new ArrayList<>())
          .add(
              (previous == null ? "-" : previous.status())
                  + ">"
                  + current.status()
                  + "@"
                  + current.lastStep()
                  + " best "
                  + current.bestStep());
    }

    @Override
    public void experimentTransition(ExperimentVerdict previous, ExperimentVerdict current) {
      runs.computeIfAbsent(current.experiment(), k -> new ArrayList<>())
          .add((previous == null ? "-" : previous.status()) + ">" + current.status());
    }
  }

  /** One event of the feed: a point, or a session start in a run. */
  private record Event(ScalarPoint point, String sessionRun, long sessionStep) {}

  private static List<Event> feed(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    // Each run's points in order, with a restart (a resumed job) or a session start now and then.
    Map<String, List<Event>> perRun = new LinkedHashMap<>();
    for (int e = 0; e < EXPERIMENTS; e++) {
      String experiment = "exp" + e;
      double floor = 0.1 + random.nextDouble();
      double speed = 5 + random.nextInt(200);
      boolean diverges = e % 7 == 3;
      boolean overfits = e % 5 == 1;
      for (String split : List.of("train", "validation")) {
        String run = experiment + "/" + split;
        String loss = split.equals("train") ? "loss" : "val_loss";
        List<Event> events = new ArrayList<>();
        long step = 0;
        for (int i = 0; i < STEPS; i++) {
          double level = floor + 2 * Math.exp(-step / speed);
          if (overfits && split.equals("validation") && step > STEPS / 2) {
            level += 0.002 * (step - STEPS / 2);
          }
          double value =
              diverges && step > STEPS * 3 / 4 ? Double.NaN : level * (1 + 0.02 * gaussian(random));
          events.add(new Event(new ScalarPoint(run, "f", loss, step, T0 + step, value), null, 0));
          events.add(
              new Event(
                  new ScalarPoint(run, "f", "accuracy", step, T0 + step, 1 - level / 3), null, 0));
          if (random.nextInt(400) == 0) {
            step = Math.max(0, step - 1 - random.nextInt(50)); // resumed from an older checkpoint
          } else if (random.nextInt(500) == 0) {
            events.add(new Event(null, run, step + 1));
            step++;
          } else {
            step++;
          }
        }
        perRun.put(run, events);
      }
    }
    // Interleaved as a tailer reads: a stretch of one file, then of another.
    List<Event> out = new ArrayList<>();
    List<String> left = new ArrayList<>(perRun.keySet());
    Map<String, Integer> at = new LinkedHashMap<>();
    while (!left.isEmpty()) {
      String run = left.get(random.nextInt(left.size()));
      List<Event> events = perRun.get(run);
      int from = at.getOrDefault(run, 0);
      int to = Math.min(events.size(), from + 1 + random.nextInt(300));
      out.addAll(events.subList(from, to));
      at.put(run, to);
      if (to == events.size()) {
        left.remove(run);
      }
    }
    return out;
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static DetectionConfig config() throws Exception {
    return ConfigLoader.parse("", "test.yaml").detection();
  }

  /** Feeds the events; {@code everyPoint} judges each point as it arrives (no queue at all). */
  private static LogdirJudge run(
      List<Event> events, ByExperiment listener, JudgeThreads threads, boolean everyPoint)
      throws Exception {
    LogdirJudge judge = new LogdirJudge(config(), listener);
    judge.judgeOn(threads);
    judge.limitQueuesTo(QUEUE_LIMIT); // the queue fills and is judged many times over the feed
    for (Event e : events) {
      if (e.point() != null) {
        judge.observe(e.point());
      } else {
        judge.sessionStart(e.sessionRun(), e.sessionStep());
      }
      if (everyPoint) {
        judge.judgeQueued();
      }
    }
    judge.atTime(T0 + 10 * STEPS);
    return judge;
  }

  @Test
  void judgingOnSeveralThreadsGivesTheTransitionsAndVerdictsOfJudgingEachPointAsItArrives()
      throws Exception {
    List<Event> events = feed(20261124);
    assertThat(events.size()).isGreaterThan(10 * QUEUE_LIMIT);

    ByExperiment atOnce = new ByExperiment();
    LogdirJudge reference = run(events, atOnce, JudgeThreads.SERIAL, true);
    ByExperiment serial = new ByExperiment();
    LogdirJudge queuedSerial = run(events, serial, JudgeThreads.SERIAL, false);
    ByExperiment parallel = new ByExperiment();
    LogdirJudge queuedParallel;
    try (JudgeThreads threads = JudgeThreads.of(3)) {
      queuedParallel = run(events, parallel, threads, false);
    }

    // The feed is rich enough to tell judges apart: many transitions, of several kinds.
    assertThat(atOnce.runs.values().stream().mapToInt(List::size).sum()).isGreaterThan(EXPERIMENTS);
    assertThat(String.join(" ", atOnce.runs.values().stream().flatMap(List::stream).toList()))
        .contains("CONVERGED")
        .contains("DIVERGED")
        .contains("OVERFITTING");
    for (ByExperiment other : List.of(serial, parallel)) {
      assertThat(other.runs).isEqualTo(atOnce.runs);
      assertThat(other.series).isEqualTo(atOnce.series);
    }
    assertThat(queuedSerial.seriesVerdicts()).isEqualTo(reference.seriesVerdicts());
    assertThat(queuedParallel.seriesVerdicts()).isEqualTo(reference.seriesVerdicts());
    assertThat(queuedParallel.experimentVerdicts()).isEqualTo(reference.experimentVerdicts());
    // The listener hears of transitions on the feeding thread only, whichever thread judged.
    assertThat(parallel.threads).containsOnly(Thread.currentThread().getName());
  }
}
