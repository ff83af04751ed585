package dev.plateau.server;

/** What {@link HttpLoop} asks of the server: how to answer a request, and a request it refuses. */
interface RequestHandler {
  /** Runs on the connection thread: decides, and answers at once or says what to compute. */
  Reply handle(RequestHead head, String client);

  /** The answer to a request the loop refuses before it is whole (400, 414, 431, 505). */
  HttpResponse refuse(int status, String reason);
}
