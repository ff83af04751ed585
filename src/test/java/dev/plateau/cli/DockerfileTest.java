package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the image promises, read from the Dockerfile (no Docker engine runs here): its process is
 * UID 10001, never root; the files it is given stay root's; the only directory it owns is the
 * /state volume; nothing is left writable by everyone (the build itself checks, and fails
 * otherwise); and the JVM writes its temporary files and crash logs into /state, not /tmp.
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
    List<String> entrypoint = execForm(instructions("ENTRYPOINT").get(0));
    assertThat(entrypoint).contains("-XX:-UsePerfData", "-Djava.io.tmpdir=/state");
    assertThat(entrypoint).anyMatch(a -> a.startsWith("-XX:ErrorFile=/state/"));
    assertThat(entrypoint.subList(entrypoint.indexOf("watch"), entrypoint.size()))
        .containsSequence("--state-dir", "/state");
    List<String> healthcheck = execForm(instructions("HEALTHCHECK").get(0));
    assertThat(healthcheck).contains("-XX:-UsePerfData", "health");
    assertThat(healthcheck).last().asString().endsWith("/healthz");
  }
}
