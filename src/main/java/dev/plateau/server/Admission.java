package dev.plateau.server;

/** What the server does with a request, decided before any route runs ({@link RequestGate}). */
sealed interface Admission {
  /** Serve the route. */
  record Admit(Route route) implements Admission {}

  /** Answer {@code status} with a short plain-text reason, and close the connection. */
  record Refuse(int status, String reason) implements Admission {}

  /** 401: the route needs the token and none (or a wrong one) was presented. */
  record Challenge(Route route) implements Admission {}

  /**
   * The status page was opened with the right {@code ?token=}: set the session cookie and send the
   * browser to {@code /}, so the token leaves the address bar and every reload carries the cookie.
   */
  record StartSession(String cookieValue) implements Admission {}
}
