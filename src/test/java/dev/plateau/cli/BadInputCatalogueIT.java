package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows of the catalogue of bad input (docs/bad-input.md) that are about the process: start-up
 * (a bad configuration, a corrupt state database), the operating system refusing a read (an
 * unreadable file) or a write (a full disk for the state). Each runs the real {@code plateau watch}
 * (target/plateau.jar), reads what it says on standard error, and checks that a healthy run beside
 * the bad input is read whole and judged: its flag file appears and {@code /api/runs} counts all
 * its points.
 */
class BadInputCatalogueIT {
  static final String TAG = "val_loss";
  static final int POINTS = 120;
  static final int FIRST_PART = 40;

  @TempDir Path temp;

  /** The healthy run: a converging curve, written by the project's writer in two parts. */
  private static final class HealthyRun implements AutoCloseable {
    final Path dir;
    private final EventFileWriter writer;
    private final double start = System.currentTimeMillis() / 1000.0 - 600;
    private int written;

    HealthyRun(Path logdir) throws IOException {
      dir = logdir.resolve("healthy");
      writer = EventFileWriter.create(dir, start, "healthy", 0);
    }

    void firstPart() throws IOException {
      write(FIRST_PART);
    }

    void rest() throws IOException {
      write(POINTS);
    }

    private void write(int to) throws IOException {
      for (int step = written; step < to; step++) {
        writer.simpleValue(TAG, step, start + step, (float) (1 + 8 * Math.exp(-step / 8.0)));
      }
      writer.flush();
      written = to;
    }

    Path flag() {
      return dir.resolve("CONVERGED");
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }

  /** The watcher reached {@code points} of the healthy run (a round that read them completed). */
  private static boolean read(WatchProcess watch, int points) {
    return watch.series("healthy", TAG).path("points").asInt() == points;
  }

  /** The healthy run was read whole and judged: its flag, and all its points in /api/runs. */
  private static void assertHealthyRunReadAndJudged(WatchProcess watch, HealthyRun healthy)
      throws Exception {
    watch.await("the healthy run's flag", () -> Files.exists(healthy.flag()));
    assertThat(Files.readString(healthy.flag())).contains("\"status\" : \"converged\"");
    watch.await("all the healthy run's points in /api/runs", () -> read(watch, POINTS));
    assertThat(watch.series("healthy", TAG).path("last_step").asInt()).isEqualTo(POINTS - 1);
  }

  private static Path stateDatabase(Path stateDir) throws IOException {
    try (var files = Files.list(stateDir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".db"))
          .findFirst()
          .orElseThrow();
    }
  }

  // ---- an unreadable file ------------------------------------------------------------------

  /**
   * Permissions do not stop root (CAP_DAC_OVERRIDE), and tests often run as root. When this JVM can
   * read a file of mode 000, the process is started through {@code setpriv} without the
   * capabilities that bypass file permissions, so that mode 000 denies it as it would any user;
   * otherwise it runs as it is.
   */
  private List<String> withoutPermissionBypass() throws Exception {
    Path probe = Files.writeString(temp.resolve("probe"), "x");
    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
    boolean bypassed = Files.isReadable(probe);
    Files.delete(probe);
    if (!bypassed) {
      return List.of();
    }
    List<String> setpriv = List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search");
    boolean works;
    try {
      List<String> probeCommand = new ArrayList<>(setpriv);
      probeCommand.add("true");
      works = new ProcessBuilder(probeCommand).start().waitFor() == 0;
    } catch (IOException missing) {
      works = false;
    }
    assumeTrue(
        works,
        "permissions are bypassed here, and setpriv (util-linux) cannot drop CAP_DAC_OVERRIDE");
    return setpriv;
  }

  @Test
  void unreadableFileIsReportedOnceAndReadWhenItBecomesReadable() throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path bad;
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("bad"), 1.7e9, "bad", 0)) {
      for (int step = 0; step < 60; step++) {
        w.simpleValue(TAG, step, 1.7e9 + step, (float) (1 + 8 * Math.exp(-step / 8.0)));
      }
    }
    try (var files = Files.list(logdir.resolve("bad"))) {
      bad = files.findFirst().orElseThrow();
    }
    Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("---------"));
    try (HealthyRun healthy = new HealthyRun(logdir)) {
      healthy.firstPart();
      try (WatchProcess watch =
          WatchProcess.start(withoutPermissionBypass(), logdir, temp.resolve("state"))) {
        String denied = bad + ": cannot read (permission denied); retrying on the next poll";
        watch.await("the unreadable file is reported", () -> !watch.lines(denied).isEmpty());
        healthy.rest();
        assertHealthyRunReadAndJudged(watch, healthy);
        assertThat(watch.lines(bad.toString())).as("said once, not on every poll").hasSize(1);
        assertThat(watch.series("bad", TAG).isMissingNode()).isTrue();

        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-r--r--"));
        watch.await(
            "the file is read", () -> watch.series("bad", TAG).path("points").asInt() == 60);
        assertThat(watch.lines(bad + ": readable again")).hasSize(1);
        assertThat(watch.stop()).isZero();
      }
    }
  }

  @Test
  void runDirectoryUnreadableForAWhileIsNeitherReadAgainNorReAlerted() throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path run = logdir.resolve("brief");
    double start = System.currentTimeMillis() / 1000.0 - 600;
    try (EventFileWriter w = EventFileWriter.create(run, start, "brief", 0)) {
      for (int step = 0; step < 80; step++) {
        w.simpleValue(TAG, step, start + step, (float) (1 + 8 * Math.exp(-step / 8.0)));
      }
    }
    try (HealthyRun healthy = new HealthyRun(logdir)) {
      healthy.firstPart();
      try (WatchProcess watch =
          WatchProcess.start(withoutPermissionBypass(), logdir, temp.resolve("state"))) {
        watch.await("the run converged", () -> Files.exists(run.resolve("CONVERGED")));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("---------"));
        String denied = "cannot read " + run + ": permission denied";
        watch.await("the unreadable directory is reported", () -> !watch.lines(denied).isEmpty());
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        healthy.rest(); // read only by rounds after the directory is readable again
        assertHealthyRunReadAndJudged(watch, healthy);
        assertThat(watch.lines(run + "/"))
            .as("none of its files forgotten")
            .noneMatch(l -> l.contains("forgotten"));
        assertThat(watch.lines("goes back")).isEmpty();
        assertThat(watch.lines("reading run 'brief' again")).isEmpty();
        assertThat(watch.lines(" brief: ").stream().filter(l -> l.contains("Watcher")).toList())
            .as("one transition, to converged, and no other")
            .singleElement()
            .satisfies(l -> assertThat(l).contains("training -> converged"));
        assertThat(watch.series("brief", TAG).path("points").asInt()).isEqualTo(80);
        assertThat(watch.stop()).isZero();
      }
    }
  }

  @Test
  void oneEventOfAHundredThousandTagsLeavesTheDaemonAliveInTheImagesHeap() throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path wide = logdir.resolve("wide");
    try (EventFileWriter w = EventFileWriter.create(wide, 1.7e9, "wide", 0)) {
      dev.plateau.proto.Summary.Builder summary = dev.plateau.proto.Summary.newBuilder();
      for (int i = 0; i < 100_000; i++) {
        summary.addValue(
            dev.plateau.proto.Summary.Value.newBuilder()
                .setTag(com.google.protobuf.ByteString.copyFromUtf8("loss_" + i))
                .setSimpleValue(i));
      }
      w.write(
          dev.plateau.proto.Event.newBuilder()
              .setStep(1)
              .setWallTime(1.7e9)
              .setSummary(summary)
              .build());
    }
    try (HealthyRun healthy = new HealthyRun(logdir)) {
      healthy.firstPart();
      int port = WatchProcess.freePort();
      ProcessBuilder builder = WatchProcess.command(List.of(), logdir, temp.resolve("state"), port);
      builder.environment().put("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+ExitOnOutOfMemoryError");
      try (WatchProcess watch = WatchProcess.start(builder, port)) {
        watch.await(
            "the limit is reported", () -> !watch.lines("distinct tags in this file").isEmpty());
        healthy.rest();
        assertHealthyRunReadAndJudged(watch, healthy);
        assertThat(watch.lines("distinct tags in this file")).as("said once").hasSize(1);
        assertThat(watch.lines("distinct tags in this file").get(0)).contains(wide.toString());
        assertThat(watch.output())
            .doesNotContain("java.lang.OutOfMemoryError")
            .doesNotContain("Terminating due to");
        assertThat(watch.status("/api/runs")).isEqualTo(200);
        assertThat(watch.stop()).isZero();
      }
    }
  }

  // ---- a configuration with an unknown key or a wrong type ----------------------------------

  @Test
  void configWithUnknownKeyOrWrongTypeStopsStartUpNamingTheKeyAndTouchesNothing() throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path state = temp.resolve("state");
    Path unknown =
        Files.writeString(
            temp.resolve("unknown.yaml"), "detection:\n  plateau:\n    min_detla: 0.02\n");
    Path wrong =
        Files.writeString(
            temp.resolve("wrong.yaml"), "detection:\n  plateau:\n    min_delta: lots\n");
    try (HealthyRun healthy = new HealthyRun(logdir)) {
      healthy.firstPart();

      try (WatchProcess watch =
          WatchProcess.start(List.of(), logdir, state, "--config", unknown.toString())) {
        assertThat(watch.awaitExit()).isEqualTo(2);
        assertThat(watch.output())
            .startsWith(
                "plateau watch: "
                    + unknown
                    + ": detection.plateau.min_detla: unknown key for detector"
                    + " plateau; did you mean min_delta? allowed: confirm, horizon, learned_sigmas,"
                    + " level_divisor, max_bins, max_steps, min_best_age, min_delta,");
      }
      try (WatchProcess watch =
          WatchProcess.start(List.of(), logdir, state, "--config", wrong.toString())) {
        assertThat(watch.awaitExit()).isEqualTo(2);
        assertThat(watch.output())
            .isEqualTo(
                "plateau watch: "
                    + wrong
                    + ": detection.plateau.min_delta: 'lots' is not a number\n");
      }
      int port = WatchProcess.freePort();
      ProcessBuilder fromEnvironment = WatchProcess.command(List.of(), logdir, state, port);
      fromEnvironment.environment().put("PLATEAU_DETECTION_PLATEAU_MIN_DELTA", "lots");
      try (WatchProcess watch = WatchProcess.start(fromEnvironment, port)) {
        assertThat(watch.awaitExit()).isEqualTo(2);
        assertThat(watch.output())
            .isEqualTo(
                "plateau watch: environment variable PLATEAU_DETECTION_PLATEAU_MIN_DELTA"
                    + " (detection.plateau.min_delta): 'lots' is not a number\n");
      }
      assertThat(state).as("no state was started").doesNotExist();
      assertThat(logdir.resolve("healthy"))
          .isDirectoryNotContaining(p -> !p.getFileName().toString().contains("tfevents"));

      // Corrected, it starts and reads everything that was written meanwhile.
      Path fixed =
          Files.writeString(
              temp.resolve("fixed.yaml"), "detection:\n  plateau:\n    min_delta: 0.01\n");
      try (WatchProcess watch =
          WatchProcess.start(List.of(), logdir, state, "--config", fixed.toString())) {
        healthy.rest();
        assertHealthyRunReadAndJudged(watch, healthy);
        assertThat(watch.stop()).isZero();
      }
    }
  }

  // ---- a full disk for the state directory --------------------------------------------------

  /** A loopback receiver that records the {@code webhook-id} of every POST and answers 200. */
  private static final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final List<String> ids = new ArrayList<>();

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            synchronized (ids) {
              ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<String> ids() {
      synchronized (ids) {
        return List.copyOf(ids);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static void prlimit(long pid, String fileSize) throws Exception {
    Process p =
        new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--fsize=" + fileSize)
            .inheritIO()
            .start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as("prlimit --fsize=" + fileSize)
        .isTrue();
  }

  /**
   * The state directory's filesystem fills up. Mounting a small filesystem needs privileges CI may
   * not have, so the test makes the kernel refuse the same writes another way: a limit on the size
   * of files the running process may write (RLIMIT_FSIZE, set and lifted with prlimit), set at the
   * current size of the database's write-ahead log, so the next commit cannot be written.
   */
  @Test
  void fullDiskForTheStateKeepsTheDaemonReadingAndCommitsOnceSpaceReturns() throws Exception {
    boolean prlimit;
    try {
      prlimit = new ProcessBuilder("prlimit", "--version").start().waitFor() == 0;
    } catch (IOException missing) {
      prlimit = false;
    }
    assumeTrue(prlimit, "prlimit (util-linux) sets the file-size limit on the running daemon");
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path state = temp.resolve("state");
    try (HealthyRun healthy = new HealthyRun(logdir);
        Receiver receiver = new Receiver()) {
      healthy.firstPart();
      try (WatchProcess watch =
          WatchProcess.start(List.of(), logdir, state, "--webhook", receiver.url())) {
        watch.await("the first part committed", () -> read(watch, FIRST_PART));
        Path db = stateDatabase(state);
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        prlimit(watch.pid(), Files.size(wal) + ":");

        healthy.rest();
        watch.await(
            "a commit fails", () -> !watch.lines("cannot commit a round of reading").isEmpty());
        watch.await("the rest was read and judged", () -> read(watch, POINTS));
        assertThat(watch.lines("cannot commit").get(0))
            .contains("state database " + db + ": cannot commit a round of reading:")
            .contains("the round stays pending and is committed with the next one");
        assertThat(watch.status("/healthz")).as("the loop goes on").isEqualTo(200);
        assertThat(healthy.flag()).as("a flag follows a committed status only").doesNotExist();
        assertThat(receiver.ids()).isEmpty();

        prlimit(watch.pid(), "unlimited:");
        assertHealthyRunReadAndJudged(watch, healthy);
        watch.await("the verdict delivered", () -> !receiver.ids().isEmpty());
        assertThat(watch.stop()).isZero();
      }
      // Restarted, it has nothing left to say: the verdict was committed and delivered once.
      try (WatchProcess watch =
          WatchProcess.start(List.of(), logdir, state, "--webhook", receiver.url())) {
        watch.await("a round after the restart", () -> watch.output().contains("first round done"));
        long after = watch.rounds();
        // a few more rounds, each a look of the delivery worker at the outbox
        watch.await("three more rounds", () -> watch.rounds() >= after + 3);
        assertThat(watch.stop()).isZero();
      }
      assertThat(receiver.ids()).hasSize(1);
    }
  }

  // ---- a corrupt state database -------------------------------------------------------------

  @Test
  void corruptStateDatabaseStopsStartUpUntilRebuiltThenEveryRunIsReadAgain() throws Exception {
    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path state = temp.resolve("state");
    try (HealthyRun healthy = new HealthyRun(logdir)) {
      healthy.firstPart();
      try (WatchProcess watch = WatchProcess.start(List.of(), logdir, state)) {
        watch.await("the first part committed", () -> read(watch, FIRST_PART));
        assertThat(watch.stop()).isZero();
      }
      Path db = stateDatabase(state);
      byte[] corrupt =
          "not a database ".repeat(500).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Files.write(db, corrupt);
      Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
      Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));

      try (WatchProcess watch = WatchProcess.start(List.of(), logdir, state)) {
        assertThat(watch.awaitExit()).isEqualTo(2);
        assertThat(watch.lines("plateau watch: state database " + db + " cannot be used: it is"))
            .singleElement()
            .asString()
            .endsWith(
                "Plateau will not run on it, so as not to re-alert everything; start with"
                    + " --rebuild-state to move it aside and rebuild the state from the event files");
      }
      assertThat(db).as("left as it was").hasBinaryContent(corrupt);

      healthy.rest();
      try (WatchProcess watch = WatchProcess.start(List.of(), logdir, state, "--rebuild-state")) {
        assertHealthyRunReadAndJudged(watch, healthy);
        assertThat(watch.lines("moving it to " + db + ".broken-")).hasSize(1);
        assertThat(watch.stop()).isZero();
      }
      try (var files = Files.list(state)) {
        Path aside =
            files
                .filter(p -> p.getFileName().toString().startsWith(db.getFileName() + ".broken-"))
                .findFirst()
                .orElseThrow();
        assertThat(aside).as("kept aside, for a post-mortem").hasBinaryContent(corrupt);
      }
    }
  }
}
