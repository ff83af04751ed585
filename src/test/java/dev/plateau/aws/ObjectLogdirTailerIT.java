package dev.plateau.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.objectstore.ObjectLogdirTailer;
import dev.plateau.objectstore.ObjectRequestCounts;
import dev.plateau.objectstore.ObjectTailLimits;
import dev.plateau.objectstore.ObjectUrl;
import dev.plateau.series.ScalarPoint;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.LogdirTailer;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import dev.plateau.testing.S3ProxyServer;
import dev.plateau.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object-store tailer against a real S3 server (S3Proxy, a separate process, SigV4 checked),
 * through the real SDK: objects uploaded the way TensorFlow's S3 file system uploads them (the
 * whole file again at each flush) give the points the same files give read locally.
 */
class ObjectLogdirTailerIT {
  @TempDir static Path dir;
  static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(dir);
    S3Fixture.useServerCredentials();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Records points, resets and problems. */
  static final class Recorded implements TailListener {
    final List<ScalarPoint> points = new ArrayList<>();
    final List<String> resets = new ArrayList<>();
    final List<TailProblem> problems = new ArrayList<>();

    @Override
    public void scalar(ScalarPoint point) {
      points.add(point);
    }

    @Override
    public void fileReset(String run, String file, String reason) {
      resets.add(run + "/" + file + ": " + reason);
    }

    @Override
    public void problem(TailProblem problem) {
      problems.add(problem);
    }
  }

  private static ObjectLogdirTailer tailer(
      String bucket, String prefix, ObjectRequestCounts counts, int pageSize) throws IOException {
    S3ObjectStore store =
        S3Stores.open(
            bucket, S3Fixture.settings(server.endpoint()), counts, Map.of(), d -> {}, pageSize);
    return new ObjectLogdirTailer(
        store,
        new ObjectUrl(bucket, prefix),
        DecodeLimits.DEFAULTS,
        ObjectTailLimits.DEFAULTS,
        Clock.systemUTC());
  }

  @Test
  void wholeObjectUploadedAgainAtEveryFlushGivesTheSamePointsAsTheFileReadLocally()
      throws Exception {
    Path local = Files.createDirectories(dir.resolve("local"));
    SharedFixtures.copyEveryFixtureInto(local);
    Recorded expected = new Recorded();
    new LogdirTailer(local, DecodeLimits.DEFAULTS).poll(expected);
    assertThat(expected.points).hasSizeGreaterThan(1000);

    server.bucket("flushes");
    ObjectRequestCounts counts = new ObjectRequestCounts();
    S3ObjectStore writer = S3Fixture.store(server.endpoint(), "flushes", new ObjectRequestCounts());
    ObjectLogdirTailer tailer = tailer("flushes", "team/logs", counts, 1000);
    Recorded got = new Recorded();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(local)) {
      files = walk.filter(f -> f.getFileName().toString().contains("tfevents")).sorted().toList();
    }
    long total = 0;
    int flushes = 7;
    for (int flush = 1; flush <= flushes; flush++) {
      for (Path file : files) {
        byte[] all = Files.readAllBytes(file);
        // Cut anywhere, mostly inside a record, as a flush of a buffered writer does.
        int length =
            flush == flushes ? all.length : (int) ((long) all.length * flush / flushes) + 3;
        String key = "team/logs/" + local.relativize(file).toString().replace('\\', '/');
        writer.write(key, Arrays.copyOf(all, Math.min(length, all.length)));
        if (flush == flushes) {
          total += all.length;
        }
      }
      tailer.poll(got);
    }
    assertThat(got.problems).isEmpty();
    assertThat(got.resets).isEmpty();
    // Each file's points in its order (polls interleave files, one read does not), bit for bit.
    Map<String, List<ScalarPoint>> gotByFile = byFile(got.points);
    Map<String, List<ScalarPoint>> expectedByFile = byFile(expected.points);
    assertThat(gotByFile.keySet()).containsExactlyInAnyOrderElementsOf(expectedByFile.keySet());
    for (Map.Entry<String, List<ScalarPoint>> file : expectedByFile.entrySet()) {
      List<ScalarPoint> read = gotByFile.get(file.getKey());
      assertThat(read.size()).as(file.getKey()).isEqualTo(file.getValue().size());
      for (int i = 0; i < read.size(); i++) {
        ScalarPoint a = read.get(i);
        ScalarPoint b = file.getValue().get(i);
        boolean same =
            a.equals(b)
                && Double.doubleToRawLongBits(a.value()) == Double.doubleToRawLongBits(b.value())
                && Double.doubleToRawLongBits(a.wallTime())
                    == Double.doubleToRawLongBits(b.wallTime());
        if (!same) {
          throw new AssertionError(file.getKey() + " point " + i + ": " + a + " != " + b);
        }
      }
    }
    // Ranged GETs from the committed offset: well under the whole object fetched at each flush.
    assertThat(counts.bytesRead()).isLessThan(total + total / 4);
    assertThat(counts.attempts("get", "ok")).isGreaterThan(files.size());

    // A restart from the saved cursors reads on with ranged GETs, not the whole objects.
    List<FileCursor> saved = tailer.cursors();
    ObjectRequestCounts afterRestart = new ObjectRequestCounts();
    ObjectLogdirTailer restarted = tailer("flushes", "team/logs", afterRestart, 1000);
    restarted.restore(saved);
    Recorded again = new Recorded();
    restarted.poll(again);
    assertThat(again.points).isEmpty();
    assertThat(again.resets).isEmpty();
    assertThat(afterRestart.bytesRead())
        .isLessThanOrEqualTo((long) files.size() * ObjectTailLimits.DEFAULTS.windowBytes());
  }

  private static Map<String, List<ScalarPoint>> byFile(List<ScalarPoint> points) {
    Map<String, List<ScalarPoint>> out = new LinkedHashMap<>();
    for (ScalarPoint p : points) {
      out.computeIfAbsent(p.run() + "/" + p.file(), k -> new ArrayList<>()).add(p);
    }
    return out;
  }

  @Test
  void objectReplacedByAShorterOneIsReadAgainFromItsStart() throws Exception {
    server.bucket("shorter");
    S3ObjectStore writer = S3Fixture.store(server.endpoint(), "shorter", new ObjectRequestCounts());
    String key = "logs/run-a/events.out.tfevents.1.host";
    writer.write(key, S3Fixture.eventFile(1000, "loss", 50));
    ObjectLogdirTailer tailer = tailer("shorter", "logs", new ObjectRequestCounts(), 1000);
    Recorded got = new Recorded();
    tailer.poll(got);
    assertThat(got.points).hasSize(50);

    writer.write(key, S3Fixture.eventFile(2000, "loss", 10));
    tailer.poll(got);
    assertThat(got.resets).singleElement().asString().contains("shrank");
    assertThat(got.points.subList(50, got.points.size()))
        .hasSize(10)
        .allSatisfy(p -> assertThat(p.wallTime()).isGreaterThanOrEqualTo(2000));
  }

  @Test
  void objectWhoseBytesBeforeTheOffsetChangedIsReadAgainFromItsStart() throws Exception {
    server.bucket("changed");
    S3ObjectStore writer = S3Fixture.store(server.endpoint(), "changed", new ObjectRequestCounts());
    String key = "logs/run-a/events.out.tfevents.1.host";
    writer.write(key, S3Fixture.eventFile(1000, "loss", 20));
    ObjectLogdirTailer tailer = tailer("changed", "logs", new ObjectRequestCounts(), 1000);
    Recorded got = new Recorded();
    tailer.poll(got);
    assertThat(got.points).hasSize(20);

    // The run's name reused by another job: a longer object whose first bytes are others.
    writer.write(key, S3Fixture.eventFile(5000, "loss", 40));
    tailer.poll(got);
    assertThat(got.resets).singleElement().asString().contains("changed");
    assertThat(got.points.subList(20, got.points.size())).hasSize(40);
    assertThat(got.points.get(20).step()).isZero();

    // Grown with the same first bytes: read on, no reset.
    byte[] longer = S3Fixture.eventFile(5000, "loss", 60);
    writer.write(key, longer);
    tailer.poll(got);
    assertThat(got.resets).hasSize(1);
    assertThat(got.points).hasSize(20 + 40 + 20);
  }

  @Test
  void fiveThousandObjectsUnderOnePrefixAreListedPageByPage() throws Exception {
    Path bucket = server.bucket("many");
    // 5,000 objects (as files of S3Proxy's store): every 500th an event file, the others what a
    // job also keeps beside them (checkpoints), listed and passed over.
    byte[] file = S3Fixture.eventFile(1000, "loss", 1);
    Path logs = Files.createDirectories(bucket.resolve("logs"));
    for (int i = 0; i < 5000; i++) {
      String name = String.format("run-%04d", i);
      if (i % 500 == 499) {
        Files.write(
            Files.createDirectories(logs.resolve(name)).resolve("events.out.tfevents.1.host"),
            file);
      } else {
        Files.write(logs.resolve(name + ".ckpt"), new byte[] {1});
      }
    }
    ObjectRequestCounts counts = new ObjectRequestCounts();
    ObjectLogdirTailer tailer = tailer("many", "logs/", counts, 1000);
    Recorded got = new Recorded();
    tailer.poll(got);
    assertThat(got.points).hasSize(10);
    assertThat(got.points.get(9).run()).isEqualTo("run-4999");
    assertThat(counts.attempts("list", "ok")).isEqualTo(5);

    // Nothing changed: the next poll lists and GETs nothing.
    tailer.poll(got);
    assertThat(counts.attempts("list", "ok")).isEqualTo(10);
    assertThat(counts.attempts("get", "ok")).isEqualTo(10);
  }
}
