package dev.plateau.server;

import java.util.Optional;

/**
 * Every path the server answers, matched exactly against the raw (undecoded) path, so that no
 * spelling ({@code /%61pi/runs}, {@code //api/runs}, {@code /api/runs/}) reaches a route other than
 * by its one name. Guarded routes need the bearer token when one is configured; the probes stay
 * open.
 */
enum Route {
  PAGE("/", true),
  HEALTHZ("/healthz", false),
  READYZ("/readyz", false),
  METRICS("/metrics", false),
  API_RUNS("/api/runs", true),
  EXPERIMENT("/experiment", true),
  STYLE("/static/plateau.css", false),
  SCRIPT("/static/plateau.js", false);

  private final String path;
  private final boolean guarded;

  Route(String path, boolean guarded) {
    this.path = path;
    this.guarded = guarded;
  }

  String path() {
    return path;
  }

  boolean guarded() {
    return guarded;
  }

  /** The route of a raw request path, or empty: the server answers 404. */
  static Optional<Route> of(String rawPath) {
    for (Route r : values()) {
      if (r.path.equals(rawPath)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
