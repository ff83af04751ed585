package dev.plateau.server;

import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where the page links an experiment to TensorBoard: the scalars dashboard at {@code base},
 * filtered to the experiment's runs ({@code #scalars&regexInput=NAME}).
 *
 * @param base an http or https URL ({@code http.tensorboard_url}, {@code --tensorboard-url})
 */
record TensorBoardLink(URI base) {
  TensorBoardLink {
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
      // the URL itself is not echoed: it may carry a token
      throw new IllegalArgumentException(
          "the TensorBoard URL must be an http or https URL with a host (e.g."
              + " http://localhost:6006/)");
    }
  }

  /** A link, or null without a URL. */
  static @Nullable TensorBoardLink of(@Nullable URI base) {
    return base == null ? null : new TensorBoardLink(base);
  }

  /** The URL of the experiment's runs (not escaped for HTML). */
  String toExperiment(String experiment) {
    String root = base.toString();
    int hash = root.indexOf('#');
    if (hash >= 0) {
      root = root.substring(0, hash);
    }
    if (!root.endsWith("/")) {
      root += "/";
    }
    return root + "#scalars&regexInput=" + PageQuery.encode("^" + quote(experiment) + "(/|$)");
  }

  private static String quote(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (char c : name.toCharArray()) {
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
