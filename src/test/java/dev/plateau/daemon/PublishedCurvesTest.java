package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.series.RunSeries;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.state.StateBatch;
import dev.plateau.state.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishedCurvesTest {
  private static Series points(long from, long to) {
    Series s = new Series();
    for (long step = from; step < to; step++) {
      s.append(step, step, 1.0 / (1 + step));
    }
    return s;
  }

  @Test
  void aParkedSeriesKeepsAThinnedCurveAndContinuesItWhenItWakes() {
    PublishedVerdicts published = new PublishedVerdicts();
    SeriesKey key = new SeriesKey("exp/train", "loss");
    published.curve(key, points(0, 1000));
    published.park(Set.of("exp/train"));
    SeriesView parked = published.curve(key);
    assertThat(parked).isNotNull();
    assertThat(parked.steps()).hasSize(PublishedVerdicts.PARKED_POINTS);
    assertThat(parked.steps()[0]).isZero();
    assertThat(parked.steps()[parked.steps().length - 1]).isEqualTo(999);

    // Woken with none of its old points in memory: the new ones are drawn after the old curve.
    published.curve(key, points(1000, 1010));
    SeriesView woken = published.curve(key);
    assertThat(woken.steps()[0]).isZero();
    assertThat(woken.steps()[woken.steps().length - 1]).isEqualTo(1009);
    assertThat(woken.steps()).hasSize(PublishedVerdicts.PARKED_POINTS + 10);
  }

  @Test
  void parkedCurvesAreBoundedAndTheEarliestParkedGoFirst() {
    PublishedVerdicts published = new PublishedVerdicts();
    int n = PublishedVerdicts.MAX_PARKED_SERIES + 5;
    for (int i = 0; i < n; i++) {
      SeriesKey key = new SeriesKey("run" + i, "loss");
      published.curve(key, points(0, 3));
      published.park(Set.of("run" + i));
    }
    assertThat(published.curve(new SeriesKey("run0", "loss"))).isNull();
    assertThat(published.curve(new SeriesKey("run4", "loss"))).isNull();
    assertThat(published.curve(new SeriesKey("run5", "loss"))).isNotNull();
    assertThat(published.curve(new SeriesKey("run" + (n - 1), "loss"))).isNotNull();
  }

  @Test
  void curvesAreRefreshedEveryRoundOnlyWhileSomeoneLooksAtThem() {
    PublishedVerdicts published = new PublishedVerdicts();
    assertThat(published.viewedRecently(1_000)).as("nobody looked yet").isFalse();
    published.curve(new SeriesKey("exp", "loss"));
    assertThat(published.viewedRecently(2_000)).isTrue();
    assertThat(published.viewedRecently(2_000 + PublishedVerdicts.VIEWERS_GONE_MILLIS - 1))
        .isTrue();
    assertThat(published.viewedRecently(2_000 + PublishedVerdicts.VIEWERS_GONE_MILLIS))
        .as("a minute without a look")
        .isFalse();
  }

  @Test
  void curvesFollowTheKeptPointsOfWatchedSeriesOnly() {
    PublishedVerdicts published = new PublishedVerdicts();
    RunSeries run = new RunSeries("exp");
    for (int step = 0; step < 3; step++) {
      run.add("loss", step, step, 3 - step);
      run.add("lr", step, step, 0.1);
    }
    published.refreshCurves(Map.of("exp", run), (r, tag) -> tag.equals("loss"));
    assertThat(published.curve(new SeriesKey("exp", "loss")).steps()).containsExactly(0, 1, 2);
    assertThat(published.curve(new SeriesKey("exp", "lr"))).isNull();
    run.add("loss", 3, 3, 0.5);
    published.refreshCurves(Map.of("exp", run), (r, tag) -> tag.equals("loss"));
    assertThat(published.curve(new SeriesKey("exp", "loss")).steps()).endsWith(3);
  }

  @Test
  void aParkedCurveIsReadBackFromTheStateAfterARestart(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("state.db");
    SeriesKey key = new SeriesKey("exp/train", "loss");
    try (StateStore store = StateStore.open(db, false, Clock.systemUTC())) {
      PublishedVerdicts before = new PublishedVerdicts(new CurveShelf(store));
      before.curve(key, points(0, 1000));
      before.park(Set.of("exp/train"));
    }
    try (StateStore store = StateStore.open(db, false, Clock.systemUTC())) {
      PublishedVerdicts after = new PublishedVerdicts(new CurveShelf(store));
      SeriesView restored = after.curve(key);
      assertThat(restored).as("charted after the restart, before any new point").isNotNull();
      assertThat(restored.steps()).hasSize(PublishedVerdicts.PARKED_POINTS);
      assertThat(restored.steps()[0]).isZero();
      assertThat(restored.steps()[restored.steps().length - 1]).isEqualTo(999);
      assertThat(restored.values()[0]).isEqualTo(1.0);
      assertThat(after.curve(new SeriesKey("exp/train", "acc"))).as("never saved").isNull();

      // It wakes: the new points are drawn after the saved curve, and parked again it is saved
      // whole, so the next restart still has the steps from before the first one.
      after.curve(key, points(1000, 1010));
      assertThat(after.curve(key).steps()).startsWith(0).endsWith(1009);
      after.park(Set.of("exp/train"));
    }
    try (StateStore store = StateStore.open(db, false, Clock.systemUTC())) {
      SeriesView again = new PublishedVerdicts(new CurveShelf(store)).curve(key);
      assertThat(again.steps())
          .hasSize(PublishedVerdicts.PARKED_POINTS)
          .startsWith(0)
          .endsWith(1009);
    }
  }

  @Test
  void aSeriesDrawnSinceARestartIsJoinedAfterItsSavedCurveEvenIfNobodyLookedFirst(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    SeriesKey key = new SeriesKey("exp", "loss");
    try (StateStore store = StateStore.open(db, false, Clock.systemUTC())) {
      PublishedVerdicts before = new PublishedVerdicts(new CurveShelf(store));
      before.curve(key, points(0, 500));
      before.saveDrawn(); // the daemon stops before the experiment parks
    }
    try (StateStore store = StateStore.open(db, false, Clock.systemUTC())) {
      PublishedVerdicts after = new PublishedVerdicts(new CurveShelf(store));
      after.curve(key, points(500, 520)); // drawn on the polling thread: the store is not read
      SeriesView shown = after.curve(key);
      assertThat(shown.steps()).startsWith(0).endsWith(519);
      assertThat(shown.steps().length).isLessThanOrEqualTo(PublishedVerdicts.PARKED_POINTS + 20);
    }
  }

  @Test
  void aRunReadAgainOrGoneLosesItsSavedCurve(@TempDir Path dir) throws Exception {
    SeriesKey key = new SeriesKey("exp", "loss");
    try (StateStore store = StateStore.open(dir.resolve("state.db"), false, Clock.systemUTC())) {
      PublishedVerdicts published = new PublishedVerdicts(new CurveShelf(store));
      published.curve(key, points(0, 50));
      published.park(Set.of("exp"));
      assertThat(store.curve(key)).isNotNull();
      store.commit(
          new StateBatch(List.of(), Map.of(), Map.of(), List.of(), Map.of(), List.of("exp")));
      assertThat(store.curve(key)).isNull();
    }
  }

  @Test
  void theShelfKnowsWhichSeriesHaveASavedCurveWithoutReadingOne(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("state.db");
    SeriesKey saved = new SeriesKey("exp", "loss");
    try (StateStore store = StateStore.open(db, false, Clock.systemUTC())) {
      CurveShelf shelf = new CurveShelf(store);
      assertThat(shelf.mayHave(saved)).isFalse();
      shelf.save(Map.of(saved, new SeriesView(new long[] {0, 1, 2}, new double[] {3, 2, 1})));
      assertThat(shelf.mayHave(saved)).as("saved by this daemon").isTrue();
    }
    try (StateStore store = StateStore.open(db, false, Clock.systemUTC())) {
      CurveShelf shelf = new CurveShelf(store);
      assertThat(shelf.mayHave(saved)).as("saved before the start").isTrue();
      assertThat(shelf.mayHave(new SeriesKey("exp", "val_loss"))).isFalse();
      assertThat(shelf.mayHave(new SeriesKey("exploss", "")))
          .as("run and tag kept apart")
          .isFalse();
      assertThat(CurveShelf.NONE.mayHave(saved)).isFalse();
    }
  }
}
