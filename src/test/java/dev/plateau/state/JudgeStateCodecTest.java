package dev.plateau.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plateau.config.ConfigLoader;
import dev.plateau.config.SeriesPlan;
import dev.plateau.detect.OverfittingDetector;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.format.VerdictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A judge saved at any point and restored into a fresh judge of the same plan goes on exactly as
 * the original: the same verdicts, point for point. This is what lets a restart resume from the
 * stored offsets instead of reading history again.
 */
class JudgeStateCodecTest {
  static SeriesPlan plan(String yaml) throws Exception {
    return ConfigLoader.parse(yaml, "test.yaml")
        .detection()
        .plan("exp/validation", "val_loss")
        .orElseThrow();
  }

  static final String EVERY_DETECTOR =
      """
      rules:
        - tag: val_loss
          detectors: [divergence, target, overfitting, plateau, patience, stalled]
          target: {value: 0.05}
          patience: {patience: 7, smoothing: 0.6}
      """;

  static double[] curve(long seed, int n) {
    Random random = new Random(seed);
    double[] v = new double[n];
    for (int t = 0; t < n; t++) {
      v[t] = 1 + 9 * Math.exp(-t / 40.0) + random.nextGaussian() * 0.05;
      if (seed % 3 == 0 && t > n * 3 / 4) {
        v[t] += (t - n * 3 / 4) * 0.05; // overfitting tail
      }
      if (seed % 5 == 0 && t == n - 3) {
        v[t] = Double.NaN;
      }
    }
    return v;
  }

  static SeriesJudge judge(SeriesPlan plan) throws Exception {
    return new SeriesJudge("exp/validation", "val_loss", plan.mode(), plan.build());
  }

  static void feed(SeriesJudge judge, int t, double value, double[] twin) {
    for (var d : judge.detectors()) {
      if (d instanceof OverfittingDetector o) {
        o.observeTwin(t, 1.7e9 + t, twin[t]);
      }
    }
    judge.observe(t, 1.7e9 + t, value);
  }

  @Test
  void restoredJudgeContinuesExactlyLikeTheOriginalWhereverItWasSaved() throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    for (long seed = 1; seed <= 15; seed++) {
      int n = 150 + (int) seed * 37; // crosses the plateau detector's bin decimation at 128
      double[] values = curve(seed, n);
      double[] twin = curve(seed + 100, n);
      for (int i = 0; i < n; i++) {
        twin[i] = 2 * Math.exp(-i / 30.0) + 0.1;
      }
      for (int cut : new int[] {0, 1, 7, 50, 127, 128, 129, n / 2, n - 2}) {
        SeriesJudge original = judge(plan);
        for (int t = 0; t < cut; t++) {
          feed(original, t, values[t], twin);
        }
        byte[] saved = JudgeStateCodec.write(original);
        SeriesJudge restored = judge(plan);
        JudgeStateCodec.read(saved, restored);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int t = cut; t < n; t++) {
          feed(original, t, values[t], twin);
          feed(restored, t, values[t], twin);
          a.add(VerdictJson.of(original.verdict()).toString());
          b.add(VerdictJson.of(restored.verdict()).toString());
        }
        assertThat(b).as("seed %d cut %d", seed, cut).isEqualTo(a);
        assertThat(JudgeStateCodec.write(restored))
            .as("saved states equal, seed %d cut %d", seed, cut)
            .isEqualTo(JudgeStateCodec.write(original));
        assertThat(JudgeStateCodec.json(restored)).isEqualTo(JudgeStateCodec.json(original));
      }
    }
  }

  static SeriesJudge followingSchedule(SeriesPlan plan) throws Exception {
    return new SeriesJudge(
        "exp/validation",
        "val_loss",
        plan.mode(),
        plan.build(),
        dev.plateau.detect.ScheduleGrace.Params.DEFAULTS);
  }

  /** A step schedule: 0.1, then 0.01 from step 60, 0.001 from step 120; logged every step. */
  static double learningRate(int t) {
    return t < 60 ? 0.1 : t < 120 ? 0.01 : 0.001;
  }

  static void feedWithSchedule(SeriesJudge judge, int t, double value, double[] twin) {
    judge.learningRate("exp/train\nlr", t, learningRate(t));
    feed(judge, t, value, twin);
  }

  @Test
  void aJudgeFollowingAScheduleIsRestoredWithWhatItKnowsOfTheLearningRate() throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    int n = 180;
    double[] values = curve(2, n);
    double[] twin = new double[n];
    for (int i = 0; i < n; i++) {
      twin[i] = 2 * Math.exp(-i / 30.0) + 0.1;
    }
    // cuts: before the first drop's steady level, a drop found but not reached, inside a grace
    for (int cut : new int[] {1, 59, 60, 61, 65, 70, 121, 125, 150}) {
      SeriesJudge original = followingSchedule(plan);
      for (int t = 0; t < cut; t++) {
        feedWithSchedule(original, t, values[t], twin);
      }
      // the learning rate of the next step arrives before the cut is saved
      original.learningRate("exp/train\nlr", cut, learningRate(cut));
      byte[] saved = JudgeStateCodec.write(original);
      SeriesJudge restored = followingSchedule(plan);
      JudgeStateCodec.read(saved, restored);
      SeriesJudge fromJson = followingSchedule(plan);
      JudgeStateCodec.read(
          JudgeStateCodec.json(original).getBytes(StandardCharsets.UTF_8), fromJson);
      List<String> a = new ArrayList<>();
      List<String> b = new ArrayList<>();
      List<String> c = new ArrayList<>();
      for (int t = cut; t < n; t++) {
        for (SeriesJudge j : List.of(original, restored, fromJson)) {
          if (t > cut) {
            j.learningRate("exp/train\nlr", t, learningRate(t));
          }
          feed(j, t, values[t], twin);
        }
        a.add(VerdictJson.of(original.verdict()).toString());
        b.add(VerdictJson.of(restored.verdict()).toString());
        c.add(VerdictJson.of(fromJson.verdict()).toString());
      }
      assertThat(b).as("cut %d", cut).isEqualTo(a);
      assertThat(c).as("cut %d, from JSON", cut).isEqualTo(a);
      assertThat(JudgeStateCodec.write(restored)).isEqualTo(JudgeStateCodec.write(original));
      assertThat(JudgeStateCodec.json(restored))
          .as("the last drop reached is saved")
          .contains("\"dropped\":true", "\"dropStep\":120");
    }
  }

  @Test
  void aStateSavedWithoutAScheduleIsReadByAJudgeThatFollowsOne() throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    SeriesJudge older = judge(plan);
    double[] values = curve(4, 50);
    for (int t = 0; t < 50; t++) {
      feed(older, t, values[t], values);
    }
    SeriesJudge following = followingSchedule(plan);
    JudgeStateCodec.read(JudgeStateCodec.write(older), following);
    assertThat(following.verdict()).isEqualTo(older.verdict());
  }

  @Test
  void stateOfOtherDetectorsIsRefused() throws Exception {
    SeriesJudge everything = judge(plan(EVERY_DETECTOR));
    SeriesJudge defaults = judge(plan(""));
    byte[] saved = JudgeStateCodec.write(everything);
    assertThatThrownBy(() -> JudgeStateCodec.read(saved, defaults))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] older = JudgeStateCodec.json(everything).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> JudgeStateCodec.read(older, defaults))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStateSavedBeforeTheTwinBoundIsReadAndGoesOnLikeTheOriginal() throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    int n = 300;
    double[] values = curve(3, n);
    double[] twin = new double[n];
    for (int i = 0; i < n; i++) {
      twin[i] = 2 * Math.exp(-i / 30.0) + 0.1;
    }
    SeriesJudge original = judge(plan);
    for (int t = 0; t < 150; t++) {
      feed(original, t, values[t], twin);
    }
    // What an older Plateau saved: JSON, without the twin stride fields.
    String saved = JudgeStateCodec.json(original);
    assertThat(saved).contains("\"twinStride\":1");
    String older = saved.replace(",\"twinStride\":1", "").replace(",\"twinSkipped\":0", "");
    assertThat(older).doesNotContain("twinStride").doesNotContain("twinSkipped");
    SeriesJudge restored = judge(plan);
    JudgeStateCodec.read(older.getBytes(StandardCharsets.UTF_8), restored);
    for (int t = 150; t < n; t++) {
      feed(original, t, values[t], twin);
      feed(restored, t, values[t], twin);
      assertThat(VerdictJson.of(restored.verdict()).toString())
          .isEqualTo(VerdictJson.of(original.verdict()).toString());
    }
  }

  @Test
  void aStateSavedAsJsonByEarlierVersionsIsReadAndGoesOnLikeTheBinaryOne() throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    int n = 400;
    double[] values = curve(6, n);
    double[] twin = curve(106, n);
    SeriesJudge original = judge(plan);
    for (int t = 0; t < 250; t++) {
      feed(original, t, values[t], twin);
    }
    SeriesJudge fromJson = judge(plan);
    JudgeStateCodec.read(JudgeStateCodec.json(original).getBytes(StandardCharsets.UTF_8), fromJson);
    SeriesJudge fromBinary = judge(plan);
    JudgeStateCodec.read(JudgeStateCodec.write(original), fromBinary);
    for (int t = 250; t < n; t++) {
      feed(original, t, values[t], twin);
      feed(fromJson, t, values[t], twin);
      feed(fromBinary, t, values[t], twin);
      String expected = VerdictJson.of(original.verdict()).toString();
      assertThat(VerdictJson.of(fromJson.verdict()).toString()).isEqualTo(expected);
      assertThat(VerdictJson.of(fromBinary.verdict()).toString()).isEqualTo(expected);
    }
  }

  @Test
  void theBinaryStateIsSmallerThanTheJson() throws Exception {
    SeriesJudge original = judge(plan(EVERY_DETECTOR));
    double[] values = curve(2, 2_000);
    double[] twin = curve(102, 2_000);
    for (int t = 0; t < 2_000; t++) {
      feed(original, t, values[t], twin);
    }
    int binary = JudgeStateCodec.write(original).length;
    int json = JudgeStateCodec.json(original).getBytes(StandardCharsets.UTF_8).length;
    assertThat(binary).as("binary %d bytes, JSON %d", binary, json).isLessThan(json / 2);
  }

  @Test
  void aSummaryCarriesTheVerdictTheWakeTimeAndTheDetectorsAndIsRefusedWhenCutOrOfOtherDetectors()
      throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    double[] values = curve(6, 260);
    double[] twin = curve(106, 260);
    SeriesJudge judge = judge(plan);
    for (int t = 0; t < 260; t++) {
      feed(judge, t, values[t], twin);
    }
    byte[] saved = JudgeStateCodec.summary(judge);
    SeriesSummary summary = JudgeStateCodec.readSummary(saved);
    assertThat(summary.verdict()).isEqualTo(judge.verdict());
    assertThat(summary.wakeAt())
        .isEqualTo(judge.nextChangeAt())
        .isFinite(); // the stalled rule's hour
    assertThat(summary.detectors())
        .containsExactly("divergence", "target", "overfitting", "plateau", "patience", "stalled");
    assertThat(summary.fits(judge(plan))).isTrue();
    assertThat(summary.fits(judge(plan("")))).isFalse();
    assertThat(
            summary.fits(
                judge(
                    plan(
                        "detection:\n  detectors: [divergence, overfitting, stalled, plateau]\n"))))
        .isFalse();
    for (int cut = 0; cut < saved.length; cut++) {
      byte[] truncated = Arrays.copyOf(saved, cut);
      assertThatThrownBy(() -> JudgeStateCodec.readSummary(truncated))
          .as("cut at %d of %d", cut, saved.length)
          .isInstanceOf(IllegalArgumentException.class);
    }
    byte[] state = JudgeStateCodec.write(judge);
    assertThatThrownBy(() -> JudgeStateCodec.readSummary(state))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 2");
  }

  @Test
  void aDamagedStateIsRefusedWithAMessageAtEveryCut() throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    SeriesJudge original = judge(plan);
    double[] values = curve(4, 300);
    double[] twin = curve(104, 300);
    for (int t = 0; t < 300; t++) {
      feed(original, t, values[t], twin);
    }
    byte[] saved = JudgeStateCodec.write(original);
    for (int cut = 0; cut < saved.length; cut++) {
      byte[] truncated = Arrays.copyOf(saved, cut);
      assertThatThrownBy(() -> JudgeStateCodec.read(truncated, judge(plan)))
          .as("cut at %d of %d", cut, saved.length)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("saved");
    }
    byte[] longer = Arrays.copyOf(saved, saved.length + 1);
    assertThatThrownBy(() -> JudgeStateCodec.read(longer, judge(plan)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after its end");
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    for (int trial = 0; trial < 2_000; trial++) {
      byte[] flipped = saved.clone();
      int at = random.nextInt(flipped.length);
      flipped[at] ^= (byte) (1 << random.nextInt(8));
      try {
        JudgeStateCodec.read(flipped, judge(plan)); // a flipped bit in a double may still read
      } catch (IllegalArgumentException expected) {
        assertThat(expected.getMessage()).as("flip at %d", at).isNotBlank();
      }
    }
  }

  @Test
  void negativeLengthsAndDeeplyNestedValuesAreRefusedWithAMessage() throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    byte[] prefix = JudgeStateCodec.write(judge(plan));
    // After the format byte and the verdict's layout fingerprint comes the run name's length:
    // a ten-byte varint of -1.
    byte[] negative = Arrays.copyOf(prefix, 5 + 10);
    Arrays.fill(negative, 5, 14, (byte) 0xFF);
    negative[14] = 0x01;
    assertThatThrownBy(() -> JudgeStateCodec.read(negative, judge(plan)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("saved");
    // Verdict: run, tag, mode, status, detector as null strings, then decidedAtStep as a list of a
    // list of a list ... 100,000 deep.
    java.io.ByteArrayOutputStream deep = new java.io.ByteArrayOutputStream();
    deep.write(prefix, 0, 5);
    deep.write(new byte[] {0, 0, 0, 0, 0});
    for (int i = 0; i < 100_000; i++) {
      deep.write(7);
      deep.write(1);
    }
    assertThatThrownBy(() -> JudgeStateCodec.read(deep.toByteArray(), judge(plan)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper");
  }

  @Test
  void aStateRecordWhoseFieldsChangedIsRefusedNotMisread() throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    byte[] saved = JudgeStateCodec.write(judge(plan));
    saved[1] ^= 1; // the verdict's layout fingerprint, as another version's record would have it
    assertThatThrownBy(() -> JudgeStateCodec.read(saved, judge(plan)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other fields");
  }

  @Test
  void aStateSavedAsJsonBeforeTheForecastsAnswersIsReadAndAnswersAgainAfterTheNextFit()
      throws Exception {
    SeriesPlan plan = plan(EVERY_DETECTOR);
    int n = 300;
    double[] values = curve(4, n);
    double[] twin = curve(104, n);
    SeriesJudge original = judge(plan);
    for (int t = 0; t < 150; t++) {
      feed(original, t, values[t], twin);
    }
    String saved = JudgeStateCodec.json(original);
    String older =
        saved
            .replaceAll(",\"forecastExtra\":\\[[^\\]]*\\]", "")
            .replaceAll(",\"plannedEnd\":\\d+", "")
            .replaceAll(",\"firstWallTime\":[^,]+", "")
            .replaceAll(",\"lastWallTime\":[^,]+", "");
    assertThat(older).doesNotContain("forecastExtra").doesNotContain("WallTime");
    SeriesJudge restored = judge(plan);
    JudgeStateCodec.read(older.getBytes(StandardCharsets.UTF_8), restored);
    for (int t = 150; t < n; t++) {
      feed(restored, t, values[t], twin);
    }
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> forecast =
        (java.util.Map<String, Object>) restored.verdict().evidence().get("forecast");
    assertThat(forecast).containsKey("value").containsKey("steps_per_hour");
    assertThat(((Number) forecast.get("steps_per_hour")).doubleValue()).isEqualTo(3600.0);
  }
}
