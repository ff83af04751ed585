package dev.plateau.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README, the contributor pages and the Markdown under {@code docs/}, {@code tools/} and {@code
 * examples/} link to files that exist and to headings those files have, so moving a section cannot
 * leave a reader at a dead link.
 */
class DocsLinksTest {
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  /** The Markdown pages a reader of the repository follows links between. */
  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    for (String top : List.of("README.md", "DEVELOPERS.md", "CONTRIBUTING.md")) {
      if (Files.isRegularFile(Path.of(top))) {
        pages.add(Path.of(top));
      }
    }
    for (String tree : List.of("docs", "tools", "examples")) {
      try (Stream<Path> files = Files.walk(Path.of(tree))) {
        files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
      }
    }
    return pages;
  }

  @Test
  void everyRelativeLinkReachesAFileAndEveryAnchorAHeading() throws IOException {
    List<Path> pages = pages();
    assertThat(pages).contains(Path.of("README.md"), Path.of("docs/watch.md"));
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      for (String target : links(Files.readString(page))) {
        String problem = problem(page, target);
        if (problem != null) {
          broken.add(page + ": (" + target + ") " + problem);
        }
      }
    }
    assertThat(broken).as("broken links in the Markdown pages").isEmpty();
  }

  @Test
  void readmeKeepsTheTestCommandTheCiScriptRuns() throws IOException {
    assertThat(Files.readString(Path.of(".ci/run"))).contains("./mvnw -B verify");
    assertThat(Files.readString(Path.of("README.md"))).contains("./mvnw -B verify");
  }

  @Test
  void readmeStaysShortEnoughToReadInTenMinutes() throws IOException {
    assertThat(Files.readAllLines(Path.of("README.md")))
        .as("README.md lines: the depth belongs under docs/")
        .hasSizeLessThan(150);
  }

  @Test
  void anchorsAreMadeFromHeadingsAsGitHubMakesThem() {
    assertThat(anchors("# `plateau watch`\n## The verdict JSON (flag files, webhooks)\n## Cores\n"))
        .containsExactlyInAnyOrder(
            "plateau-watch", "the-verdict-json-flag-files-webhooks", "cores");
    assertThat(anchors("## Restarts: the series Plateau keeps\n```\n# not a heading\n```\n"))
        .containsExactly("restarts-the-series-plateau-keeps");
    assertThat(anchors("## Notes\n## Notes\n")).containsExactlyInAnyOrder("notes", "notes-1");
    assertThat(links("see [`a.md`](a.md#x) and `[b](c)` and [the\nweb](https://example.com)"))
        .containsExactly("a.md#x", "https://example.com");
  }

  /** What is wrong with a link from {@code page} to {@code target}, or null if nothing is. */
  private static String problem(Path page, String target) throws IOException {
    if (SCHEME.matcher(target).find()) {
      return null;
    }
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path dir = page.toAbsolutePath().getParent();
    Path resolved = file.isEmpty() ? page.toAbsolutePath() : dir.resolve(file).normalize();
    if (!Files.exists(resolved)) {
      return "no such file";
    }
    if (anchor == null) {
      return null;
    }
    if (!resolved.toString().endsWith(".md")) {
      return "an anchor into a file that is not Markdown";
    }
    return anchors(Files.readString(resolved)).contains(anchor) ? null : "no such heading";
  }

  /**
   * The link targets of a Markdown text, outside code blocks and code spans; a link's text may run
   * over lines, as a wrapped paragraph breaks it.
   */
  static List<String> links(String markdown) {
    List<String> targets = new ArrayList<>();
    String text = String.join("\n", outsideFences(markdown));
    Matcher m = LINK.matcher(CODE_SPAN.matcher(text).replaceAll(""));
    while (m.find()) {
      targets.add(m.group(1));
    }
    return targets;
  }

  /** The anchors GitHub gives a Markdown text's headings (a repeated one gets -1, -2 ...). */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : outsideFences(markdown)) {
      Matcher m = HEADING.matcher(line);
      if (m.matches()) {
        String slug =
            m.group(1)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                .replace(' ', '-');
        int count = seen.merge(slug, 1, Integer::sum);
        anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
      }
    }
    return anchors;
  }

  private static List<String> outsideFences(String markdown) {
    List<String> lines = new ArrayList<>();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced) {
        lines.add(line);
      }
    }
    return lines;
  }
}
