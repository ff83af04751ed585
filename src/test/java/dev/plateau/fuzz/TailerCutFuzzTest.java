package dev.plateau.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.series.ScalarPoint;
import dev.plateau.tail.LogdirTailer;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the path from an event file being written to the points the tailer reports: the file is
 * written with the project's writer ({@link WrittenEvents}), then cut at up to three fuzzed
 * offsets; a real {@link LogdirTailer} polls the file as it grows to each cut and to its end,
 * sometimes restarting from its saved cursors in between (as the daemon does after a restart).
 *
 * <p>Properties: what the tailer reports while the file grows (points and session starts, in order)
 * equals what a fresh tailer reports from the whole file in one poll; the file is never taken for
 * replaced or shrunk; no exception escapes a poll; a poll allocates in proportion to the file, not
 * to what a length field claims; and when the file holds only what the writer was asked to write,
 * the points are exactly those, value for value.
 */
class TailerCutFuzzTest {
  private static final String FILE = "events.out.tfevents.1700000000.fuzz";
  private static final FuzzRun RUN = new FuzzRun(TailerCutFuzzTest.class);
  private static Path root;

  @BeforeAll
  static void createDirectories() throws IOException {
    root = Files.createTempDirectory("plateau-fuzz-tail");
    Files.createDirectories(root.resolve("whole"));
    Files.createDirectories(root.resolve("growing"));
  }

  @AfterAll
  static void report() throws IOException {
    for (String dir : List.of("whole", "growing")) {
      Files.deleteIfExists(root.resolve(dir).resolve(FILE));
      Files.deleteIfExists(root.resolve(dir));
    }
    Files.deleteIfExists(root);
    RUN.report();
  }

  @FuzzTest
  void fileReadWhileGrowingGivesThePointsOfTheWholeFile(FuzzedDataProvider data)
      throws IOException {
    RUN.count();
    DecodeLimits limits =
        data.consumeBoolean()
            ? DecodeLimits.DEFAULTS
            : DecodeLimits.DEFAULTS.withReadBufferSize(data.consumeInt(16, 512));
    WrittenEvents written = WrittenEvents.from(data);
    byte[] bytes = written.bytes();
    int[] cuts = new int[data.consumeInt(1, 3)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = data.consumeInt(0, bytes.length);
    }
    Arrays.sort(cuts);
    boolean[] restarts = new boolean[cuts.length];
    for (int i = 0; i < cuts.length; i++) {
      restarts[i] = data.consumeBoolean();
    }

    // The whole file, read by a fresh tailer in one poll (twice: the first warms up, so that the
    // allocation measured around the second is the poll's own).
    Path wholeDir = root.resolve("whole");
    Files.write(wholeDir.resolve(FILE), bytes);
    Seen warmUp = pollOnce(new LogdirTailer(wholeDir, limits));
    long before = Allocations.current();
    LogdirTailer wholeTailer = new LogdirTailer(wholeDir, limits);
    Seen whole = pollOnce(wholeTailer);
    Allocations.assertWithin(
        Allocations.current() - before,
        (1 << 20) + 2L * limits.readBufferSize() + 64L * bytes.length,
        "one poll of a " + bytes.length + "-byte event file");
    assertThat(whole.events).isEqualTo(warmUp.events);
    assertThat(whole.resets).isEmpty();
    // A zero-filled block with records after it is skipped only once it stayed so for a few
    // polls (a writer may still fill it): both readings poll until nothing changes any more.
    settle(wholeTailer, whole);

    RUN.reached(whole.problems.isEmpty() ? "clean file" : "file with problems");
    if (written.predictable()) {
      RUN.reached("points predicted");
      List<String> expected = new ArrayList<>();
      for (WrittenEvents.Expected point : written.expected()) {
        expected.add(point.in(".", FILE).toString());
      }
      assertThat(whole.points()).containsExactlyElementsOf(expected);
      assertThat(whole.problems).noneMatch(p -> p.kind() == TailProblem.Kind.CORRUPT_RECORD);
      assertThat(whole.problems).noneMatch(p -> p.kind() == TailProblem.Kind.UNDECODABLE_EVENT);
    }

    // The same bytes, arriving in pieces.
    Path growingDir = root.resolve("growing");
    Path growing = growingDir.resolve(FILE);
    Files.write(growing, new byte[0]);
    Seen seen = new Seen();
    LogdirTailer tailer = new LogdirTailer(growingDir, limits);
    int appended = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int upTo = i < cuts.length ? cuts[i] : bytes.length;
      append(growing, bytes, appended, upTo);
      appended = upTo;
      tailer.poll(seen);
      if (i < cuts.length && restarts[i]) {
        LogdirTailer restarted = new LogdirTailer(growingDir, limits);
        restarted.restore(tailer.cursors());
        RUN.reached("restarted from cursors");
        tailer = restarted;
      }
    }
    settle(tailer, seen);
    assertThat(seen.resets).as("resets while the file only grew").isEmpty();
    assertThat(seen.events).containsExactlyElementsOf(whole.events);
  }

  private static void append(Path file, byte[] bytes, int from, int to) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.APPEND)) {
      ByteBuffer piece = ByteBuffer.wrap(bytes, from, to - from);
      while (piece.hasRemaining()) {
        channel.write(piece);
      }
    }
  }

  /** Polls until {@value #QUIET_POLLS} polls in a row report nothing new (at most 200 polls). */
  private static void settle(LogdirTailer tailer, Seen seen) throws IOException {
    int quiet = 0;
    for (int i = 0; i < 200 && quiet < QUIET_POLLS; i++) {
      int before = seen.events.size() + seen.problems.size() + seen.resets.size();
      tailer.poll(seen);
      quiet =
          seen.events.size() + seen.problems.size() + seen.resets.size() == before ? quiet + 1 : 0;
    }
    assertThat(quiet).as("polls settle").isEqualTo(QUIET_POLLS);
  }

  /** More than the polls a zero-filled block must stay before it is skipped (three). */
  private static final int QUIET_POLLS = 4;

  private static Seen pollOnce(LogdirTailer tailer) throws IOException {
    Seen seen = new Seen();
    tailer.poll(seen);
    return seen;
  }

  /** What a tailer reported: points and session starts in order, resets, problems. */
  private static final class Seen implements TailListener {
    final List<String> events = new ArrayList<>();
    final List<String> resets = new ArrayList<>();
    final List<TailProblem> problems = new ArrayList<>();

    @Override
    public void scalar(ScalarPoint point) {
      events.add(point.toString());
    }

    @Override
    public void sessionStart(String run, String file, long step) {
      events.add("start " + run + " " + file + " " + step);
    }

    @Override
    public void fileReset(String run, String file, String reason) {
      resets.add(reason);
    }

    @Override
    public void problem(TailProblem problem) {
      problems.add(problem);
    }

    List<String> points() {
      return events.stream().filter(e -> !e.startsWith("start ")).toList();
    }
  }
}
