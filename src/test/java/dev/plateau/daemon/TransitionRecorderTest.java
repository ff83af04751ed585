package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.DeliveryOutcome;
import dev.plateau.sink.StatusFilter;
import dev.plateau.state.StateBatch;
import dev.plateau.verdict.ExperimentVerdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The net change between commits, without a logdir: what {@link PendingRound} carries. */
class TransitionRecorderTest {
  private final PendingRound pending = new PendingRound();
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private TransitionRecorder recorder(List<AlertSink> sinks) {
    AlertFactory alerts = new AlertFactory("/logs", "h", key -> null);
    return new TransitionRecorder("/logs", alerts, sinks, clock, pending);
  }

  /** A sink that only names itself and filters: the recorder never delivers. */
  private static AlertSink sink(String name, StatusFilter filter) {
    return new AlertSink() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean accepts(Status status) {
        return filter.accepts(status);
      }

      @Override
      public DeliveryOutcome deliver(Alert alert) {
        throw new AssertionError("the recorder never delivers");
      }
    };
  }

  private static ExperimentVerdict verdict(Status status) {
    Verdict series =
        new Verdict(
            "exp", "loss", Mode.MIN, status, "plateau", 10L, 8L, 0.5, 12, 13, Map.of(), "why");
    return new ExperimentVerdict("exp", status, List.of(series), List.of(series), "why");
  }

  private StateBatch batch() {
    return pending.prepare(true, Set::of, List.of(), key -> null).batch();
  }

  @Test
  void aChangeUndoneBeforeItsCommitRecordsNothing() {
    TransitionRecorder recorder = recorder(List.of());

    recorder.record(verdict(Status.CONVERGED));
    recorder.record(verdict(Status.TRAINING));

    assertThat(pending.transitionCount()).isZero();
    assertThat(pending.hasNews()).isFalse();
    assertThat(batch().isEmpty()).isTrue();
  }

  @Test
  void aSecondChangeReplacesTheFirstAndIsRecordedFromTheCommittedStatus() {
    TransitionRecorder recorder = recorder(List.of());

    recorder.record(verdict(Status.CONVERGED));
    recorder.record(verdict(Status.DIVERGED));

    PendingRound.Commit commit = pending.prepare(true, Set::of, List.of(), key -> null);
    assertThat(commit.transitions()).hasSize(1);
    assertThat(commit.transitions().get(0).previous()).isEqualTo(Status.TRAINING);
    assertThat(commit.transitions().get(0).alert().status()).isEqualTo(Status.DIVERGED);
    assertThat(commit.batch().verdicts()).hasSize(1);
    assertThat(commit.batch().experiments().get("exp").transitions())
        .as("numbered as the first transition: the replaced one was never recorded")
        .isEqualTo(1);
  }

  @Test
  void anUnchangedStatusRecordsNothing() {
    TransitionRecorder recorder = recorder(List.of());
    recorder.restored("exp", Status.CONVERGED, 3);

    recorder.record(verdict(Status.CONVERGED));

    assertThat(pending.hasNews()).isFalse();
  }

  @Test
  void aTransitionGoesToTheSinksThatAcceptItsStatus() {
    AlertSink converged = sink("conv", StatusFilter.parse("converged"));
    AlertSink diverged = sink("div", StatusFilter.parse("diverged"));
    TransitionRecorder recorder = recorder(List.of(converged, diverged));

    recorder.record(verdict(Status.CONVERGED));

    StateBatch batch = batch();
    String id = batch.verdicts().get(0).id();
    assertThat(batch.sinksFor().get(id)).containsExactly("conv");
  }

  /** A recorder whose experiment's newest point was written {@code age} before the clock. */
  private TransitionRecorder recorderWithNewestPoint(AlertSink sink, Duration age, Duration limit) {
    Series series = new Series();
    double written = (clock.millis() - age.toMillis()) / 1000.0;
    series.append(11, written - 1, 0.6);
    series.append(12, written, 0.5);
    Function<SeriesKey, @Nullable Series> kept =
        key -> key.equals(new SeriesKey("exp", "loss")) ? series : null;
    return new TransitionRecorder(
        "/logs",
        new AlertFactory("/logs", "h", kept),
        List.of(sink),
        clock,
        pending,
        new NewsFilter(limit, kept));
  }

  @Test
  void aChangeOfAnExperimentWhosePointsAreOlderThanIgnoreOlderIsRecordedButNotSent() {
    AlertSink all = sink("hook", StatusFilter.parse("all"));
    TransitionRecorder recorder =
        recorderWithNewestPoint(all, Duration.ofDays(30), Duration.ofHours(1));

    recorder.record(verdict(Status.CONVERGED));

    PendingRound.Commit commit = pending.prepare(true, Set::of, List.of(), key -> null);
    assertThat(commit.batch().verdicts()).as("the history is recorded").hasSize(1);
    assertThat(commit.batch().experiments().get("exp").status()).isEqualTo(Status.CONVERGED);
    assertThat(
            commit
                .batch()
                .sinksFor()
                .getOrDefault(commit.batch().verdicts().get(0).id(), List.of()))
        .as("but no message")
        .isEmpty();
  }

  @Test
  void aChangeOfAnExperimentWrittenWithinIgnoreOlderIsSent() {
    AlertSink all = sink("hook", StatusFilter.parse("all"));
    TransitionRecorder recorder =
        recorderWithNewestPoint(all, Duration.ofMinutes(59), Duration.ofHours(1));

    recorder.record(verdict(Status.CONVERGED));

    StateBatch batch = batch();
    assertThat(batch.sinksFor().get(batch.verdicts().get(0).id())).containsExactly("hook");
  }

  @Test
  void ignoreOlderOfZeroSendsEvenAMonthOldChange() {
    AlertSink all = sink("hook", StatusFilter.parse("all"));
    TransitionRecorder recorder = recorderWithNewestPoint(all, Duration.ofDays(30), Duration.ZERO);

    recorder.record(verdict(Status.CONVERGED));

    StateBatch batch = batch();
    assertThat(batch.sinksFor().get(batch.verdicts().get(0).id())).containsExactly("hook");
  }

  @Test
  void anExperimentWithoutKeptPointsOrWallTimesIsNews() {
    NewsFilter filter = new NewsFilter(Duration.ofHours(1), key -> null);
    assertThat(filter.age(verdict(Status.CONVERGED), clock.instant())).isNull();
    assertThat(filter.isNews(null)).isTrue();
    Series noClock = new Series();
    noClock.append(1, Double.NaN, 1.0);
    NewsFilter broken = new NewsFilter(Duration.ofHours(1), key -> noClock);
    assertThat(broken.age(verdict(Status.CONVERGED), clock.instant())).isNull();
  }

  @Test
  void flagsFollowOnlyAWrittenCommitWithTheTransitionsStatus() {
    TransitionRecorder recorder = recorder(List.of());
    recorder.record(verdict(Status.CONVERGED));

    PendingRound.Commit commit = pending.prepare(true, Set::of, List.of(), key -> null);
    List<PendingRound.Flag> flags = pending.written(commit);

    assertThat(flags).hasSize(1);
    assertThat(flags.get(0).state().status()).isEqualTo(Status.CONVERGED);
    assertThat(flags.get(0).state().verdict().path("status").asText()).isEqualTo("converged");
    assertThat(pending.hasNews()).isFalse();
  }
}
