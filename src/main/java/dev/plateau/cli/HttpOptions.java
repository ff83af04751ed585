package dev.plateau.cli;

import dev.plateau.config.HttpConfig;
import dev.plateau.server.BearerToken;
import dev.plateau.sink.Secret;
import dev.plateau.sink.SinkConfigException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code watch}'s options for the status server: where it listens and the token it asks for. */
final class HttpOptions {
  /** The watch command's log, whichever of its parts speaks (the log names the logger). */
  private static final Logger log = LoggerFactory.getLogger(WatchCommand.class);

  @Option(
      names = "--http",
      paramLabel = "ADDR:PORT",
      converter = HttpBinding.Converter.class,
      description =
          "Serve /healthz, /readyz, /metrics, /api/runs and the status page here; PORT and :PORT bind to 127.0.0.1; 0.0.0.0:PORT in containers; 'off' for none (http.address; default: 127.0.0.1:9321). Start-up fails (exit 2) when it cannot be bound.")
  HttpBinding http;

  @Option(
      names = "--http-token-file",
      paramLabel = "FILE",
      description =
          "File holding the token that the status page and /api/* need (the probes /healthz, /readyz and /metrics stay open); http.token_file, PLATEAU_HTTP_TOKEN_FILE. At least 16 visible ASCII characters, e.g. from: openssl rand -hex 32.")
  Path httpTokenFile;

  @Option(
      names = "--http-token",
      paramLabel = "TOKEN",
      description =
          "The token itself (http.token, PLATEAU_HTTP_TOKEN); other users of this machine can see it in the process list, so prefer --http-token-file or PLATEAU_HTTP_TOKEN.")
  String httpToken;

  @Option(
      names = "--tensorboard-url",
      paramLabel = "URL",
      description =
          "Link each experiment on the status page to its runs in TensorBoard at this http(s) URL, e.g. http://localhost:6006/ (http.tensorboard_url, PLATEAU_HTTP_TENSORBOARD_URL; default: no links).")
  @Nullable String tensorBoardUrl;

  /**
   * The HTTP token, or null for none (or no server); refused when too short or not plain ASCII.
   *
   * @param binding where the server listens
   * @param config the {@code http} section, options and variables included
   * @throws SinkConfigException naming where the token came from, never the token
   */
  BearerToken token(HttpBinding binding, HttpConfig config, SecretSources secrets) {
    if (binding.off()) {
      return null;
    }
    Secret secret = secrets.httpToken(config);
    if (secret == null) {
      return null;
    }
    if (httpToken != null) {
      log.warn(
          "--http-token puts the token in the process list, where other users of this machine"
              + " can read it; prefer --http-token-file or PLATEAU_HTTP_TOKEN");
    }
    try {
      return BearerToken.of(secret.reveal());
    } catch (IllegalArgumentException e) {
      throw new SinkConfigException(
          "the HTTP token from " + secret.source() + " " + e.getMessage());
    }
  }
}
