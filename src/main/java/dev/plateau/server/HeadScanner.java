package dev.plateau.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a request head in the bytes a connection has received and parses it, strictly (RFC 9112):
 * lines end in CRLF or LF, fields are {@code name: value} with a token for a name and no whitespace
 * before the colon, no line folding, no control characters but tab in a value, and only HTTP/1.0
 * and HTTP/1.1. Anything else is answered 400 (505 for another version), never guessed at, so no
 * request can mean one thing here and another to a proxy in front.
 *
 * <p>One scanner per connection: it remembers how far it has looked, so a client that sends its
 * head a byte at a time costs one pass over it, not one per byte. The head is parsed once, when it
 * is whole. The limits are checked as the bytes come: a head over {@code maxHeaderBytes} or with
 * more than {@code maxHeaderFields} field lines is refused before its end arrives.
 */
final class HeadScanner {
  private final int maxHeaderBytes;
  private final int maxHeaderFields;
  private int start;
  private int scanned;
  private int fieldLines;
  private boolean requestLineEnded;

  HeadScanner(HttpLimits limits) {
    this.maxHeaderBytes = limits.maxHeaderBytes();
    this.maxHeaderFields = limits.maxHeaderFields();
  }

  /** Forgets the last request: the next scan starts at the buffer's start. */
  void reset() {
    start = 0;
    scanned = 0;
    fieldLines = 0;
    requestLineEnded = false;
  }

  /** What {@code buffer[0, length)} holds; call again with the same bytes and more after them. */
  HeadResult scan(byte[] buffer, int length) {
    while (start < length && (buffer[start] == '\r' || buffer[start] == '\n')) {
      start++; // empty lines before a request line are allowed (RFC 9112 section 2.2)
    }
    int end = -1;
    int i = Math.max(scanned, start);
    for (; i < length; i++) {
      if (buffer[i] != '\n') {
        continue;
      }
      if (i + 1 >= length || (buffer[i + 1] == '\r' && i + 2 >= length)) {
        break; // whether the next line is empty is not known yet: look at this LF again
      }
      if (buffer[i + 1] == '\n') {
        end = i + 2;
        break;
      }
      if (buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
        end = i + 3;
        break;
      }
      if (!requestLineEnded) {
        requestLineEnded = true;
      } else if (++fieldLines >= maxHeaderFields) {
        return new HeadResult.Malformed(431, "more than " + maxHeaderFields + " header fields");
      }
    }
    scanned = i;
    if ((end < 0 ? length : end) > maxHeaderBytes) {
      return end < 0 && start < length && firstLineEnd(buffer, start, length) < 0
          ? new HeadResult.Malformed(414, "request line over " + maxHeaderBytes + " bytes")
          : new HeadResult.Malformed(431, "request head over " + maxHeaderBytes + " bytes");
    }
    if (end < 0) {
      return new HeadResult.Incomplete();
    }
    return parse(buffer, start, end);
  }

  private static int firstLineEnd(byte[] buffer, int from, int length) {
    for (int i = from; i < length; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private HeadResult parse(byte[] buffer, int start, int end) {
    List<String> lines = new ArrayList<>();
    int lineStart = start;
    for (int i = start; i < end; i++) {
      if (buffer[i] == '\n') {
        int lineEnd = i > lineStart && buffer[i - 1] == '\r' ? i - 1 : i;
        if (lineEnd > lineStart) {
          lines.add(
              new String(buffer, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1));
        }
        lineStart = i + 1;
      }
    }
    String[] requestLine = lines.get(0).split(" ", -1);
    if (requestLine.length != 3 || !isToken(requestLine[0]) || !isTarget(requestLine[1])) {
      return new HeadResult.Malformed(400, "not a request line: METHOD TARGET HTTP/1.1");
    }
    String version = requestLine[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      return version.matches("HTTP/\\d\\.\\d")
          ? new HeadResult.Malformed(505, "only HTTP/1.1 and HTTP/1.0")
          : new HeadResult.Malformed(400, "not a request line: METHOD TARGET HTTP/1.1");
    }
    List<HeaderFields.Field> fields = new ArrayList<>(lines.size() - 1);
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        return new HeadResult.Malformed(
            400, "not a header field: NAME: VALUE (no folding, no space before ':')");
      }
      String value = stripWhitespace(line.substring(colon + 1));
      if (!isFieldValue(value)) {
        return new HeadResult.Malformed(400, "a header field value holds a control character");
      }
      fields.add(new HeaderFields.Field(line.substring(0, colon), value));
    }
    return new HeadResult.Complete(
        new RequestHead(requestLine[0], requestLine[1], version, new HeaderFields(fields)), end);
  }

  /** RFC 9110 token: letters, digits and {@code !#$%&'*+-.^_`|~}. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Visible ASCII only: a target never holds spaces, controls or raw non-ASCII bytes. */
  private static boolean isTarget(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7F);
  }

  /** Tab, visible ASCII, space and bytes from 0x80 (RFC 9110 field-vchar and obs-text). */
  private static boolean isFieldValue(String s) {
    return s.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7F));
  }

  private static String stripWhitespace(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }
}
