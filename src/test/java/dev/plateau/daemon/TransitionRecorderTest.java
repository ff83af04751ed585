package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.series.Series;
import dev.plateau.series.SeriesKey;
import dev.plateau.sink.Alert;
import dev.plateau.sink.AlertMemory;
import dev.plateau.sink.AlertSink;
import dev.plateau.sink.DeliveryOutcome;
import dev.plateau.sink.StatusFilter;
import dev.plateau.state.StateBatch;
import dev.plateau.testing.FakeClock;
import dev.plateau.verdict.ExperimentVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The net change between commits, without a logdir: what {@link PendingRound} carries. */
class TransitionRecorderTest {
  private final PendingRound pending = new PendingRound();
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));

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
    assertThat(commit.transitions().get(0).before()).isEqualTo(Status.TRAINING);
    assertThat(commit.transitions().get(0).alert().status()).isEqualTo(Status.DIVERGED);
    assertThat(commit.batch().verdicts()).hasSize(1);
    assertThat(commit.batch().experiments().get("exp").transitions())
        .as("numbered as the first transition: the replaced one was never recorded")
        .isEqualTo(1);
  }

  @Test
  void anUnchangedStatusRecordsNothing() {
    TransitionRecorder recorder = recorder(List.of());
    recorder.restored("exp", Status.CONVERGED, new AlertMemory(3, Status.CONVERGED, null));

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
    return recorderKeeping(
        series, sink, kept -> new NewsFilter(limit, kept), kept -> RepeatedAlerts.none());
  }

  /**
   * A recorder whose experiment's series ({@code exp}, {@code loss}) keeps {@code series}, with the
   * news filter and repeat rule made from what it keeps.
   */
  private TransitionRecorder recorderKeeping(
      Series series,
      AlertSink sink,
      Function<Function<SeriesKey, @Nullable Series>, NewsFilter> news,
      Function<Function<SeriesKey, @Nullable Series>, RepeatedAlerts> repeats) {
    Function<SeriesKey, @Nullable Series> kept =
        key -> key.equals(new SeriesKey("exp", "loss")) ? series : null;
    return new TransitionRecorder(
        "/logs",
        new AlertFactory("/logs", "h", kept),
        List.of(sink),
        clock,
        pending,
        news.apply(kept),
        repeats.apply(kept));
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

  // ---- one alert per change that matters (alerts.cooldown) ----

  private static final Duration COOLDOWN = Duration.ofHours(1);

  /** A converged series verdict, entered at {@code decided}, keeping {@code bestStep}. */
  private static ExperimentVerdict at(Status status, long decided, long bestStep, double best) {
    Verdict series =
        new Verdict(
            "exp",
            "loss",
            Mode.MIN,
            status,
            "plateau",
            decided,
            bestStep,
            best,
            decided,
            decided + 1,
            Map.of(),
            "why");
    return new ExperimentVerdict("exp", status, List.of(series), List.of(series), "why");
  }

  /** A recorder with a cooldown, whose series' kept points have the noise {@code noise}. */
  private TransitionRecorder recorderWithCooldown(AlertSink sink, double noise) {
    Series series = new Series();
    Random random = new Random(7);
    for (int i = 0; i < 64; i++) {
      series.append(i, clock.millis() / 1000.0, 0.5 + noise * random.nextGaussian());
    }
    return recorderKeeping(
        series, sink, kept -> NewsFilter.everything(), kept -> new RepeatedAlerts(COOLDOWN, kept));
  }

  /** Records {@code verdict} and commits it: the sinks its alert went to. */
  private List<String> recordAndCommit(TransitionRecorder recorder, ExperimentVerdict verdict) {
    recorder.record(verdict);
    PendingRound.Commit commit = pending.prepare(true, Set::of, List.of(), key -> null);
    pending.written(commit);
    if (commit.batch().verdicts().isEmpty()) {
      return List.of();
    }
    return commit.batch().sinksFor().getOrDefault(commit.batch().verdicts().get(0).id(), List.of());
  }

  private PendingRound.Commit recordOnly(TransitionRecorder recorder, ExperimentVerdict verdict) {
    recorder.record(verdict);
    return pending.prepare(true, Set::of, List.of(), key -> null);
  }

  @Test
  void aReturnToTheSameStatusWithinTheCooldownWithoutABetterBestIsRecordedButNotSent() {
    AlertSink hook = sink("hook", StatusFilter.DEFAULT);
    TransitionRecorder recorder = recorderWithCooldown(hook, 0.02);
    assertThat(recordAndCommit(recorder, at(Status.CONVERGED, 100, 80, 0.40)))
        .containsExactly("hook");
    clock.advance(Duration.ofMinutes(5));
    recordAndCommit(recorder, at(Status.TRAINING, 110, 80, 0.40));
    clock.advance(Duration.ofMinutes(5));

    // a new best, but by less than the noise (0.005 < 0.02)
    PendingRound.Commit again = recordOnly(recorder, at(Status.CONVERGED, 130, 120, 0.395));

    assertThat(again.batch().verdicts()).as("recorded").hasSize(1);
    assertThat(
            again.batch().sinksFor().getOrDefault(again.batch().verdicts().get(0).id(), List.of()))
        .as("not sent again")
        .isEmpty();
    assertThat(again.batch().experiments().get("exp").status()).isEqualTo(Status.CONVERGED);
  }

  @Test
  void aReturnToTheSameStatusWithABestImprovedBeyondTheNoiseIsSent() {
    AlertSink hook = sink("hook", StatusFilter.DEFAULT);
    TransitionRecorder recorder = recorderWithCooldown(hook, 0.02);
    recordAndCommit(recorder, at(Status.CONVERGED, 100, 80, 0.40));
    clock.advance(Duration.ofMinutes(5));
    recordAndCommit(recorder, at(Status.TRAINING, 110, 80, 0.40));
    clock.advance(Duration.ofMinutes(5));

    assertThat(recordAndCommit(recorder, at(Status.CONVERGED, 130, 120, 0.30)))
        .containsExactly("hook");
  }

  @Test
  void aReturnToTheSameStatusAfterTheCooldownIsSent() {
    AlertSink hook = sink("hook", StatusFilter.DEFAULT);
    TransitionRecorder recorder = recorderWithCooldown(hook, 0.02);
    recordAndCommit(recorder, at(Status.CONVERGED, 100, 80, 0.40));
    recordAndCommit(recorder, at(Status.TRAINING, 110, 80, 0.40));
    clock.advance(COOLDOWN);

    assertThat(recordAndCommit(recorder, at(Status.CONVERGED, 130, 80, 0.40)))
        .containsExactly("hook");
  }

  @Test
  void anotherStatusWithinTheCooldownIsSentWithTheSettledStatusAsPrevious() {
    AlertSink hook = sink("hook", StatusFilter.DEFAULT);
    TransitionRecorder recorder = recorderWithCooldown(hook, 0.02);
    Instant first = clock.instant();
    recordAndCommit(recorder, at(Status.CONVERGED, 100, 80, 0.40));
    clock.advance(Duration.ofMinutes(1));
    recordAndCommit(recorder, at(Status.TRAINING, 110, 80, 0.40));
    clock.advance(Duration.ofMinutes(1));

    PendingRound.Commit diverged = recordOnly(recorder, at(Status.DIVERGED, 120, 80, 0.40));

    var payload = diverged.transitions().get(0).alert().payload();
    assertThat(diverged.transitions().get(0).sinks()).containsExactly("hook");
    assertThat(payload.path("previous_status").asText())
        .as("the status last recorded, not the training in between")
        .isEqualTo("converged");
    assertThat(payload.path("transitions").asLong()).isEqualTo(3);
    assertThat(payload.path("last_message_time").asText()).isEqualTo(first.toString());
    assertThat(diverged.batch().verdicts().get(0).previousStatus())
        .as("the history records the transition itself")
        .isEqualTo(Status.TRAINING);
  }

  @Test
  void aChangeUndoneBeforeItsCommitLeavesTheMemoryAsCommitted() {
    AlertSink hook = sink("hook", StatusFilter.DEFAULT);
    TransitionRecorder recorder = recorderWithCooldown(hook, 0.02);
    recorder.record(at(Status.CONVERGED, 100, 80, 0.40));
    recorder.record(at(Status.TRAINING, 110, 80, 0.40)); // undone: nothing went out

    PendingRound.Commit converged = recordOnly(recorder, at(Status.CONVERGED, 130, 80, 0.40));

    assertThat(converged.transitions().get(0).sinks())
        .as("the undone change sent nothing, so this one is no repeat")
        .containsExactly("hook");
    assertThat(converged.transitions().get(0).alert().payload().path("transitions").asLong())
        .isEqualTo(1);
  }

  @Test
  void aVerdictsIdIsAFunctionOfWhatItSaysNotOfHowManyChangesCameBefore() {
    TransitionRecorder fresh = recorder(List.of());
    String firstTime =
        recordOnly(fresh, at(Status.CONVERGED, 100, 80, 0.4)).batch().verdicts().get(0).id();
    pending.written(pending.prepare(true, Set::of, List.of(), key -> null));

    PendingRound other = new PendingRound();
    TransitionRecorder afterManyChanges =
        new TransitionRecorder(
            "/logs", new AlertFactory("/logs", "h", key -> null), List.of(), clock, other);
    afterManyChanges.restored("exp", Status.TRAINING, new AlertMemory(7, Status.DIVERGED, null));
    afterManyChanges.record(at(Status.CONVERGED, 100, 80, 0.4));
    String seventhTime =
        other.prepare(true, Set::of, List.of(), key -> null).batch().verdicts().get(0).id();

    assertThat(seventhTime).isEqualTo(firstTime);
    AlertFactory ids = new AlertFactory("/logs", "h", key -> null);
    assertThat(ids.id("exp", Status.CONVERGED, 100, 80L)).isEqualTo(firstTime);
    assertThat(ids.id("exp", Status.CONVERGED, 100, 81L)).isNotEqualTo(firstTime);
    assertThat(ids.id("exp", Status.CONVERGED, 101, 80L)).isNotEqualTo(firstTime);
    assertThat(ids.id("exp", Status.OVERFITTING, 100, 80L)).isNotEqualTo(firstTime);
    assertThat(ids.id("exp2", Status.CONVERGED, 100, 80L)).isNotEqualTo(firstTime);
    assertThat(new AlertFactory("/other", "h", key -> null).id("exp", Status.CONVERGED, 100, 80L))
        .isNotEqualTo(firstTime);
  }

  @Test
  void theExperimentEntersItsStatusWithTheSeriesThatEnteredItLast() {
    Verdict early =
        new Verdict(
            "exp/validation",
            "loss",
            Mode.MIN,
            Status.CONVERGED,
            "plateau",
            6L,
            2L,
            0.8,
            13,
            14,
            Map.of(),
            "a");
    Verdict late =
        new Verdict(
            "exp/validation",
            "acc",
            Mode.MAX,
            Status.CONVERGED,
            "plateau",
            12L,
            9L,
            0.9,
            13,
            14,
            Map.of(),
            "b");
    ExperimentVerdict both =
        new ExperimentVerdict(
            "exp", Status.CONVERGED, List.of(early, late), List.of(early, late), "all");

    assertThat(AlertFactory.deciding(both)).isSameAs(late);
  }
}
