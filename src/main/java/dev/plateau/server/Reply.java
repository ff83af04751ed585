package dev.plateau.server;

import java.util.function.Supplier;

/** How a request is answered: at once on the connection thread, or computed on a render thread. */
sealed interface Reply {
  /** A response ready now (probes, refusals): sent without waiting for any other request. */
  record Now(HttpResponse response) implements Reply {}

  /** A response to compute (the page, {@code /api/runs}, {@code /metrics}) on a render thread. */
  record Later(Supplier<HttpResponse> render) implements Reply {}
}
