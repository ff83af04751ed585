package dev.plateau.bench;

import dev.plateau.write.EventFileWriter;
import java.nio.file.*;
import java.util.*;
/**
 * Measures the time from a point being flushed to its flag file existing, against a running
 * `plateau watch` (see bench/latency.sh): each trial appends one point that reaches a target.
 * Usage: LatencyHarness LOGDIR TRIALS SETTLE_MILLIS
 */
public final class LatencyHarness {
  private LatencyHarness() {}

  public static void main(String[] a) throws Exception {
    Path logdir = Path.of(a[0]); int trials = Integer.parseInt(a[1]);
    double now = System.currentTimeMillis() / 1000.0;
    List<EventFileWriter> writers = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      EventFileWriter w = EventFileWriter.create(logdir.resolve("r" + i), now, "lat", 0);
      w.simpleValue("val_loss", 0, now, 1.0f); w.flush(); writers.add(w);
    }
    Thread.sleep(Long.parseLong(a[2])); // let the daemon see every run
    long[] lat = new long[trials];
    for (int i = 0; i < trials; i++) {
      Path flag = logdir.resolve("r" + i).resolve("TARGET_REACHED");
      writers.get(i).simpleValue("val_loss", 1, System.currentTimeMillis() / 1000.0, 0.4f);
      writers.get(i).flush();
      long t0 = System.nanoTime();
      while (!Files.exists(flag)) { Thread.onSpinWait(); if (System.nanoTime() - t0 > 30_000_000_000L) break; }
      lat[i] = (System.nanoTime() - t0) / 1000;
      Thread.sleep(20);
    }
    Arrays.sort(lat);
    System.out.printf("trials %d: median %.1f ms, p95 %.1f ms, max %.1f ms%n", trials, lat[trials/2]/1000.0, lat[(int)(trials*0.95)]/1000.0, lat[trials-1]/1000.0);
  }
}
