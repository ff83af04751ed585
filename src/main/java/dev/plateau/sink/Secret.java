package dev.plateau.sink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A string that must not reach logs, error messages or {@code toString()}: an incoming webhook's
 * URL (whose path is the credential) or a signing secret. {@link #toString()} shows a mask such as
 * {@code https://hooks.slack.com/***}; the value is read only through {@link #reveal()}, so every
 * place that uses it is easy to find.
 *
 * <p>Errors name the source (the environment variable, the file) and never the content.
 */
public final class Secret {
  /** Secret files larger than this are refused: they are surely not the file meant. */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  private final String value;
  private final String source;

  private Secret(String value, String source) {
    this.value = value;
    this.source = source;
  }

  /** A secret given directly (in the configuration file, or in a test). */
  public static Secret fromValue(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new SinkConfigException("a secret given in the configuration is empty");
    }
    return new Secret(value, "the configuration");
  }

  /** The value of the environment variable {@code name}, which must be set and not blank. */
  public static Secret fromEnv(String name) {
    return fromEnv(name, System::getenv);
  }

  /** {@link #fromEnv(String)} with a given environment (a map's {@code get}, in tests). */
  public static Secret fromEnv(String name, UnaryOperator<String> environment) {
    String value = environment.apply(name);
    if (value == null) {
      throw new SinkConfigException(
          "the environment variable " + name + " is not set; it should hold the secret");
    }
    if (value.isBlank()) {
      throw new SinkConfigException("the environment variable " + name + " is empty");
    }
    return new Secret(value, "the environment variable " + name);
  }

  /**
   * The content of a file, without its trailing line break(s) (editors and {@code echo} add one).
   * The file must be readable, at most {@link #MAX_FILE_BYTES}, and not blank.
   */
  public static Secret fromFile(Path path) {
    String where = "the secret file " + path;
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      // The exception's type and the path say enough; its message could in theory quote content.
      throw new SinkConfigException(
          "cannot read " + where + " (" + e.getClass().getSimpleName() + ")", e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new SinkConfigException(
          where + " is larger than " + MAX_FILE_BYTES + " bytes; is it the right file?");
    }
    String value = new String(bytes, StandardCharsets.UTF_8);
    int end = value.length();
    while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
      end--;
    }
    value = value.substring(0, end);
    if (value.isBlank()) {
      throw new SinkConfigException(where + " is empty");
    }
    return new Secret(value, where);
  }

  /**
   * One secret per non-blank line of a file (such as a list of webhook URLs), lines starting with
   * {@code #} skipped; each names its line and the file as its source. The file has the limits of
   * {@link #fromFile(Path)}.
   */
  public static List<Secret> linesOf(Path path) {
    Secret whole = fromFile(path);
    List<Secret> out = new ArrayList<>();
    String[] lines = whole.value.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        out.add(new Secret(line, "line " + (i + 1) + " of " + whole.source));
      }
    }
    return out;
  }

  /** The secret itself. Do not log it, put it in an exception, or concatenate it into text. */
  public String reveal() {
    return value;
  }

  /** Where the secret came from, for error messages: "the environment variable SLACK_URL". */
  public String source() {
    return source;
  }

  /**
   * A mask: {@code scheme://host/***} for a URL, {@code whsec_***} for a Standard Webhooks secret,
   * {@code ***} otherwise.
   */
  @Override
  public String toString() {
    String origin = originOf(value);
    if (origin != null) {
      return origin + "/***";
    }
    return value.startsWith("whsec_") ? "whsec_***" : "***";
  }

  /** {@code scheme://host} of an absolute HTTP(S) URL, or null when it is not one. */
  static @Nullable String originOf(String url) {
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme();
      if (scheme == null || uri.getHost() == null) {
        return null;
      }
      return scheme.toLowerCase(Locale.ROOT) + "://" + uri.getHost();
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
