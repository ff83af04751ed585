package dev.plateau.series;

import static dev.plateau.series.SeriesTest.steps;
import static dev.plateau.series.SeriesTest.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSeriesTest {

  @Test
  void restartRuleAppliesPerTagAndNotAcrossTags() {
    RunSeries run = new RunSeries("r");
    // A train loop at steps 100..105 and an eval loop counting its own steps 1..3, interleaved.
    for (int i = 0; i < 6; i++) {
      run.add("train/loss", 100 + i, i, i);
      if (i < 3) {
        assertThat(run.add("eval/acc", 1 + i, i, i)).isZero();
      }
    }
    assertThat(steps(run.byTag().get("train/loss")))
        .containsExactly(100L, 101L, 102L, 103L, 104L, 105L);
    assertThat(steps(run.byTag().get("eval/acc"))).containsExactly(1L, 2L, 3L);

    // The train loop restarts from a checkpoint at 102: only its own tag loses points.
    assertThat(run.add("train/loss", 102, 50, -1)).isEqualTo(4);
    assertThat(steps(run.byTag().get("train/loss"))).containsExactly(100L, 101L, 102L);
    assertThat(values(run.byTag().get("train/loss"))).containsExactly(0.0, 1.0, -1.0);
    assertThat(steps(run.byTag().get("eval/acc"))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void pointAtTheLastStepOfItsSeriesReplacesIt() {
    RunSeries run = new RunSeries("r");
    run.add("a", 1, 0, 1);
    run.add("a", 2, 0, 2);
    assertThat(run.add("a", 2, 0, 3)).isEqualTo(1);
    assertThat(values(run.byTag().get("a"))).containsExactly(1.0, 3.0);
  }

  @Test
  void sessionStartDropsThePointsOfEveryTagAtOrAboveItsStep() {
    RunSeries run = new RunSeries("r");
    for (int step = 0; step < 10; step++) {
      run.add("a", step, 0, step);
      run.add("b", step * 2, 0, step);
    }
    run.add("c", 100, 0, 1);
    // a: 0..9 (drops 5..9 = 5); b: 0,2,..,18 (drops 6..18 = 7); c: 100 (drops 1)
    assertThat(run.sessionStart(5)).isEqualTo(13);
    assertThat(steps(run.byTag().get("a"))).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(steps(run.byTag().get("b"))).containsExactly(0L, 2L, 4L);
    assertThat(run.byTag().get("c").isEmpty()).isTrue();
    // The emptied series is still there, and takes points again from any step.
    assertThat(run.byTag()).containsOnlyKeys("a", "b", "c");
    run.add("c", 7, 0, 1);
    assertThat(steps(run.byTag().get("c"))).containsExactly(7L);
    assertThat(run.byTag().get("a").droppedPoints()).isEqualTo(5);
  }

  @Test
  void sessionStartAboveEveryStepDropsNothing() {
    RunSeries run = new RunSeries("r");
    run.add("a", 1, 0, 1);
    assertThat(run.sessionStart(2)).isZero();
    assertThat(run.sessionStart(1)).isEqualTo(1);
    assertThat(new RunSeries("empty").sessionStart(0)).isZero();
  }

  @Test
  void resumedJobThatRewritesStepsReplacesTheAbandonedAttempt() {
    // Attempt 1 writes 0..9 and dies; attempt 2 resumes from the checkpoint at 6 and goes on to 12.
    RunSeries run = new RunSeries("r");
    for (int step = 0; step < 10; step++) {
      run.add("loss", step, step, 1.0);
    }
    run.sessionStart(6);
    for (int step = 6; step <= 12; step++) {
      run.add("loss", step, 100 + step, 2.0);
    }
    Series s = run.byTag().get("loss");
    assertThat(steps(s)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    assertThat(values(s))
        .containsExactly(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0);
  }

  @Test
  void tagsAreKeptInOrderOfFirstAppearanceAndTheViewIsUnmodifiable() {
    RunSeries run = new RunSeries("train");
    run.add("z", 1, 0, 0);
    run.add("a", 1, 0, 0);
    run.add("m", 1, 0, 0);
    run.add("a", 2, 0, 0);
    assertThat(run.byTag().keySet()).containsExactly("z", "a", "m");
    assertThat(run.run()).isEqualTo("train");
    Map<String, Series> view = run.byTag();
    assertThatThrownBy(() -> view.remove("z")).isInstanceOf(UnsupportedOperationException.class);
    run.add("new", 1, 0, 0);
    assertThat(view).containsKey("new"); // a live view
  }

  @Test
  void pointsRememberTheFileTheyCameFrom() {
    RunSeries run = new RunSeries("r");
    run.add(new ScalarPoint("r", "events.1", "loss", 1, 0, 1));
    run.add(new ScalarPoint("r", "events.2", "loss", 2, 0, 2));
    run.add(new ScalarPoint("r", "events.1", "acc", 1, 0, 3));
    assertThat(run.add(new ScalarPoint("r", "events.3", "loss", 2, 0, 4))).isEqualTo(1);
    Series loss = run.byTag().get("loss");
    assertThat(run.fileOf(loss, 0)).isEqualTo("events.1");
    assertThat(run.fileOf(loss, 1)).isEqualTo("events.3");
    assertThat(run.fileOf(run.byTag().get("acc"), 0)).isEqualTo("events.1");
  }

  @Test
  void fileOfIsNullForPointsAddedWithoutAFile() {
    RunSeries run = new RunSeries("r");
    run.add("loss", 1, 0, 1);
    assertThat(run.fileOf(run.byTag().get("loss"), 0)).isNull();
  }

  @Test
  void manyPointsGrowTheSeriesBeyondItsInitialCapacity() {
    RunSeries run = new RunSeries("r");
    for (int step = 0; step < 10_000; step++) {
      run.add(new ScalarPoint("r", "f", "t", step, step, step * 2.0));
    }
    Series s = run.byTag().get("t");
    assertThat(s.size()).isEqualTo(10_000);
    for (int i = 0; i < s.size(); i++) {
      assertThat(s.step(i)).isEqualTo(i);
      assertThat(s.value(i)).isEqualTo(i * 2.0);
      assertThat(s.source(i)).isZero();
    }
  }
}
