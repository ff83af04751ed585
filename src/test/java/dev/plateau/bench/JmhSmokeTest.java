package dev.plateau.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every decode benchmark once, very briefly, in this JVM, on a small file, so that the build
 * proves they run and measure something. Benchmarks are not unit tests: the figures come from full
 * runs ({@code org.openjdk.jmh.Main DecodeBenchmark}).
 */
class JmhSmokeTest {

  @Test
  void everyDecodeBenchmarkRunsAndCountsWhatItRead() throws Exception {
    Path output = Files.createDirectories(Path.of("target", "jmh"));
    Options options =
        new OptionsBuilder()
            .include(DecodeBenchmark.class.getName() + "\\.")
            .param("megabytes", "1")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .timeUnit(TimeUnit.SECONDS)
            .shouldFailOnError(true)
            .output(output.resolve("smoke.txt").toString())
            .build();
    Collection<RunResult> results = new Runner(options).run();

    Map<String, RunResult> byName = new TreeMap<>();
    for (RunResult r : results) {
      byName.put(
          r.getParams().getBenchmark().replaceAll(".*\\.", "")
              + " "
              + r.getParams().getParam("kind"),
          r);
    }
    assertThat(byName.keySet())
        .containsExactlyInAnyOrder(
            "fastPath SIMPLE_VALUE", "fastPath TENSOR",
            "framing SIMPLE_VALUE", "framing TENSOR",
            "generatedPath SIMPLE_VALUE", "generatedPath TENSOR",
            "limit SIMPLE_VALUE", "limit TENSOR",
            "tailer SIMPLE_VALUE", "tailer TENSOR");
    for (Map.Entry<String, RunResult> entry : byName.entrySet()) {
      RunResult r = entry.getValue();
      assertThat(r.getPrimaryResult().getScore()).as(entry.getKey()).isPositive();
      var counters = r.getSecondaryResults(); // JMH's API has the raw type Map<String, Result>
      assertThat(counters.get("bytes").getScore()).as(entry.getKey() + " bytes/s").isPositive();
      if (!entry.getKey().startsWith("limit") && !entry.getKey().startsWith("framing")) {
        assertThat(counters.get("points").getScore()).as(entry.getKey() + " points/s").isPositive();
      }
    }
  }
}
