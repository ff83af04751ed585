package dev.plateau.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link DetectorBenchmark} through JMH's runner for a moment, every case on short series, so
 * the build proves the benchmark compiles, is registered with JMH and runs. The figures of so short
 * a run mean nothing.
 */
class DetectorBenchmarkSmokeTest {

  @Test
  void everyDetectorCaseRunsUnderJmhAndReportsATimePerPoint() throws Exception {
    Path output = Files.createDirectories(Path.of("target", "jmh"));
    Options options =
        new OptionsBuilder()
            .include(DetectorBenchmark.class.getName() + ".point$")
            .param("points", "1000")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .timeUnit(TimeUnit.NANOSECONDS)
            .shouldFailOnError(true)
            .output(output.resolve("detector-smoke.txt").toString())
            .build();
    Collection<RunResult> results = new Runner(options).run();
    assertThat(results).hasSize(8);
    for (RunResult result : results) {
      assertThat(result.getPrimaryResult().getScore())
          .as(result.getParams().getParam("detector"))
          .isPositive()
          .isFinite();
    }
  }
}
