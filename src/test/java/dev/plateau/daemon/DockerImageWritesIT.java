package dev.plateau.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plateau.write.EventFileWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the image's process writes, without a Docker engine: the Dockerfile's ENTRYPOINT (with its
 * CMD and environment) and HEALTHCHECK run as UID 10001 ({@code setpriv}, as the image's {@code
 * USER}) under {@code strace}, which records every call that creates, writes, renames, removes or
 * re-permissions a file. Every such call that succeeded must be inside the two volumes (/state and
 * /logs): the image needs no writable /tmp, home or working directory. Needs root (to become
 * 10001), setpriv and strace; skipped otherwise.
 */
class DockerImageWritesIT {
  static final int UID = 10001;
  static final String TRACED =
      "openat,open,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,link,linkat,"
          + "symlink,symlinkat,truncate,chmod,fchmodat,chown,fchownat,lchown";

  /** A traced call, its directory fd's path (strace -y), and its first path argument. */
  static final Pattern CALL =
      Pattern.compile(
          "^(?:\\d+\\s+)?(\\w+)\\((?:(AT_FDCWD|-?\\d+)(?:<([^>]*)>)?, )?\"([^\"]*)\"(.*)$");

  /** The first half of a call another thread interrupted: its pid and the call up to the break. */
  static final Pattern UNFINISHED = Pattern.compile("^(\\d+)\\s+(.*?)\\s*<unfinished \\.\\.\\.>$");

  /** The second half: its pid and the rest of the call after the break. */
  static final Pattern RESUMED = Pattern.compile("^(\\d+)\\s+<\\.\\.\\. \\w+ resumed>(.*)$");

  static Optional<Path> tool(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static List<String> traced(Path trace, Path cwd, List<String> command) {
    List<String> out =
        new ArrayList<>(
            List.of(
                tool("strace").orElseThrow().toString(),
                "-f",
                "-qq",
                "-y",
                "-e",
                "trace=" + TRACED,
                "-o",
                trace.toString(),
                tool("setpriv").orElseThrow().toString(),
                "--reuid=" + UID,
                "--regid=" + UID,
                "--clear-groups"));
    out.addAll(command);
    return out;
  }

  /** Every path a successful writing call touched, resolved against its directory. */
  static List<String> written(Path trace, Path cwd) throws Exception {
    List<String> paths = new ArrayList<>();
    // With -f, a call another thread interrupts is split: "PID openat(... <unfinished ...>" and
    // later "PID <... openat resumed>) = 5". Join the halves, or such a call would go unseen.
    Map<String, String> unfinished = new HashMap<>();
    for (String raw : Files.readAllLines(trace)) {
      String line = raw;
      Matcher half = UNFINISHED.matcher(raw);
      if (half.matches()) {
        unfinished.put(half.group(1), half.group(2));
        continue;
      }
      Matcher resumed = RESUMED.matcher(raw);
      if (resumed.matches()) {
        String start = unfinished.remove(resumed.group(1));
        if (start == null) {
          continue;
        }
        line = resumed.group(1) + " " + start + resumed.group(2);
      }
      Matcher m = CALL.matcher(line);
      if (!m.matches() || m.group(5).contains("= -1 ")) {
        continue;
      }
      String call = m.group(1);
      String rest = m.group(5);
      boolean writes =
          !call.startsWith("open") || rest.matches(".*\\b(O_WRONLY|O_RDWR|O_CREAT|O_TRUNC)\\b.*");
      if (!writes) {
        continue;
      }
      String dir = m.group(3) != null ? m.group(3) : cwd.toString();
      paths.add(Path.of(dir).resolve(m.group(4)).normalize().toString());
    }
    return paths;
  }

  @Test
  void theImagesProcessesWriteOnlyIntoTheirVolumes(@TempDir Path temp) throws Exception {
    assumeTrue(
        tool("strace").isPresent() && tool("setpriv").isPresent(), "needs strace and setpriv");
    assumeTrue(Files.getAttribute(temp, "unix:uid").equals(0), "needs root to become UID 10001");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path logs = Files.createDirectories(temp.resolve("logs"));
    Path state = Files.createDirectories(temp.resolve("state"));
    Path cwd = Files.createDirectories(temp.resolve("workdir")); // root's, like the image's /
    for (Path volume : List.of(logs, state)) {
      Files.setAttribute(volume, "unix:uid", UID);
      Files.setAttribute(volume, "unix:gid", UID);
    }
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    // The jar where UID 10001 can read it, as in the image's /opt/plateau: the clone may sit in a
    // directory other users cannot enter (a 0700 home, a mktemp -d).
    Path opt = Files.createDirectories(temp.resolve("opt"));
    Path jar = Files.copy(DockerEntrypointIT.builtJar(), opt.resolve("plateau.jar"));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    // The image's scripts (launcher, probe) are copied there too, their paths mapped.
    DockerEntrypointIT.ImagePaths paths =
        new DockerEntrypointIT.ImagePaths(logs, state, port, jar, opt);
    List<String> entrypoint = DockerEntrypointIT.run(dockerfile, paths);
    List<String> healthcheck = DockerEntrypointIT.healthcheck(dockerfile, paths);
    Path trace = temp.resolve("entrypoint.trace");
    Path log = temp.resolve("entrypoint.log");
    ProcessBuilder daemon = new ProcessBuilder(traced(trace, cwd, entrypoint));
    daemon.environment().putAll(DockerEntrypointIT.env(dockerfile, paths));
    Process p =
        daemon
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    List<String> writes = new ArrayList<>();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      int health = 1;
      for (int i = 0; System.nanoTime() < deadline && health != 0; i++) {
        Path healthTrace = temp.resolve("health-" + i + ".trace");
        health =
            new ProcessBuilder(traced(healthTrace, cwd, healthcheck))
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
        writes.addAll(written(healthTrace, cwd));
        if (health != 0) {
          Thread.sleep(500);
        }
      }
      assertThat(health).as(Files.readString(log)).isZero();
      double start = System.currentTimeMillis() / 1000.0;
      Path run = logs.resolve("job/validation");
      try (EventFileWriter w = EventFileWriter.create(run, start, "c", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("epoch_loss", t, start + t * 0.01, (float) (1 + 8 * Math.exp(-t / 8.0)));
        }
      }
      // The training job's files, shared with the sidecar (as fsGroup does in Kubernetes).
      try (Stream<Path> files = Files.walk(logs)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.setAttribute(f, "unix:uid", UID);
        }
      }
      Path flag = logs.resolve("job/CONVERGED");
      while (System.nanoTime() < deadline && !Files.exists(flag)) {
        Thread.sleep(100);
      }
      assertThat(flag).as(Files.readString(log)).exists();
    } finally {
      // strace passes no signal on: stop the JVM it started, then strace ends with it.
      p.descendants()
          .filter(h -> h.info().command().orElse("").endsWith("java"))
          .forEach(ProcessHandle::destroy);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    writes.addAll(written(trace, cwd));
    assertThat(writes)
        .as("the traces recorded the database being written")
        .anyMatch(w -> w.endsWith(".db"));
    assertThat(writes)
        .as("written outside the volumes")
        .allMatch(
            w ->
                w.startsWith(state + "/")
                    || w.startsWith(logs + "/")
                    || w.equals(state.toString())
                    || w.startsWith("/proc/self/")
                    || w.matches("/proc/\\d+/.*")
                    || w.equals("/dev/null"));
  }
}
