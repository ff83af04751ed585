package dev.plateau.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The project's shared test data beside the checkout ({@code ../shared}: real TensorBoard event
 * files under {@code fixtures/}, learning curves under {@code curves/}), found in one place. The
 * build names the folder in the system property {@value #PROPERTY}; without it, {@code ../shared}
 * from the working directory.
 *
 * <p>Under CI (the environment variable {@code CI} set, as {@code .ci/run} sets it) a missing
 * folder fails the test that needs it, naming the path looked for: a CI run must not pass by
 * skipping. Elsewhere the test is skipped, as a developer may not have the shared data.
 */
public final class SharedFixtures {
  /** The system property naming the shared folder. */
  public static final String PROPERTY = "plateau.shared";

  private SharedFixtures() {}

  /** The shared folder as configured, whether or not it exists. */
  public static Path root() {
    return Path.of(System.getProperty(PROPERTY, "../shared"));
  }

  /**
   * {@code relative} inside the shared folder; under CI a failure when it is missing, elsewhere the
   * calling test skipped.
   */
  public static Path require(String relative) {
    Optional<Path> found = find(relative);
    assumeTrue(found.isPresent(), () -> missing(root().resolve(relative)) + "; skipped outside CI");
    return found.orElseThrow();
  }

  /**
   * {@code relative} inside the shared folder, or empty when it is missing outside CI (for a test
   * that has other data to check too); under CI a missing folder fails.
   */
  public static Optional<Path> find(String relative) {
    Path path = root().resolve(relative);
    if (Files.exists(path)) {
      return Optional.of(path);
    }
    if (underCi()) {
      throw new AssertionError(missing(path) + "; CI is set, so this fails rather than skips");
    }
    return Optional.empty();
  }

  /** True where the environment says this is a CI run. */
  public static boolean underCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  private static String missing(Path path) {
    return "shared test data not found: "
        + path.toAbsolutePath().normalize()
        + " (set -D"
        + PROPERTY
        + "=DIR to the folder holding fixtures/ and curves/,"
        + " or put it at ../shared beside the checkout)";
  }

  /**
   * Copies every fixture of {@code fixtures/tf} and {@code fixtures/public} into {@code logdir},
   * each as a directory named {@code SET-NAME}, so one logdir holds the writers of them all.
   */
  public static void copyEveryFixtureInto(Path logdir) throws IOException {
    for (String set : List.of("tf", "public")) {
      try (Stream<Path> fixtures = Files.list(require("fixtures/" + set))) {
        for (Path fixture : fixtures.filter(Files::isDirectory).toList()) {
          copyTree(fixture, logdir.resolve(set + "-" + fixture.getFileName()));
        }
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
