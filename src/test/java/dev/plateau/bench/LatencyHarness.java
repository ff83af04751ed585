package dev.plateau.bench;

import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the time from a point being flushed to its flag file existing, against a running {@code
 * plateau watch} whose configuration watches {@link #TAG} with a target of 0.5 ({@link #CONFIG}).
 * Each trial has its own run: it starts with one point above the target, written before the trials
 * ({@link #prepare}), then one point below it is flushed and the harness spins until the run's
 * {@code TARGET_REACHED} flag appears.
 */
final class LatencyHarness implements AutoCloseable {
  static final String TAG = "probe_loss";
  static final String CONFIG =
      "rules:\n  - tag: "
          + TAG
          + "\n    detectors: [divergence, target]\n    target: {value: 0.5}\n";

  private final Path logdir;
  private final List<EventFileWriter> writers = new ArrayList<>();

  private LatencyHarness(Path logdir) {
    this.logdir = logdir;
  }

  /** Creates {@code trials} probe runs with their first point, flushed. */
  static LatencyHarness prepare(Path logdir, int trials) throws IOException {
    LatencyHarness h = new LatencyHarness(logdir);
    double now = System.currentTimeMillis() / 1000.0;
    for (int i = 0; i < trials; i++) {
      EventFileWriter w = EventFileWriter.create(logdir.resolve(runName(i)), now, "lat", 0);
      w.simpleValue(TAG, 0, now, 1.0f);
      w.flush();
      h.writers.add(w);
    }
    return h;
  }

  private static String runName(int i) {
    return String.format("probe-%04d", i);
  }

  /**
   * Runs every trial, pausing {@code pauseMillis} between them; returns the latencies in
   * milliseconds (30 s when a flag never appeared).
   */
  double[] run(long pauseMillis) throws IOException, InterruptedException {
    double[] millis = new double[writers.size()];
    for (int i = 0; i < writers.size(); i++) {
      Path flag = logdir.resolve(runName(i)).resolve("TARGET_REACHED");
      EventFileWriter w = writers.get(i);
      w.simpleValue(TAG, 1, System.currentTimeMillis() / 1000.0, 0.4f);
      w.flush();
      long t0 = System.nanoTime();
      while (!Files.exists(flag) && System.nanoTime() - t0 < 30_000_000_000L) {
        Thread.onSpinWait();
      }
      millis[i] = (System.nanoTime() - t0) / 1e6;
      Thread.sleep(pauseMillis);
    }
    return millis;
  }

  @Override
  public void close() throws IOException {
    for (EventFileWriter w : writers) {
      w.close();
    }
  }
}
