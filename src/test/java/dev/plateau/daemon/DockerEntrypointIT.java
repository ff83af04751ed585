package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.write.EventFileWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs here, so this runs what the image runs: the Dockerfile's ENTRYPOINT and
 * HEALTHCHECK commands, read from the Dockerfile itself, with the image's paths (/opt/plateau,
 * /logs, /state) and port mapped to this build's jar, temporary directories and a free port.
 */
class DockerEntrypointIT {
  static List<String> command(String dockerfile, String instruction, Path logs, Path state, int port)
      throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String jar = Paths.get(System.getProperty("plateau.jar", "target/plateau.jar")).toAbsolutePath().toString();
    List<String> out = new ArrayList<>();
    for (String s : ImageJvmOptions.words(dockerfile, instruction)) {
      if (s.equals("java")) {
        s = java;
      }
      s = s.replace("/opt/plateau/plateau.jar", jar)
          .replace("9321", Integer.toString(port));
      // The volumes, as an argument or as the value of an option (-Djava.io.tmpdir=/state).
      s = ImageJvmOptions.mapVolume(ImageJvmOptions.mapVolume(s, "/logs", logs), "/state", state);
      out.add(s);
    }
    return out;
  }

  @Test
  void imageEntrypointWatchesTheLogsVolumeAndPassesItsHealthCheck(@TempDir Path temp) throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(dockerfile).containsPattern("(?m)^USER 10001$").contains("FROM eclipse-temurin:17-jre");
    Path logs = Files.createDirectories(temp.resolve("logs"));
    Path state = Files.createDirectories(temp.resolve("state"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> entrypoint = command(dockerfile, "ENTRYPOINT", logs, state, port);
    List<String> healthcheck = command(dockerfile, "HEALTHCHECK .*CMD|  CMD", logs, state, port);
    Path log = temp.resolve("entrypoint.log");
    Process p = new ProcessBuilder(entrypoint).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int health = 1;
      while (System.nanoTime() < deadline && health != 0) {
        health = new ProcessBuilder(healthcheck).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        if (health != 0) {
          Thread.sleep(200);
        }
      }
      assertThat(health).as(Files.readString(log)).isZero();
      double start = System.currentTimeMillis() / 1000.0;
      try (EventFileWriter w = EventFileWriter.create(logs.resolve("job/validation"), start, "c", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("epoch_loss", t, start + t * 0.01, (float) (1 + 8 * Math.exp(-t / 8.0)));
        }
      }
      Path flag = logs.resolve("job/CONVERGED");
      while (System.nanoTime() < deadline && !Files.exists(flag)) {
        Thread.sleep(50);
      }
      assertThat(flag).as(Files.readString(log)).exists();
      try (var files = Files.list(state)) {
        assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.endsWith(".db"));
      }
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).isZero();
  }
}
