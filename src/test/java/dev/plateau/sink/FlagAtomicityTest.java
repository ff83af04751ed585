package dev.plateau.sink;

import static dev.plateau.sink.FlagSinkTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FlagAtomicityTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int WRITES = 500;
  private static final int MAX_PAD = 200_000;

  /** The reader's bound: it stops when the writer is done, or after this long at the latest. */
  private static final long READER_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);

  @TempDir Path logdir;

  @Test
  @Timeout(120)
  void pollingReaderNeverSeesAPartialOrEmptyFlagWhileItIsRewritten() throws Exception {
    Files.createDirectories(logdir.resolve("exp"));
    Path flag = logdir.resolve("exp/CONVERGED");
    Random random = new Random(20240601);
    List<JsonNode> written = new ArrayList<>();
    for (int i = 0; i < WRITES; i++) {
      // From a few bytes to 200 KB, up and down, so a reader of a torn file would see it.
      int pad = random.nextInt(5) == 0 ? 0 : random.nextInt(MAX_PAD);
      written.add(MAPPER.createObjectNode().put("i", i).put("pad", "x".repeat(pad)));
    }
    FlagSink sink = new FlagSink(logdir, FlagConfig.defaults());
    AtomicBoolean firstWritten = new AtomicBoolean();
    AtomicBoolean writerDone = new AtomicBoolean();
    CountDownLatch readerStarted = new CountDownLatch(1);
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    Set<Integer> seen = Collections.synchronizedSet(new HashSet<>());
    int[] reads = new int[1];

    Thread reader =
        new Thread(
            () -> {
              readerStarted.countDown();
              long deadline = System.nanoTime() + READER_BOUND_NANOS;
              while (!writerDone.get() && System.nanoTime() < deadline) {
                boolean mustExist = firstWritten.get();
                byte[] bytes;
                try {
                  bytes = Files.readAllBytes(flag);
                } catch (NoSuchFileException e) {
                  if (mustExist) {
                    problems.add("the flag was missing after it had been written");
                  }
                  continue;
                } catch (IOException e) {
                  problems.add("read failed: " + e);
                  continue;
                }
                reads[0]++;
                String text = new String(bytes, StandardCharsets.UTF_8);
                try {
                  JsonNode node = MAPPER.readTree(text);
                  int i = node.path("i").asInt(-1);
                  if (!text.endsWith("}\n") || i < 0 || !node.equals(written.get(i))) {
                    problems.add("read " + bytes.length + " bytes that are no written content");
                  } else {
                    seen.add(i);
                  }
                } catch (IOException e) {
                  problems.add("read " + bytes.length + " bytes that do not parse: " + e);
                }
              }
            },
            "flag-reader");
    reader.start();
    readerStarted.await();

    for (int i = 0; i < WRITES; i++) {
      FlagOutcome outcome = sink.apply("exp", Status.CONVERGED, (ObjectNode) written.get(i));
      assertThat(outcome).isEqualTo(new FlagOutcome.Written(flag));
      firstWritten.set(true);
    }
    writerDone.set(true);
    reader.join();

    assertThat(problems).isEmpty();
    assertThat(reads[0]).isPositive();
    // The reader ran alongside the writer, not only before or after it.
    assertThat(seen.size()).isGreaterThan(1);
    assertThat(MAPPER.readTree(flag.toFile())).isEqualTo(written.get(WRITES - 1));
    assertThat(tree(logdir)).containsExactly("exp", "exp/CONVERGED");
  }
}
