package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.write.EventFileWriter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar, killed with SIGKILL at random moments while a writer appends events and verdicts
 * fire, restarted each time: afterwards the receiver has every verdict that an uninterrupted
 * Plateau delivers for the same data, each under one id, and the flag files show each experiment's
 * final status.
 */
class CrashRecoveryIT {
  static final int EXPERIMENTS = 6;

  /** Points per experiment; -Dplateau.crash.points=2000 makes a longer run on demand. */
  static final int POINTS = Integer.getInteger("plateau.crash.points", 160);

  static Path jar() {
    return Paths.get(System.getProperty("plateau.jar", "target/plateau.jar"));
  }

  static Process start(Path logdir, Path state, String url, Path log) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-jar",
            jar().toString(),
            "watch",
            logdir.toString(),
            "--state-dir",
            state.toString(),
            "--webhook",
            url,
            "--poll-interval",
            "100ms",
            // no status server: port 9321 may be another test's, and a taken port stops start-up
            "--http",
            "off")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Curve of experiment {@code e}: converging ones flatten, every third diverges to NaN. */
  static float value(int e, int t) {
    if (e % 3 == 2 && t > POINTS * 2 / 3) {
      return t > POINTS * 2 / 3 + 5 ? Float.NaN : 50f * (t - POINTS * 2 / 3);
    }
    double scale = 8 + 3 * e;
    return (float) (1 + 8 * Math.exp(-t / scale) + 0.01 * Math.sin(t * 1.7 + e));
  }

  static void writeAll(Path logdir, Random random, long pauseMillis) throws Exception {
    List<EventFileWriter> writers = new ArrayList<>();
    double start = System.currentTimeMillis() / 1000.0;
    for (int e = 0; e < EXPERIMENTS; e++) {
      writers.add(EventFileWriter.create(logdir.resolve("exp" + e), start, "crash", 0));
    }
    for (int t = 0; t < POINTS; t++) {
      for (int e = 0; e < EXPERIMENTS; e++) {
        writers.get(e).simpleValue("val_loss", t, start + t * 0.01, value(e, t));
        writers.get(e).flush();
      }
      if (pauseMillis > 0) {
        Thread.sleep(random.nextInt((int) pauseMillis * 2));
      }
    }
    for (EventFileWriter w : writers) {
      w.close();
    }
  }

  /** Waits until the receiver has seen at least {@code count} distinct ids and stays quiet. */
  static void awaitQuiet(WebhookReceiver receiver, int count, Duration limit) {
    AtomicInteger last = new AtomicInteger(-1);
    AtomicLong changedAt = new AtomicLong();
    Awaitility.await("at least " + count + " distinct ids, then no request for 1.5 s")
        .atMost(limit)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              List<WebhookReceiver.Received> received = receiver.received();
              if (received.size() != last.getAndSet(received.size())) {
                changedAt.set(System.nanoTime());
              }
              long distinct =
                  received.stream().map(WebhookReceiver.Received::id).distinct().count();
              return distinct >= count
                  && System.nanoTime() - changedAt.get() > TimeUnit.MILLISECONDS.toNanos(1500);
            });
  }

  @Test
  void killedAndRestartedDaemonDeliversEveryVerdictOnceUnderOneId(@TempDir Path temp)
      throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path state = temp.resolve("state");
    Path log = temp.resolve("watch.log");
    Random random = new Random(Long.getLong("plateau.crash.seed", 20261123L));
    int kills = 0;
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  writeAll(logdir, new Random(7), 40);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
      while (writer.isAlive()) {
        // The receiver is down now and then too: deliveries must wait in the outbox.
        receiver.status.set(random.nextInt(4) == 0 ? 503 : 200);
        Process p = start(logdir, state, receiver.url(), log);
        Thread.sleep(200 + random.nextInt(900));
        p.destroyForcibly(); // SIGKILL
        p.waitFor(10, TimeUnit.SECONDS);
        kills++;
      }
      writer.join();
      receiver.status.set(200);

      // Reference: an uninterrupted Plateau on the finished logdir, with fresh state.
      List<WebhookReceiver.Received> reference;
      Path referenceLogdir = temp.resolve("reference");
      copyTree(logdir, referenceLogdir);
      try (WebhookReceiver clean = new WebhookReceiver()) {
        Process p =
            start(
                referenceLogdir,
                temp.resolve("reference-state"),
                clean.url(),
                temp.resolve("reference.log"));
        awaitQuiet(clean, EXPERIMENTS, Duration.ofSeconds(60));
        assertThat(p.isAlive()).isTrue();
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit after SIGTERM").isZero();
        reference = clean.received();
      }

      Process last = start(logdir, state, receiver.url(), log);
      awaitQuiet(receiver, EXPERIMENTS, Duration.ofSeconds(60));
      last.destroy(); // SIGTERM: a clean stop
      assertThat(last.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(last.exitValue()).as(Files.readString(log)).isZero();

      Map<String, String> finalStatus = finalStatusByExperiment(reference);
      assertThat(finalStatus).hasSize(EXPERIMENTS);
      assertThat(finalStatus.values()).contains("converged", "diverged");

      List<WebhookReceiver.Received> got = receiver.received();
      Map<String, Long> perId =
          got.stream()
              .collect(
                  Collectors.groupingBy(
                      WebhookReceiver.Received::id, TreeMap::new, Collectors.counting()));
      String report =
          String.format(
              "%d kills; %d deliveries, %d distinct ids; reference %d; log:%n%s",
              kills, got.size(), perId.size(), reference.size(), tail(log, 60));
      // One id per verdict: the same experiment, status and step never arrive under two ids.
      Map<String, Set<String>> idsPerVerdict = new HashMap<>();
      for (WebhookReceiver.Received r : got) {
        idsPerVerdict.computeIfAbsent(verdictKey(r), k -> new TreeSet<>()).add(r.id());
      }
      assertThat(idsPerVerdict.values()).as(report).allMatch(ids -> ids.size() == 1);
      // Every verdict of the uninterrupted run was delivered, and nothing else. (Ids include the
      // logdir's path, which differs for the reference copy, so verdicts are compared by content.)
      Set<String> expected = new TreeSet<>();
      for (WebhookReceiver.Received r : reference) {
        expected.add(verdictKey(r));
      }
      assertThat(idsPerVerdict.keySet()).as(report).isEqualTo(expected);
      assertThat(finalStatusByExperiment(got)).as(report).isEqualTo(finalStatus);
      // A SIGKILL between a receiver's answer and the outbox update would send an id twice;
      // random kills almost never hit that window, and the id lets receivers drop it anyway.
      long duplicates = perId.values().stream().filter(n -> n > 1).count();
      assertThat(duplicates).as(report).isLessThanOrEqualTo(1);
      // Flags show each experiment's final status.
      for (Map.Entry<String, String> e : finalStatus.entrySet()) {
        Path flag = logdir.resolve(e.getKey()).resolve(e.getValue().toUpperCase());
        assertThat(flag).as(report).exists();
      }
      System.out.println("crash test: " + report.lines().findFirst().orElse(""));
    }
  }

  static String verdictKey(WebhookReceiver.Received r) {
    return r.json().get("experiment").asText()
        + " "
        + r.json().get("previous_status").asText()
        + " -> "
        + r.json().get("status").asText()
        + " at "
        + r.json().get("decided_at_step")
        + " keep "
        + r.json().get("best_step");
  }

  static Map<String, String> finalStatusByExperiment(List<WebhookReceiver.Received> received) {
    Map<String, String> out = new TreeMap<>();
    Map<String, String> time = new HashMap<>();
    for (WebhookReceiver.Received r : received) {
      String experiment = r.json().get("experiment").asText();
      String decided = r.json().get("last_step").asText();
      out.merge(experiment, r.json().get("status").asText(), (a, b) -> b);
      time.put(experiment, decided);
    }
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (p.getFileName().toString().contains("tfevents")) {
          Files.copy(p, target);
        }
      }
    }
  }

  static String tail(Path log, int lines) throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    List<String> all = Files.readAllLines(log);
    return String.join(
        File.separator.equals("/") ? "\n" : "\r\n",
        all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
