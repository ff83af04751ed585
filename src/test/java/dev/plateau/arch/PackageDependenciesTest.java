package dev.plateau.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the written rule of which package may use which (DEVELOPERS.md): data flows one way, the
 * core (decode, series, detect) does no I/O of its own choosing, and nothing depends on cli.
 */
class PackageDependenciesTest {
  private static final String ROOT = "dev.plateau.";

  /** Each package and the project packages it may import ("proto" is the generated schema). */
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("decode", Set.of("proto")),
          Map.entry("series", Set.of()),
          Map.entry("match", Set.of()),
          Map.entry("format", Set.of("series", "detect", "verdict")),
          Map.entry("write", Set.of("proto", "decode")),
          Map.entry("tail", Set.of("decode", "series")),
          Map.entry("detect", Set.of()),
          Map.entry("config", Set.of("detect", "match")),
          Map.entry("verdict", Set.of("detect", "config", "series", "match")),
          Map.entry("sink", Set.of("detect", "format", "match")),
          Map.entry("state", Set.of("detect", "series", "tail", "sink", "verdict")),
          Map.entry(
              "daemon",
              Set.of(
                  "config", "decode", "detect", "format", "series", "sink", "state", "tail",
                  "verdict")),
          Map.entry("server", Set.of("daemon", "detect", "format", "state", "verdict")),
          Map.entry(
              "cli",
              Set.of(
                  "proto", "decode", "series", "match", "format", "write", "tail", "detect",
                  "config", "verdict", "sink", "state", "daemon", "server")));

  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?dev\\.plateau\\.([a-z]+)\\.", Pattern.MULTILINE);

  @Test
  void packagesImportOnlyWhatTheLayeringAllows() throws IOException {
    Path sources = Paths.get("src/main/java/dev/plateau");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        String pkg = sources.relativize(file).getName(0).toString();
        Set<String> allowed = ALLOWED.get(pkg);
        if (allowed == null) {
          violations.add(pkg + " is not in the layering rule (" + file + ")");
          continue;
        }
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String used = m.group(1);
          if (!used.equals(pkg) && !allowed.contains(used)) {
            violations.add(file + " (" + pkg + ") imports " + ROOT + used);
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }
}
