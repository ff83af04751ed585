package dev.plateau.config;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code http} section: the status server of {@code plateau watch}. The address is checked by
 * the command that binds it; here it is text.
 *
 * @param address where the server listens: {@code PORT}, {@code :PORT}, {@code ADDR:PORT} or {@code
 *     off} ({@code http.address}, default {@code 127.0.0.1:9321})
 * @param token the token the status page and {@code /api/*} ask for ({@code http.token}), or null
 * @param tokenFile a file holding that token ({@code http.token_file}), or null
 * @param tensorboardUrl where the status page links experiments in TensorBoard ({@code
 *     http.tensorboard_url}), or null for no links; checked by the command that serves the page
 */
public record HttpConfig(
    String address,
    @Nullable String token,
    @Nullable String tokenFile,
    @Nullable String tensorboardUrl) {
  static final Set<String> KEYS = Set.of("address", "token", "token_file", "tensorboard_url");

  /** Where the status server listens unless told otherwise. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:9321";

  /** The loopback default address, no token. */
  public static HttpConfig defaults() {
    return new HttpConfig(DEFAULT_ADDRESS, null, null, null);
  }

  static HttpConfig parse(ConfigNode http) throws ConfigException {
    http.allowOnly(KEYS);
    ConfigNode file = http.get("token_file");
    if (!http.get("token").isMissing() && !file.isMissing()) {
      throw file.error(
          "is set, and so is " + http.get("token").describe() + "; set only one of them");
    }
    return new HttpConfig(
        http.get("address").string(DEFAULT_ADDRESS),
        http.get("token").string(null),
        file.string(null),
        http.get("tensorboard_url").string(null));
  }
}
