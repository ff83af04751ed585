package dev.plateau.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Built-in detectors write their judgements out only when read (from drafts). These tests feed
 * identical detectors the same points and read one at every point and the others rarely or never: a
 * judgement written out late, the previous judgement written out after the detector moved on, and
 * the evidence size counted from the draft must all be what reading at once gave.
 */
class DraftedDetectorTest {

  /** Every built-in detector kind, in configurations that reach each of its judgements. */
  static Map<String, Supplier<DraftedDetector<?>>> kinds() {
    Map<String, Supplier<DraftedDetector<?>>> kinds = new LinkedHashMap<>();
    kinds.put("plateau", () -> new PlateauDetector(Mode.MIN, PlateauDetector.Params.DEFAULTS));
    kinds.put(
        "plateau, 16 bins, confirm 2",
        () ->
            new PlateauDetector(
                Mode.MAX,
                new PlateauDetector.Params(
                    3, 0.6, 3, 1.645, 0.01, 1.0, 0.5, 8, 16, 40, 2, 0.5, false, 10, 30, 3, 2)));
    kinds.put(
        "divergence", () -> new DivergenceDetector(Mode.MIN, DivergenceDetector.Params.DEFAULTS));
    kinds.put(
        "divergence, threshold",
        () -> new DivergenceDetector(Mode.MIN, new DivergenceDetector.Params(false, 20.0, 0, 3)));
    kinds.put("patience", () -> Feeding.patience(Mode.MIN, 5));
    kinds.put(
        "patience, seconds, baseline, start step",
        () ->
            new PatienceDetector(
                Mode.MIN,
                new PatienceDetector.Params(
                    new Span(900, Span.Unit.SECONDS), new MinDelta(0.01, true), 5, 6.0)));
    kinds.put("target", () -> new TargetDetector(Mode.MIN, new TargetDetector.Params(1.2)));
    kinds.put("stalled", () -> new StalledDetector(new StalledDetector.Params(600)));
    kinds.put(
        "overfitting",
        () -> new OverfittingDetector(Mode.MIN, new OverfittingDetector.Params(8, 1.0, 0.02, 5)));
    return kinds;
  }

  /** One step of the script: a point (with its twin point), or a time to judge at. */
  record Event(long step, double time, double value, double twin, boolean isTime) {}

  /** A curve that falls, levels off, turns up, diverges, recovers and goes quiet now and then. */
  static List<Event> script(long seed) {
    Random random = new Random(seed);
    List<Event> events = new ArrayList<>();
    double time = 1.7e9;
    for (int t = 0; t < 700; t++) {
      time += t % 50 == 49 ? 2000 : 60;
      double v = 1 + 9 * Math.exp(-t / 40.0) + 0.03 * random.nextGaussian();
      if (t > 300 && t < 420) {
        v += (t - 300) * 0.01; // validation turns up while training goes on improving
      }
      if (t == 450 || t == 451 || t == 452) {
        v = 60; // explodes
      }
      if (t == 500) {
        v = Double.NaN;
      }
      if (t == 520) {
        v = 0.5; // recovers to a new best
      }
      events.add(
          new Event(
              3L * t, time, v, 2 * Math.exp(-t / 100.0) + 0.01 * random.nextGaussian(), false));
      if (t % 13 == 7) {
        events.add(new Event(0, time + 100 + 700 * (t % 3), 0, 0, true));
      }
    }
    return events;
  }

  static void apply(DraftedDetector<?> d, Event e, boolean read) {
    if (e.isTime()) {
      if (read) {
        d.atTime(e.time());
      } else {
        d.feedAt(e.time());
      }
      return;
    }
    if (d instanceof OverfittingDetector o) {
      o.observeTwin(e.step(), e.time(), e.twin());
    }
    if (read) {
      d.observe(e.step(), e.time(), e.value());
    } else {
      d.feed(e.step(), e.time(), e.value());
    }
  }

  @Test
  void judgementsWrittenOutLateEqualThoseWrittenOutAtOnce() {
    for (var kind : kinds().entrySet()) {
      for (long seed = 1; seed <= 3; seed++) {
        DraftedDetector<?> atOnce = kind.getValue().get();
        DraftedDetector<?> late = kind.getValue().get();
        List<Event> events = script(seed);
        for (int i = 0; i < events.size(); i++) {
          apply(atOnce, events.get(i), true);
          apply(late, events.get(i), false);
          if (i % 7 == 0) {
            assertThat(late.current())
                .as("%s, seed %d, event %d", kind.getKey(), seed, i)
                .isEqualTo(atOnce.current());
          }
        }
      }
    }
  }

  @Test
  void previousIsTheJudgementBeforeTheLatestPointOrTimeThoughNeverRead() {
    for (var kind : kinds().entrySet()) {
      DraftedDetector<?> atOnce = kind.getValue().get();
      DraftedDetector<?> unread = kind.getValue().get();
      Judgement before = atOnce.current();
      List<Event> events = script(4);
      for (int i = 0; i < events.size(); i++) {
        apply(atOnce, events.get(i), true);
        apply(unread, events.get(i), false);
        assertThat(unread.previous()).as("%s, event %d", kind.getKey(), i).isEqualTo(before);
        before = atOnce.current();
      }
    }
  }

  @Test
  void draftCountsTheEvidenceItsJudgementHasAndNamesItsStatusAndBest() {
    for (var kind : kinds().entrySet()) {
      DraftedDetector<?> atOnce = kind.getValue().get();
      DraftedDetector<?> unread = kind.getValue().get();
      List<Status> seen = new ArrayList<>();
      for (Event e : script(5)) {
        apply(atOnce, e, true);
        apply(unread, e, false);
        Judgement j = atOnce.current();
        JudgementDraft<?> draft = unread.draft();
        assertThat(draft.size()).as(kind.getKey()).isEqualTo(j.evidence().size());
        assertThat(draft.status).as(kind.getKey()).isEqualTo(j.status());
        assertThat(draft.bestStep).as(kind.getKey()).isEqualTo(j.bestStep());
        assertThat(Double.valueOf(draft.bestValue))
            .as(kind.getKey())
            .isEqualTo(Double.valueOf(j.bestValue()));
        assertThat(draft.hasBest()).as(kind.getKey()).isEqualTo(j.hasBest());
        if (!seen.contains(j.status())) {
          seen.add(j.status());
        }
      }
      assertThat(seen)
          .as("%s reaches a status other than training", kind.getKey())
          .hasSizeGreaterThan(1);
    }
  }
}
