package dev.plateau.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Docker image runs, for tests and benchmarks that run the daemon as the image does
 * without a Docker engine: the Dockerfile's exec-form instructions, and its volumes mapped to
 * directories.
 */
public final class ImageJvmOptions {
  private ImageJvmOptions() {}

  /** The words of an exec-form instruction ({@code ENTRYPOINT ["java", ...]}) of the Dockerfile. */
  static List<String> words(String dockerfile, String instruction) throws IOException {
    Matcher m = Pattern.compile("(?m)^(?:" + instruction + ")\\s*(\\[.*\\])\\s*$").matcher(dockerfile);
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
        "(^|=)" + Pattern.quote(volume) + "(?=/|$)", "$1" + Matcher.quoteReplacement(dir.toString()));
  }

  /**
   * The JVM options of the image's ENTRYPOINT (between {@code java} and {@code -jar}), its
   * {@code /state} volume (temporary files, crash logs) mapped to {@code state}.
   */
  public static List<String> of(Path dockerfile, Path state) throws IOException {
    List<String> words = words(Files.readString(dockerfile), "ENTRYPOINT");
    int jar = words.indexOf("-jar");
    List<String> out = new ArrayList<>();
    for (String option : jar > 1 ? words.subList(1, jar) : List.<String>of()) {
      out.add(mapVolume(option, "/state", state));
    }
    return out;
  }

  /** {@link #of(Path, Path)} with the Dockerfile named by {@code -Dplateau.dockerfile}. */
  public static List<String> of(Path state) throws IOException {
    return of(Path.of(System.getProperty("plateau.dockerfile", "Dockerfile")), state);
  }
}
