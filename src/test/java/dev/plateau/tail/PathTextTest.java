package dev.plateau.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A path as text turns back into the same path, byte for byte. */
class PathTextTest {

  @Test
  void aNameThatIsNotValidUtf8RoundTripsThroughItsUriAndOthersStayAsTheyRead(@TempDir Path dir)
      throws Exception {
    Path plain = dir.resolve("exp-\\u00e9/events.out.tfevents.1");
    assertThat(PathText.of(plain)).isEqualTo(plain.toString());
    assertThat(PathText.parse(PathText.of(plain))).isEqualTo(plain);

    Path bad = Path.of(URI.create(dir.toUri() + "bad%FF%FErun"));
    Files.createDirectories(bad);
    Path file = Files.writeString(bad.resolve("events.out.tfevents.1"), "x");
    String text = PathText.of(file);
    assertThat(text).startsWith("file:").contains("bad%FF%FErun");
    assertThat(PathText.parse(text)).isEqualTo(file);
    assertThat(Files.readString(PathText.parse(text))).isEqualTo("x");
    assertThat(Path.of(file.toString()))
        .as("the string alone names another file")
        .isNotEqualTo(file);
  }
}
