package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.testing.FaultyHttpProxy;
import dev.plateau.testing.S3ProxyServer;
import dev.plateau.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plateau watch s3://...} as a process against a real S3 server (S3Proxy, its own process):
 * flags as objects, start-up refusals, and faults (throttling, resets, a stall) with a SIGKILL and
 * restart in between, through a misbehaving proxy that records every request.
 */
class ObjectStoreWatchIT {
  @TempDir static Path dir;
  static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static WatchProcess watch(
      String logdir, Path state, Map<String, String> environment, String... more)
      throws IOException {
    int port = WatchProcess.freePort();
    ProcessBuilder builder = WatchProcess.command(List.of(), Path.of(logdir), state, port, more);
    // The command line's path folds "s3://" into "s3:/"; give the URL itself.
    List<String> command = new ArrayList<>(builder.command());
    command.set(command.indexOf("watch") + 1, logdir);
    builder.command(command);
    builder.environment().putAll(environment);
    return WatchProcess.start(builder, port);
  }

  /** Writes the fixture's event files under {@code prefix}: the first {@code share} of each. */
  private static void upload(Path bucket, String fixture, String prefix, double share)
      throws IOException {
    Path source = SharedFixtures.require("fixtures/tf/" + fixture);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().contains("tfevents")).toList()) {
        byte[] all = Files.readAllBytes(file);
        Path target = bucket.resolve(prefix).resolve(source.relativize(file).toString());
        Files.createDirectories(target.getParent());
        // Written whole and renamed into place, as an object is replaced whole.
        Path tmp = target.resolveSibling(".upload-" + target.getFileName());
        Files.write(tmp, java.util.Arrays.copyOf(all, (int) (all.length * share)));
        Files.move(
            tmp,
            target,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  @Test
  void convergedRunsFlagObjectAppearsWithinThePollIntervalAndASecond() throws Exception {
    Path bucket = server.bucket("flags");
    Files.createDirectories(bucket.resolve("team/logs"));
    Path local = Files.createDirectories(dir.resolve("local-logdir"));
    Map<String, String> env = new HashMap<>(server.environment());
    env.put("PLATEAU_OBJECT_STORE_POLL_INTERVAL", "1s");
    try (WatchProcess watch =
        watch("s3://flags/team/logs", dir.resolve("state-flags"), env, local.toString())) {
      watch.await("first round", () -> watch.status("/readyz") == 200);
      // A first run read and flagged warms the process (its first GET and PUT load their code).
      upload(bucket, "diverging", "team/logs/diverging", 1.0);
      watch.await(
          "the first flag", () -> Files.exists(bucket.resolve("team/logs/diverging/DIVERGED")));
      upload(bucket, "converging", "team/logs/converging", 1.0);
      long uploaded = System.nanoTime();
      Path flag = bucket.resolve("team/logs/converging/CONVERGED");
      watch.await("the flag object", () -> Files.exists(flag));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - uploaded);
      assertThat(millis).as(watch.output()).isLessThan(1000 + 1000);
      assertThat(Files.readString(flag)).contains("\"status\"").contains("converged");
      assertThat(watch.get("/metrics"))
          .contains("plateau_object_store_requests_total{kind=\"put\",outcome=\"ok\"} 2.0");
    }
  }

  @Test
  void missingBucketAndWrongCredentialsStopTheStartNamingBucketAndOperation() throws Exception {
    try (WatchProcess missing =
        watch("s3://no-such-bucket/logs", dir.resolve("state-missing"), server.environment())) {
      assertThat(missing.awaitExit()).isEqualTo(2);
      assertThat(missing.output())
          .contains("s3://no-such-bucket")
          .contains("ListObjectsV2")
          .contains("NoSuchBucket");
    }
    server.bucket("creds");
    Map<String, String> wrong = new HashMap<>(server.environment());
    wrong.put("AWS_SECRET_ACCESS_KEY", "a-wrong-secret-never-printed");
    try (WatchProcess refused = watch("s3://creds/logs", dir.resolve("state-creds"), wrong)) {
      assertThat(refused.awaitExit()).isEqualTo(2);
      assertThat(refused.output())
          .contains("s3://creds")
          .contains("ListObjectsV2")
          .contains("credentials from the environment (AWS_ACCESS_KEY_ID")
          .doesNotContain("a-wrong-secret-never-printed")
          .doesNotContain(S3ProxyServer.SECRET_KEY);
    }
  }

  @Test
  void throttlingResetsAStallAndAKillChangeNoVerdictAndTheRestartReadsOnWithRangedGets()
      throws Exception {
    Path bucket = server.bucket("faults");
    upload(bucket, "converging", "logs/converging", 1.0);
    upload(bucket, "diverging", "logs/diverging", 0.4);
    try (FaultyHttpProxy proxy = new FaultyHttpProxy(server.port(), 10_000)) {
      Map<String, String> env = new HashMap<>(server.environment());
      env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint());
      env.put("PLATEAU_OBJECT_STORE_POLL_INTERVAL", "300ms");
      env.put("PLATEAU_OBJECT_STORE_REQUEST_TIMEOUT", "2s");
      Path state = dir.resolve("state-faults");
      String converged;
      try (WatchProcess first =
          watch("s3://faults/logs", state, env, "--checkpoint-interval", "0")) {
        first.await(
            "the converged flag", () -> Files.exists(bucket.resolve("logs/converging/CONVERGED")));
        first.await("a second round after it", () -> first.rounds() > 5);
        converged = String.join("\n", first.lines("-> converged"));
        assertThat(first.lines("-> converged")).hasSize(1);
        assertThat(first.get("/metrics"))
            .containsPattern(
                "plateau_object_store_requests_total\\{kind=\"list\",outcome=\"throttled\"\\} [1-9]");
        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // SIGKILL
        first.awaitExit();
      }
      assertThat(converged).isNotEmpty();
      proxy.faults(false);
      proxy.takeSeen();
      upload(bucket, "diverging", "logs/diverging", 1.0);
      try (WatchProcess second = watch("s3://faults/logs", state, env)) {
        second.await(
            "the diverged flag", () -> Files.exists(bucket.resolve("logs/diverging/DIVERGED")));
        second.await("the first scan", () -> second.status("/readyz") == 200);
        assertThat(second.lines("-> converged")).isEmpty(); // not recorded (or sent) again
        List<String> gets =
            proxy.takeSeen().stream()
                .filter(r -> r.startsWith("GET ") && r.contains("tfevents"))
                .toList();
        assertThat(gets).isNotEmpty();
        // Ranged GETs from the committed offsets (less a small window), never whole objects.
        assertThat(gets).allSatisfy(r -> assertThat(r).containsPattern("bytes=[1-9][0-9]*-"));
      }
    }
  }

  @Test
  void storeUnreachableLongerThanItsLimitMakesReadyzSaySoUntilItIsBack() throws Exception {
    Path bucket = server.bucket("outage");
    upload(bucket, "converging", "logs/converging", 1.0);
    Path local = Files.createDirectories(dir.resolve("outage-local"));
    try (FaultyHttpProxy proxy = new FaultyHttpProxy(server.port(), 0)) {
      proxy.faults(false);
      Map<String, String> env = new HashMap<>(server.environment());
      env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint());
      env.put("PLATEAU_OBJECT_STORE_POLL_INTERVAL", "200ms");
      env.put("PLATEAU_OBJECT_STORE_UNREACHABLE_AFTER", "1s");
      try (WatchProcess watch =
          watch("s3://outage/logs", dir.resolve("state-outage"), env, local.toString())) {
        watch.await("ready", () -> watch.status("/readyz") == 200);
        assertThat(watch.get("/api/runs"))
            .as("an s3 logdir is named by its URL, not the path it folds to")
            .contains("s3://outage/logs")
            .doesNotContain("s3:/outage");
        proxy.down(true);
        watch.await("not ready", () -> watch.status("/readyz") == 503);
        assertThat(watch.get("/readyz")).contains("unreachable").contains("s3://outage/logs");
        assertThat(watch.get("/metrics"))
            .containsPattern(
                "plateau_object_store_requests_total\\{kind=\"list\",outcome=\"io_error\"\\} [1-9]");
        proxy.down(false);
        watch.await("ready again", () -> watch.status("/readyz") == 200);
        assertThat(watch.lines("-> converged")).hasSize(1);
      }
    }
  }
}
