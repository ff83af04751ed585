package dev.plateau.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the package table of DEVELOPERS.md ("Data flow and packages"), read from the file itself so
 * the table and the rule cannot drift apart: each package uses only the packages its row allows,
 * data flows one way (no cycles), and nothing depends on {@code cli}. ArchUnit reads the compiled
 * classes, so a fully qualified name, a field's type or a method call counts as much as an import.
 */
class PackageDependenciesTest {
  static final String ROOT = "dev.plateau";
  private static final Path DEVELOPERS = Path.of("DEVELOPERS.md");
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)`[^|]*\\|.*\\|([^|]*)\\|\\s*$");
  private static final Pattern NAME = Pattern.compile("`([a-z]+)`");

  private static final Map<String, Set<String>> MAY_USE = table();
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  /** The rows of DEVELOPERS.md's package table: package, then the packages it may use. */
  static Map<String, Set<String>> table() {
    List<String> lines;
    try {
      lines = Files.readAllLines(DEVELOPERS, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEVELOPERS.toAbsolutePath(), e);
    }
    Map<String, String> uses = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        uses.put(row.group(1), row.group(2).trim());
      }
    }
    Map<String, Set<String>> table = new LinkedHashMap<>();
    uses.forEach(
        (pkg, text) -> {
          Set<String> allowed = new LinkedHashSet<>();
          if (text.equals("everything")) {
            allowed.addAll(uses.keySet());
            allowed.remove(pkg);
          } else {
            Matcher name = NAME.matcher(text);
            while (name.find()) {
              allowed.add(name.group(1));
            }
          }
          table.put(pkg, Set.copyOf(allowed));
        });
    return table;
  }

  static Set<String> packages() {
    return MAY_USE.keySet();
  }

  @Test
  void theTableIsReadFromDevelopersMd() {
    assertThat(MAY_USE).containsKeys("proto", "decode", "detect", "daemon", "cli");
    assertThat(MAY_USE.get("decode")).containsExactly("proto");
    assertThat(MAY_USE.get("detect")).isEmpty();
    assertThat(MAY_USE.get("cli")).hasSize(MAY_USE.size() - 1);
    MAY_USE.values().forEach(uses -> assertThat(MAY_USE.keySet()).containsAll(uses));
  }

  @Test
  void everyPackageHasARow() {
    classes()
        .should()
        .resideInAnyPackage(trees(MAY_USE.keySet()))
        .because("DEVELOPERS.md's package table names every package (add a row for a new one)")
        .check(CLASSES);
  }

  @ParameterizedTest(name = "{0} uses only what its row allows")
  @MethodSource("packages")
  void aPackageUsesOnlyWhatItsRowAllows(String pkg) {
    Set<String> allowed = MAY_USE.get(pkg);
    List<String> others =
        MAY_USE.keySet().stream()
            .filter(other -> !other.equals(pkg) && !allowed.contains(other))
            .collect(Collectors.toList());
    if (others.isEmpty()) {
      return;
    }
    noClasses()
        .that()
        .resideInAPackage(tree(pkg))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(trees(others))
        .because(
            pkg
                + " may use "
                + (allowed.isEmpty() ? "no other package" : allowed)
                + " (DEVELOPERS.md)")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void dataFlowsOneWay() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  /** The package and its subpackages, as ArchUnit writes them. */
  private static String tree(String pkg) {
    return ROOT + "." + pkg + "..";
  }

  private static String[] trees(Collection<String> packages) {
    return packages.stream().map(PackageDependenciesTest::tree).toArray(String[]::new);
  }
}
