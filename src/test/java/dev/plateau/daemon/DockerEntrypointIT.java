package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs here, so this runs what the image runs: the Dockerfile's ENTRYPOINT (the
 * launcher script, run by {@code sh}) followed by its CMD or by other arguments, as {@code docker
 * run IMAGE ARGS...} would, and its HEALTHCHECK (the probe script, run by {@code bash}), read from
 * the Dockerfile itself, with the image's paths (/opt/plateau, /logs, /state) and port mapped to
 * this build's jar, temporary directories and a free port, and {@code java} a JVM of the image's
 * Java version (skipped where there is none).
 */
class DockerEntrypointIT {
  /**
   * Where the image's paths are on this machine: its volumes, its port, its jar, and a directory
   * for copies of its scripts (readable by other users, as in the image).
   */
  record ImagePaths(Path logs, Path state, int port, Path jar, Path scripts) {
    /** A word of an exec-form instruction, mapped. */
    String word(String s) throws IOException {
      if (s.startsWith("/opt/plateau/bin/")) {
        return script(s).toString();
      }
      s = s.replace("/opt/plateau/plateau.jar", jar.toString());
      s = s.replace("9321", Integer.toString(port));
      // The volumes, as an argument or as the value of an option (-Djava.io.tmpdir=/state).
      return ImageJvmOptions.mapVolume(
          ImageJvmOptions.mapVolume(s, "/logs", logs), "/state", state);
    }

    /**
     * A copy of the script the Dockerfile puts at {@code imagePath}, with the image's paths, port
     * and {@code java} mapped in its text.
     */
    Path script(String imagePath) throws IOException {
      Path dockerfile = Path.of("Dockerfile");
      String text = Files.readString(ImageJvmOptions.source(dockerfile, imagePath));
      text =
          text.replace("/opt/plateau/plateau.jar", jar.toString())
              .replace("9321", Integer.toString(port))
              .replace("exec java ", "exec " + ImageJvmOptions.javaOrSkip() + " ")
              .replaceAll("(?<=[\\s=])/logs(?=[\\s/]|$)", Matcher.quoteReplacement(logs.toString()))
              .replaceAll(
                  "(?<=[\\s=])/state(?=[\\s/]|$)", Matcher.quoteReplacement(state.toString()));
      Path copy = scripts.resolve(Path.of(imagePath).getFileName());
      Files.writeString(copy, text);
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
      return copy;
    }
  }

  /**
   * What {@code docker run IMAGE ARGS...} runs: the ENTRYPOINT followed by {@code args}, or by the
   * CMD when there are none.
   */
  static List<String> run(String dockerfile, ImagePaths paths, String... args) throws IOException {
    List<String> words = new ArrayList<>(ImageJvmOptions.words(dockerfile, "ENTRYPOINT"));
    words.addAll(args.length == 0 ? ImageJvmOptions.words(dockerfile, "CMD") : List.of(args));
    return mapped(words, paths);
  }

  /** The HEALTHCHECK's command. */
  static List<String> healthcheck(String dockerfile, ImagePaths paths) throws IOException {
    return mapped(ImageJvmOptions.words(dockerfile, "HEALTHCHECK .*CMD|  CMD"), paths);
  }

  static List<String> mapped(List<String> words, ImagePaths paths) throws IOException {
    List<String> out = new ArrayList<>();
    for (String word : words) {
      out.add(paths.word(word));
    }
    return out;
  }

  /** The jar this build made ({@code -Dplateau.jar}, else target/plateau.jar). */
  static Path builtJar() {
    return Paths.get(System.getProperty("plateau.jar", "target/plateau.jar")).toAbsolutePath();
  }

  static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  static ImagePaths paths(Path temp, int port) throws IOException {
    return new ImagePaths(
        Files.createDirectories(temp.resolve("logs")),
        Files.createDirectories(temp.resolve("state")),
        port,
        builtJar(),
        Files.createDirectories(temp.resolve("bin")));
  }

  static int exitOf(List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(command.toString()).isTrue();
    return p.exitValue();
  }

  /** The runtime stage's {@code ENV NAME=VALUE ...} variables, their values mapped. */
  static Map<String, String> env(String dockerfile, ImagePaths paths) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    Matcher line = Pattern.compile("(?m)^ENV\\s+(.+)$").matcher(runtime);
    while (line.find()) {
      for (String pair : line.group(1).trim().split("\\s+")) {
        int eq = pair.indexOf('=');
        out.put(pair.substring(0, eq), paths.word(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  /** Starts what {@code docker run IMAGE ARGS...} runs, with the image's environment. */
  static Process start(String dockerfile, ImagePaths paths, Path log, String... args)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(run(dockerfile, paths, args));
    pb.environment().putAll(env(dockerfile, paths));
    return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static void awaitHealthy(List<String> healthcheck, Process daemon, Path log) {
    Awaitility.await("the image's health check passes")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .failFast("the daemon exited: " + log, () -> !daemon.isAlive())
        .until(() -> exitOf(healthcheck) == 0);
  }

  static void stop(Process p) throws InterruptedException {
    p.destroy();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void imageEntrypointWatchesTheLogsVolumeAndPassesItsHealthCheck(@TempDir Path temp)
      throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(dockerfile)
        .containsPattern("(?m)^USER 10001$")
        .contains("FROM eclipse-temurin:17-jre");
    ImagePaths paths = paths(temp, freePort());
    List<String> healthcheck = healthcheck(dockerfile, paths);
    assertThat(healthcheck.get(0))
        .as("the probe is a bash script: no JVM per probe")
        .isEqualTo("/bin/bash");
    Path log = temp.resolve("entrypoint.log");
    Process p = start(dockerfile, paths, log);
    try {
      awaitHealthy(healthcheck, p, log);
      double start = System.currentTimeMillis() / 1000.0;
      try (EventFileWriter w =
          EventFileWriter.create(paths.logs().resolve("job/validation"), start, "c", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("epoch_loss", t, start + t * 0.01, (float) (1 + 8 * Math.exp(-t / 8.0)));
        }
      }
      Path flag = paths.logs().resolve("job/CONVERGED");
      Awaitility.await("the flag of the converged job")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> Files.exists(flag));
      assertThat(Files.readString(log))
          .as("no warning for SQLite's native library: the jar's manifest enables native access")
          .doesNotContain("restricted method");
      try (var files = Files.list(paths.state())) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("the state is kept in the /state volume (the image's PLATEAU_STATE_DIR)")
            .anyMatch(n -> n.endsWith(".db"));
      }
    } finally {
      stop(p);
    }
    assertThat(p.exitValue()).isZero();
    assertThat(exitOf(healthcheck)).as("the probe of a daemon that is gone").isNotZero();
  }

  @Test
  void optionsGivenToTheImageOverrideTheDefaultCommandsOptions(@TempDir Path temp)
      throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    ImagePaths paths = paths(temp, freePort());
    int other = freePort();
    Path log = temp.resolve("entrypoint.log");
    Process p =
        start(dockerfile, paths, log, "--http", "127.0.0.1:" + other, "--poll-interval", "500ms");
    try {
      List<String> probeOther = new ArrayList<>(healthcheck(dockerfile, paths));
      probeOther.add(Integer.toString(other));
      awaitHealthy(probeOther, p, log);
      assertThat(exitOf(healthcheck(dockerfile, paths)))
          .as("nothing listens on the default command's port")
          .isNotZero();
      try (var files = Files.list(paths.state())) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("still the default command: watch /logs, its state in /state")
            .anyMatch(n -> n.endsWith(".db"));
      }
      assertThat(Files.readString(log)).doesNotContain("should be specified only once");
    } finally {
      stop(p);
    }
  }

  @Test
  void aCommandGivenToTheImageRunsInsteadOfTheDefaultOne(@TempDir Path temp) throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    ImagePaths paths = paths(temp, freePort());
    double start = 1.7e9;
    try (EventFileWriter w =
        EventFileWriter.create(paths.logs().resolve("job/validation"), start, "c", 0)) {
      for (int t = 0; t < 120; t++) {
        w.simpleValue("epoch_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
      }
    }
    Path out = temp.resolve("check.json");
    Process check = start(dockerfile, paths, out, "check", "/logs", "--format", "json");
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    JsonNode json = new ObjectMapper().readTree(Files.readString(out));
    assertThat(json.get("runs").get(0).get("status").asText()).isEqualTo("converged");
    assertThat(check.exitValue()).isZero();

    Path version = temp.resolve("version.txt");
    Process v = start(dockerfile, paths, version, "--version");
    assertThat(v.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(v.exitValue()).as(Files.readString(version)).isZero();
    assertThat(Files.readString(version)).containsPattern("\\d+\\.\\d+");
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
    Path jar = builtJar();
    Path archive =
        ImageJvmOptions.writeClassArchive(
            jar, temp.resolve("plateau.jsa"), java.time.Duration.ofMinutes(3));
    assertThat(Files.size(archive)).isGreaterThan(1_000_000);
    try (var left = Files.list(temp)) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .as("nothing but the archive is left")
          .containsExactly("plateau.jsa");
    }

    List<String> jvm = new ArrayList<>(List.of(ImageJvmOptions.javaOrSkip().toString()));
    for (String option : ImageJvmOptions.of(Path.of("Dockerfile"), temp)) {
      jvm.add(option.replace(ImageJvmOptions.ARCHIVE, archive.toString()));
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
