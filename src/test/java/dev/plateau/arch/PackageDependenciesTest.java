package dev.plateau.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the package table of DEVELOPERS.md ("Data flow and packages"): each package uses only the
 * packages its row allows, data flows one way (no cycles), and nothing depends on {@code cli}.
 * ArchUnit reads the compiled classes, so a fully qualified name, a field's type or a method call
 * counts as much as an import.
 */
@AnalyzeClasses(
    packages = PackageDependenciesTest.ROOT,
    importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {
  static final String ROOT = "dev.plateau";

  /** DEVELOPERS.md's table: each package and the project packages it may use. */
  private static final Map<String, Set<String>> MAY_USE = table();

  private static Map<String, Set<String>> table() {
    Map<String, Set<String>> table = new LinkedHashMap<>();
    table.put("proto", Set.of());
    table.put("decode", Set.of("proto"));
    table.put("series", Set.of());
    table.put("match", Set.of());
    table.put("format", Set.of("series", "detect"));
    table.put("write", Set.of("proto", "decode"));
    table.put("tail", Set.of("decode", "series"));
    table.put("detect", Set.of());
    table.put("config", Set.of("detect", "match"));
    table.put("verdict", Set.of("detect", "config", "series", "match"));
    table.put("sink", Set.of("detect", "format", "match"));
    table.put("state", Set.of("detect", "tail", "sink", "verdict"));
    table.put(
        "daemon",
        Set.of(
            "config", "decode", "detect", "format", "series", "sink", "state", "tail", "verdict"));
    table.put("server", Set.of("daemon", "detect", "format", "state", "verdict"));
    table.put(
        "cli",
        Set.of(
            "proto", "decode", "series", "match", "format", "write", "tail", "detect", "config",
            "verdict", "sink", "state", "daemon", "server"));
    return table;
  }

  @ArchTest
  static final ArchRule everyPackageIsInTheTable =
      classes()
          .should()
          .resideInAnyPackage(trees(MAY_USE.keySet()))
          .because("DEVELOPERS.md's package table names every package (add a row for a new one)");

  @ArchTest
  static final ArchRule packagesUseOnlyWhatTheirRowAllows =
      CompositeArchRule.of(
          MAY_USE.keySet().stream()
              .map(PackageDependenciesTest::mayUseOnlyItsRow)
              .collect(Collectors.toList()));

  @ArchTest
  static final ArchRule dataFlowsOneWay =
      slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

  private static ArchRule mayUseOnlyItsRow(String pkg) {
    Set<String> allowed = MAY_USE.get(pkg);
    List<String> others =
        MAY_USE.keySet().stream()
            .filter(other -> !other.equals(pkg) && !allowed.contains(other))
            .collect(Collectors.toList());
    return noClasses()
        .that()
        .resideInAPackage(tree(pkg))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(trees(others))
        .because(pkg + " may use " + (allowed.isEmpty() ? "no other package" : allowed))
        .allowEmptyShould(true);
  }

  /** The package and its subpackages, as ArchUnit writes them. */
  private static String tree(String pkg) {
    return ROOT + "." + pkg + "..";
  }

  private static String[] trees(Collection<String> packages) {
    return packages.stream().map(PackageDependenciesTest::tree).toArray(String[]::new);
  }
}
