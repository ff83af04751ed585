package dev.plateau.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Docker image runs, for tests and benchmarks that run the daemon as the image does
 * without a Docker engine: the Dockerfile's exec-form instructions, the JVM options of its launcher
 * (the script its ENTRYPOINT runs), its volumes mapped to directories, and a JVM of the image's
 * Java version ({@link #java()}).
 */
public final class ImageJvmOptions {
  private ImageJvmOptions() {}

  /** The words of an exec-form instruction ({@code ENTRYPOINT ["java", ...]}) of the Dockerfile. */
  static List<String> words(String dockerfile, String instruction) throws IOException {
    Matcher m =
        Pattern.compile("(?m)^(?:" + instruction + ")\\s*(\\[.*\\])\\s*$").matcher(dockerfile);
    if (!m.find()) {
      throw new IOException("the Dockerfile has no exec-form " + instruction);
    }
    List<String> words = new ArrayList<>();
    for (JsonNode word : new ObjectMapper().readTree(m.group(1))) {
      words.add(word.asText());
    }
    return words;
  }

  /**
   * {@code arg} with the image's volume {@code volume} (e.g. {@code /state}) replaced by {@code
   * dir}, as an argument or as an option's value ({@code -Djava.io.tmpdir=/state}).
   */
  static String mapVolume(String arg, String volume, Path dir) {
    return arg.replaceAll(
        "(^|=)" + Pattern.quote(volume) + "(?=/|$)",
        "$1" + Matcher.quoteReplacement(dir.toString()));
  }

  /**
   * The JVM options the image's launcher starts the daemon with (between {@code java} and {@code
   * -jar}, see {@link #launcherCommand}), its {@code /state} volume (temporary files, crash logs)
   * mapped to {@code state}.
   */
  public static List<String> of(Path dockerfile, Path state) throws IOException {
    // The daemon's command: the launcher gives watch options the other commands do not get.
    List<String> words = launcherCommand(dockerfile, List.of("watch", "--version"));
    int jar = words.indexOf("-jar");
    List<String> out = new ArrayList<>();
    for (String option : jar > 1 ? words.subList(1, jar) : List.<String>of()) {
      out.add(mapVolume(option, "/state", state));
    }
    return out;
  }

  /** Where the image keeps its launcher, the script its ENTRYPOINT runs. */
  public static final String LAUNCHER = "/opt/plateau/bin/plateau";

  /**
   * The file of the build context that the Dockerfile copies to {@code imagePath} ({@code COPY SRC
   * DEST} or {@code COPY SRC... DIR/}), resolved against the Dockerfile's directory.
   *
   * @throws IOException when no COPY puts a file there
   */
  static Path source(Path dockerfile, String imagePath) throws IOException {
    Matcher m =
        Pattern.compile("(?m)^COPY\\s+(?!--from)(.+)$").matcher(Files.readString(dockerfile));
    while (m.find()) {
      String[] words = m.group(1).trim().split("\\s+");
      String dest = words[words.length - 1];
      for (int i = 0; i < words.length - 1; i++) {
        String target =
            dest.endsWith("/")
                ? dest + Path.of(words[i]).getFileName()
                : words.length == 2 ? dest : "";
        if (target.equals(imagePath)) {
          Path dir = dockerfile.toAbsolutePath().getParent();
          return dir.resolve(words[i]);
        }
      }
    }
    throw new IOException("the Dockerfile copies nothing to " + imagePath);
  }

  /**
   * The command line the image's launcher runs for {@code args} ({@code java OPTIONS... -jar JAR
   * COMMAND...}), found by running the launcher itself with {@code sh} and, first on the PATH, a
   * {@code java} that prints its arguments instead of starting.
   */
  public static List<String> launcherCommand(Path dockerfile, List<String> args)
      throws IOException {
    Path launcher = source(dockerfile, LAUNCHER);
    Path bin = Files.createTempDirectory("launcher-java");
    try {
      Path stub = bin.resolve("java");
      Files.writeString(stub, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
      Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));
      List<String> command = new ArrayList<>(List.of("/bin/sh", launcher.toString()));
      command.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment()
          .put(
              "PATH", bin + java.io.File.pathSeparator + pb.environment().getOrDefault("PATH", ""));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("the launcher " + launcher + " failed: " + out);
      }
      List<String> words = new ArrayList<>(List.of("java"));
      words.addAll(out.lines().toList());
      return words;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      try (var files = Files.list(bin)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(bin);
    }
  }

  /** {@link #of(Path, Path)} with the Dockerfile named by {@code -Dplateau.dockerfile}. */
  public static List<String> of(Path state) throws IOException {
    return of(dockerfile(), state);
  }

  /**
   * {@link #of(Path)} with the image's class-data sharing archive ({@value #ARCHIVE}) mapped to
   * {@code archive} (from {@link #writeClassArchive}); without one the JVM finds no archive there
   * and, as it does with any archive it cannot use, starts without.
   */
  public static List<String> withClassArchive(Path state, Path archive) throws IOException {
    List<String> out = new ArrayList<>();
    for (String option : of(state)) {
      out.add(archive == null ? option : option.replace(ARCHIVE, archive.toString()));
    }
    return out;
  }

  /** Where the image keeps its class-data sharing archive (its AOT cache on Java 24+). */
  public static final String ARCHIVE = "/opt/plateau/plateau.jsa";

  private static final String ARCHIVE_SCRIPT = "/opt/plateau/class-archive.sh";

  /**
   * The option that makes the ENTRYPOINT's JVM insist on its archive (refuse to start without):
   * {@code -XX:AOTMode=on} for an AOT cache (Java 24+), {@code -Xshare:on} before.
   */
  public static String archiveRequired() throws IOException {
    return javaVersion() >= 24 ? "-XX:AOTMode=on" : "-Xshare:on";
  }

  /** The Java feature version of the image's runtime stage ({@code FROM eclipse-temurin:N-jre}). */
  public static int javaVersion() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)-jre(?:@sha256:[0-9a-f]{64})?\\s*$")
            .matcher(Files.readString(dockerfile()));
    if (!m.find()) {
      throw new IOException("the Dockerfile has no runtime stage FROM eclipse-temurin:N-jre");
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * A {@code java} of the image's Java version ({@link #javaVersion()}): {@code
   * -Dplateau.image.java} if set, else this JVM if it is that version, else the first JDK under
   * {@code /usr/lib/jvm} (or {@code -Dplateau.jvm.dir}) whose {@code release} file says that
   * version; empty if there is none.
   */
  public static Optional<Path> java() throws IOException {
    String given = System.getProperty("plateau.image.java");
    if (given != null && !given.isBlank()) {
      return Optional.of(Path.of(given));
    }
    int version = javaVersion();
    if (Runtime.version().feature() == version) {
      return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
    }
    Path jvms = Path.of(System.getProperty("plateau.jvm.dir", "/usr/lib/jvm"));
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    Pattern release = Pattern.compile("(?m)^JAVA_VERSION=\"" + version + "(\\.|\")");
    try (var homes = Files.list(jvms)) {
      for (Path home : homes.sorted().toList()) {
        Path launcher = home.resolve("bin/java");
        Path file = home.resolve("release");
        if (Files.isExecutable(launcher)
            && Files.isRegularFile(file)
            && release.matcher(Files.readString(file)).find()) {
          return Optional.of(launcher);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * For tests that run what the image runs: {@link #java()}, or the test is skipped (not failed)
   * with a message naming the Java version that is missing.
   */
  public static Path javaOrSkip() throws IOException {
    Optional<Path> found = java();
    int version = javaVersion();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        found.isPresent(),
        () ->
            "no Java "
                + version
                + " (the image's runtime) here; set -Dplateau.image.java to run this test");
    return found.get();
  }

  /** {@link #java()}, or an exception that says which version is missing and how to name one. */
  public static Path requireJava() throws IOException {
    int version = javaVersion();
    return java()
        .orElseThrow(
            () ->
                new IOException(
                    "no Java "
                        + version
                        + " (the image's runtime) found: set -Dplateau.image.java=/path/to/bin/java"));
  }

  static Path dockerfile() {
    return Path.of(System.getProperty("plateau.dockerfile", "Dockerfile"));
  }

  /**
   * Runs the Dockerfile's build step that writes the class-data sharing archive ({@code RUN sh
   * /opt/plateau/class-archive.sh JAR ARCHIVE OPTIONS...}), with this build's jar, the script from
   * {@code tools/}, the image's Java ({@link #requireJava()}), and {@code archive} as where it
   * goes; returns {@code archive}.
   *
   * @throws IOException when the Dockerfile has no such step or the step fails (with its output)
   */
  public static Path writeClassArchive(Path jar, Path archive, java.time.Duration timeout)
      throws IOException, InterruptedException {
    String dockerfile = Files.readString(dockerfile()).replace("\\\n", " ");
    Matcher m =
        Pattern.compile(
                "(?m)^RUN sh " + Pattern.quote(ARCHIVE_SCRIPT) + " (\\S+) (\\S+)((?: \\S+)*)\\s*$")
            .matcher(dockerfile);
    if (!m.find()) {
      throw new IOException("the Dockerfile has no step running " + ARCHIVE_SCRIPT);
    }
    List<String> command = new ArrayList<>();
    command.add("sh");
    command.add(Path.of("tools/class-archive.sh").toAbsolutePath().toString());
    command.add(jar.toAbsolutePath().toString());
    command.add(archive.toAbsolutePath().toString());
    for (String option : m.group(3).trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Path bin = requireJava().getParent();
    pb.environment()
        .put("PATH", bin + java.io.File.pathSeparator + pb.environment().getOrDefault("PATH", ""));
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      pb.environment().put("PLATEAU_ARCHIVE_PORT", Integer.toString(free.getLocalPort()));
    }
    Path log = Files.createTempFile("class-archive", ".log");
    try {
      Process p = pb.redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            "class-archive.sh did not finish in " + timeout + ": " + Files.readString(log));
      }
      if (p.exitValue() != 0 || !Files.exists(archive)) {
        throw new IOException(
            "class-archive.sh failed (exit " + p.exitValue() + "): " + Files.readString(log));
      }
      return archive;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
