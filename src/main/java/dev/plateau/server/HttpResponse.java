package dev.plateau.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A response as the routes make it; {@link #encode} adds the framing. Every response has a
 * Content-Length (also for HEAD, where it is the length the GET's body would have) and is never
 * chunked.
 *
 * @param fields header fields other than Content-Length and Connection
 * @param close whether the connection ends after it, whatever the request asked
 */
record HttpResponse(int status, List<HeaderFields.Field> fields, byte[] body, boolean close) {
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(200, "OK"),
          Map.entry(303, "See Other"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(413, "Content Too Large"),
          Map.entry(414, "URI Too Long"),
          Map.entry(421, "Misdirected Request"),
          Map.entry(431, "Request Header Fields Too Large"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(505, "HTTP Version Not Supported"));

  HttpResponse {
    fields = List.copyOf(fields);
    for (HeaderFields.Field f : fields) {
      if (!HeadScanner.isToken(f.name())
          || f.value().chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
        throw new IllegalArgumentException("not a header field: " + f.name());
      }
    }
  }

  /**
   * The bytes on the wire: status line, fields, Content-Length, {@code Connection: close} when
   * {@code close}, and the body unless {@code headOnly}.
   */
  byte[] encode(boolean headOnly, boolean close) {
    StringBuilder head = new StringBuilder(512);
    head.append("HTTP/1.1 ")
        .append(status)
        .append(' ')
        .append(REASONS.getOrDefault(status, "Status"))
        .append("\r\n");
    for (HeaderFields.Field f : fields) {
      head.append(f.name()).append(": ").append(f.value()).append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n");
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(head.length() + (headOnly ? 0 : body.length));
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!headOnly) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }
}
