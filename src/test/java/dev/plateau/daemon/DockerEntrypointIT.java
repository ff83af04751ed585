package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.write.EventFileWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs here, so this runs what the image runs: the Dockerfile's ENTRYPOINT and
 * HEALTHCHECK commands, read from the Dockerfile itself, with the image's paths (/opt/plateau,
 * /logs, /state) and port mapped to this build's jar, temporary directories and a free port, and
 * {@code java} a JVM of the image's Java version (skipped where there is none).
 */
class DockerEntrypointIT {
  static List<String> command(
      String dockerfile, String instruction, Path logs, Path state, int port) throws Exception {
    return command(dockerfile, instruction, logs, state, port, builtJar());
  }

  /** The jar this build made ({@code -Dplateau.jar}, else target/plateau.jar). */
  static Path builtJar() {
    return Paths.get(System.getProperty("plateau.jar", "target/plateau.jar")).toAbsolutePath();
  }

  /** The instruction's command, with {@code jar} for the image's jar. */
  static List<String> command(
      String dockerfile, String instruction, Path logs, Path state, int port, Path jarPath)
      throws Exception {
    String java = ImageJvmOptions.javaOrSkip().toString();
    String jar = jarPath.toAbsolutePath().toString();
    List<String> out = new ArrayList<>();
    for (String s : ImageJvmOptions.words(dockerfile, instruction)) {
      if (s.equals("java")) {
        s = java;
      }
      s = s.replace("/opt/plateau/plateau.jar", jar).replace("9321", Integer.toString(port));
      // The volumes, as an argument or as the value of an option (-Djava.io.tmpdir=/state).
      s = ImageJvmOptions.mapVolume(ImageJvmOptions.mapVolume(s, "/logs", logs), "/state", state);
      out.add(s);
    }
    return out;
  }

  @Test
  void imageEntrypointWatchesTheLogsVolumeAndPassesItsHealthCheck(@TempDir Path temp)
      throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(dockerfile)
        .containsPattern("(?m)^USER 10001$")
        .contains("FROM eclipse-temurin:17-jre");
    Path logs = Files.createDirectories(temp.resolve("logs"));
    Path state = Files.createDirectories(temp.resolve("state"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> entrypoint = command(dockerfile, "ENTRYPOINT", logs, state, port);
    List<String> healthcheck = command(dockerfile, "HEALTHCHECK .*CMD|  CMD", logs, state, port);
    Path log = temp.resolve("entrypoint.log");
    Process p =
        new ProcessBuilder(entrypoint)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Awaitility.await("the image's health check passes")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  new ProcessBuilder(healthcheck)
                          .redirectErrorStream(true)
                          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                          .start()
                          .waitFor()
                      == 0);
      double start = System.currentTimeMillis() / 1000.0;
      try (EventFileWriter w =
          EventFileWriter.create(logs.resolve("job/validation"), start, "c", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("epoch_loss", t, start + t * 0.01, (float) (1 + 8 * Math.exp(-t / 8.0)));
        }
      }
      Path flag = logs.resolve("job/CONVERGED");
      Awaitility.await("the flag of the converged job")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> Files.exists(flag));
      assertThat(Files.readString(log))
          .as("no warning for SQLite's native library: the jar's manifest enables native access")
          .doesNotContain("restricted method");
      try (var files = Files.list(state)) {
        assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.endsWith(".db"));
      }
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).isZero();
  }

  /**
   * The image's build step writes a class-data sharing archive (an AOT cache on Java 24+) by
   * running the daemon, and the ENTRYPOINT's JVM maps Plateau's own classes from it: with {@code
   * -Xshare:on} ({@code -XX:AOTMode=on}) a JVM that cannot use the archive refuses to start, and
   * class loading names the archive as the source.
   */
  @Test
  void theBuildStepWritesAClassArchiveThatTheEntrypointsJvmUses(@TempDir Path temp)
      throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    Path jar = Paths.get(System.getProperty("plateau.jar", "target/plateau.jar")).toAbsolutePath();
    Path archive =
        ImageJvmOptions.writeClassArchive(
            jar, temp.resolve("plateau.jsa"), java.time.Duration.ofMinutes(3));
    assertThat(Files.size(archive)).isGreaterThan(1_000_000);
    try (var left = Files.list(temp)) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .as("nothing but the archive is left")
          .containsExactly("plateau.jsa");
    }

    List<String> entrypoint = command(dockerfile, "ENTRYPOINT", temp, temp, 1);
    List<String> jvm = new ArrayList<>();
    for (String word : entrypoint.subList(0, entrypoint.indexOf("-jar"))) {
      jvm.add(word.replace(ImageJvmOptions.ARCHIVE, archive.toString()));
    }
    assertThat(jvm)
        .anyMatch(
            o ->
                o.equals("-XX:SharedArchiveFile=" + archive)
                    || o.equals("-XX:AOTCache=" + archive));
    String required = ImageJvmOptions.archiveRequired();
    List<String> version = new ArrayList<>(jvm);
    version.addAll(List.of(required, "-Xlog:class+load=info", "-jar", jar.toString(), "--version"));
    Path log = temp.resolve("version.log");
    Process p =
        new ProcessBuilder(version).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("dev\\.plateau\\.cli\\.Main source: shared objects file");

    // The same JVM refuses an archive written for another jar: the check above can fail.
    Path other = temp.resolve("other.jar");
    Files.copy(jar, other);
    Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(0));
    List<String> mismatch = new ArrayList<>(jvm);
    mismatch.addAll(List.of(required, "-jar", other.toString(), "--version"));
    Process q =
        new ProcessBuilder(mismatch)
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("other.log").toFile())
            .start();
    assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(q.exitValue()).as(Files.readString(temp.resolve("other.log"))).isNotZero();
  }
}
