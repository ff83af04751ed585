package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.daemon.ImageJvmOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the image promises, read from the Dockerfile (no Docker engine runs here): its process is
 * UID 10001, never root; the files it is given stay root's; the only directory it owns is the
 * /state volume; nothing is left writable by everyone (the build itself checks, and fails
 * otherwise); the JVM writes its temporary files and crash logs into /state, not /tmp; the
 * ENTRYPOINT is a launcher that runs any command and adds options alone to the default command (the
 * CMD); the health check starts no JVM; the build context holds only what is copied; the base
 * images are pinned by digest; and the image is labelled.
 */
class DockerfileTest {
  static String runtimeStage;

  @BeforeAll
  static void read() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
    runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
  }

  static List<String> instructions(String keyword) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^" + keyword + "\\s+(.*)$").matcher(runtimeStage);
    while (m.find()) {
      out.add(m.group(1).strip());
    }
    return out;
  }

  static List<String> execForm(String instruction) throws Exception {
    Matcher m = Pattern.compile("(\\[.*\\])\\s*$").matcher(instruction);
    assertThat(m.find()).as(instruction).isTrue();
    List<String> out = new ArrayList<>();
    for (JsonNode part : new ObjectMapper().readTree(m.group(1))) {
      out.add(part.asText());
    }
    return out;
  }

  @Test
  void theRuntimeStageRunsAsUid10001AndNeverSwitchesBack() {
    List<String> users = instructions("USER");
    assertThat(users).as("numeric, so runAsNonRoot can check it").containsExactly("10001");
    int user = runtimeStage.indexOf("\nUSER ");
    assertThat(runtimeStage.indexOf("\nRUN ", user))
        .as("nothing runs after USER as another user")
        .isNegative();
  }

  @Test
  void copiedFilesStayRootsAndOnlyTheStateVolumeIsGivenAway() {
    for (String copy : instructions("(?:COPY|ADD)")) {
      assertThat(copy).as(copy).doesNotContain("--chown", "--chmod");
    }
    String run = String.join(" ", instructions("RUN"));
    Matcher chown = Pattern.compile("chown\\s+(?:-\\S+\\s+)*\\S+\\s+(\\S+)").matcher(run);
    List<String> owned = new ArrayList<>();
    while (chown.find()) {
      owned.add(chown.group(1));
    }
    assertThat(owned).containsExactly("/state");
    assertThat(instructions("VOLUME")).containsExactly("[\"/state\"]");
    assertThat(run).doesNotContain("chmod 777", "chmod -R 777", "a+w", "o+w");
  }

  @Test
  void theBuildRemovesAndThenRefusesAnythingWritableOutsideTheVolume() {
    String run = String.join(" ", instructions("RUN"));
    assertThat(run).contains("find / -xdev -perm -0002 ! -type l -exec chmod o-w {} +");
    assertThat(run)
        .containsPattern(
            "find / -xdev \\\\\\( -perm -0002 -o -user 10001 -o -group 10001 \\\\\\) ! -type l ! -path /state\\)\"");
    assertThat(run).containsPattern("if \\[ -n \"\\$writable\" \\]; then .*exit 1; fi");
  }

  @Test
  void theJvmWritesItsTemporaryFilesAndCrashLogsIntoTheVolume() throws Exception {
    List<String> java = ImageJvmOptions.launcherCommand(Path.of("Dockerfile"), List.of());
    assertThat(java).contains("-XX:-UsePerfData", "-Djava.io.tmpdir=/state");
    assertThat(java).anyMatch(a -> a.startsWith("-XX:ErrorFile=/state/"));
    assertThat(instructions("ENV")).contains("PLATEAU_STATE_DIR=/state");
    assertThat(execForm(instructions("CMD").get(0)))
        .as("the state directory comes from PLATEAU_STATE_DIR, which a Pod's env can change")
        .doesNotContain("--state-dir");
  }

  @Test
  void theHealthCheckStartsNoJvm() throws Exception {
    List<String> healthcheck = execForm(instructions("HEALTHCHECK").get(0));
    assertThat(healthcheck).containsExactly("/bin/bash", "/opt/plateau/bin/healthcheck");
    String probe = Files.readString(Path.of("docker/healthcheck"));
    assertThat(probe).contains("/dev/tcp/127.0.0.1/").doesNotContain("java");
    assertThat(probe)
        .as("the port given, else PLATEAU_HTTP_ADDRESS's, else 9321")
        .contains(
            "address=${PLATEAU_HTTP_ADDRESS:-9321}",
            "port=${1:-${address##*:}}",
            "path=${2:-/healthz}");
  }

  @Test
  void theEntrypointIsTheLauncherAndTheCmdItsDefaultCommand() throws Exception {
    assertThat(execForm(instructions("ENTRYPOINT").get(0)))
        .containsExactly("/bin/sh", ImageJvmOptions.LAUNCHER);
    assertThat(Files.readString(Path.of("docker/plateau")))
        .as("the JVM replaces the shell, so docker stop's SIGTERM reaches the daemon")
        .contains("exec java ");
    List<String> cmd = execForm(instructions("CMD").get(0));
    assertThat(cmd).containsExactly("watch", "/logs");
    assertThat(instructions("ENV"))
        .as("the address is a variable, so a Pod's env can change it")
        .anyMatch(env -> env.contains("PLATEAU_HTTP_ADDRESS=0.0.0.0:9321"));

    assertThat(commandOf(cmd)).as("docker run IMAGE").isEqualTo(cmd);
    List<String> withOptions = new ArrayList<>(cmd);
    withOptions.addAll(List.of("--http", "127.0.0.1:9000", "--poll-interval", "5s"));
    assertThat(commandOf(List.of("--http", "127.0.0.1:9000", "--poll-interval", "5s")))
        .as("options alone are added to the default command, which is the CMD")
        .isEqualTo(withOptions);
    assertThat(commandOf(List.of("check", "/logs", "--format", "json")))
        .containsExactly("check", "/logs", "--format", "json");
    assertThat(commandOf(List.of("--version"))).containsExactly("--version");
    assertThat(commandOf(List.of("--help"))).containsExactly("--help");
  }

  /** The plateau command line the launcher runs for {@code docker run IMAGE args...}. */
  static List<String> commandOf(List<String> args) throws Exception {
    List<String> java = ImageJvmOptions.launcherCommand(Path.of("Dockerfile"), args);
    assertThat(java.subList(java.indexOf("-jar"), java.indexOf("-jar") + 2))
        .containsExactly("-jar", "/opt/plateau/plateau.jar");
    return java.subList(java.indexOf("-jar") + 2, java.size());
  }

  @Test
  void everyFileTheBuildCopiesIsInTheBuildContextAndNothingElse() throws Exception {
    List<String> ignore = Files.readAllLines(Path.of(".dockerignore"));
    List<String> allowed = new ArrayList<>();
    for (String line : ignore) {
      if (line.startsWith("!")) {
        allowed.add(line.substring(1));
      }
    }
    assertThat(ignore).as("everything is left out but what is allowed").contains("*");
    String all = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(?!--from)(.+)$").matcher(all);
    int sources = 0;
    while (copy.find()) {
      String[] words = copy.group(1).trim().split("\\s+");
      for (String source : List.of(words).subList(0, words.length - 1)) {
        String path = source.replaceAll("/$", "");
        assertThat(allowed)
            .as(source + " is in the build context")
            .anyMatch(a -> path.equals(a) || path.startsWith(a + "/"));
        assertThat(Path.of(path)).exists();
        sources++;
      }
    }
    assertThat(sources).isGreaterThan(5);
    assertThat(allowed).noneMatch(a -> a.startsWith("target") || a.startsWith(".git"));
  }

  @Test
  void theBuildStageResolvesDependenciesInALayerBeforeTheSources() throws Exception {
    String all = Files.readString(Path.of("Dockerfile"));
    String build = all.substring(0, all.lastIndexOf("\nFROM "));
    int offline = build.indexOf("dependency:go-offline");
    assertThat(offline).isPositive();
    assertThat(build.indexOf("COPY pom.xml")).isLessThan(offline);
    assertThat(build.indexOf("COPY mvnw pom.xml")).isLessThan(offline);
    for (String sources : List.of("COPY proto", "COPY config", "COPY src/main")) {
      assertThat(build.indexOf(sources)).as(sources).isGreaterThan(offline);
    }
  }

  @Test
  void baseImagesArePinnedByDigestAndNamedInTheLabels() throws Exception {
    String all = Files.readString(Path.of("Dockerfile"));
    Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(all);
    List<String> images = new ArrayList<>();
    while (from.find()) {
      images.add(from.group(1));
    }
    assertThat(images).hasSize(2);
    assertThat(images).allMatch(i -> i.matches("eclipse-temurin:17-j(dk|re)@sha256:[0-9a-f]{64}"));
    String runtime = images.get(1);
    Map<String, String> labels = labels();
    assertThat(labels.get("org.opencontainers.image.base.digest"))
        .isEqualTo(runtime.substring(runtime.indexOf('@') + 1));
    assertThat(labels.get("org.opencontainers.image.base.name"))
        .endsWith(runtime.substring(0, runtime.indexOf('@')));
  }

  @Test
  void theImageCarriesOciLabelsWithThePomsVersion() throws Exception {
    Map<String, String> labels = labels();
    assertThat(labels)
        .containsKeys(
            "org.opencontainers.image.title",
            "org.opencontainers.image.description",
            "org.opencontainers.image.version",
            "org.opencontainers.image.revision",
            "org.opencontainers.image.created");
    assertThat(labels.get("org.opencontainers.image.version")).isEqualTo("${VERSION}");
    Matcher version = Pattern.compile("(?m)^ARG VERSION=(\\S+)$").matcher(runtimeStage);
    assertThat(version.find()).isTrue();
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher pomVersion =
        Pattern.compile("<artifactId>plateau</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(pomVersion.find()).isTrue();
    assertThat(version.group(1)).isEqualTo(pomVersion.group(1));
  }

  /** The runtime stage's LABEL keys and values (quotes removed). */
  static Map<String, String> labels() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String label : instructions("LABEL")) {
      Matcher pair = Pattern.compile("(\\S+?)=\"([^\"]*)\"").matcher(label);
      while (pair.find()) {
        out.put(pair.group(1), pair.group(2));
      }
    }
    return out;
  }
}
