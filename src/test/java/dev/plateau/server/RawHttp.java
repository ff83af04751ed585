package dev.plateau.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: no client library normalizes the path,
 * adds headers or hides how the server ended the connection.
 */
final class RawHttp {
  /**
   * One response: status (0 when the server closed without answering), header lines, body, and
   * whether the server closed the connection after it.
   */
  record Response(int status, List<String> headers, String body, boolean closed) {
    Optional<String> header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      for (String h : headers) {
        if (h.toLowerCase(Locale.ROOT).startsWith(prefix)) {
          return Optional.of(h.substring(prefix.length()).strip());
        }
      }
      return Optional.empty();
    }
  }

  private RawHttp() {}

  /**
   * {@code method target} with a loopback Host header, {@code Connection: close} and the given
   * extra header lines.
   */
  static Response request(int port, String method, String target, String... headers)
      throws IOException {
    StringBuilder request =
        new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
    for (String h : headers) {
      request.append(h).append("\r\n");
    }
    return send(port, request.append("Connection: close\r\n\r\n").toString());
  }

  /** A HEAD request, read as one: its Content-Length describes a body that is not sent. */
  static Response head(int port, String target, String... headers) throws IOException {
    return request(port, "HEAD", target, headers);
  }

  static Response get(int port, String target, String... headers) throws IOException {
    return request(port, "GET", target, headers);
  }

  /**
   * Writes {@code request} as is and reads one response; {@code closed} says whether the server
   * then closed the connection within two seconds.
   */
  static Response send(int port, String request) throws IOException {
    boolean head = request.startsWith("HEAD ");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (IOException closedWhileWriting) {
        return new Response(0, List.of(), "", true);
      }
      return read(socket, head);
    }
  }

  /**
   * Reads one response on a connection kept open for more (no wait to see whether the server closes
   * it); after a HEAD request ({@code head}) no body, whatever the Content-Length says.
   */
  static Response readOne(Socket socket, boolean head) throws IOException {
    InputStream in = socket.getInputStream();
    String statusLine;
    try {
      statusLine = line(in);
    } catch (IOException reset) {
      return new Response(0, List.of(), "", true);
    }
    if (statusLine == null) {
      return new Response(0, List.of(), "", true);
    }
    List<String> headers = new ArrayList<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      headers.add(h);
    }
    Response start = new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, "", false);
    int length = head ? 0 : start.header("Content-Length").map(Integer::parseInt).orElse(0);
    return new Response(
        start.status(), headers, new String(in.readNBytes(length), StandardCharsets.UTF_8), false);
  }

  static Response readOne(Socket socket) throws IOException {
    return readOne(socket, false);
  }

  static Response read(Socket socket) throws IOException {
    return read(socket, false);
  }

  /**
   * Reads one response and then whether the server closed the connection within two seconds; a body
   * the server sends after a HEAD answer shows as the connection not closed.
   */
  static Response read(Socket socket, boolean head) throws IOException {
    Response r = readOne(socket, head);
    if (r.status() == 0) {
      return r;
    }
    boolean closed;
    socket.setSoTimeout(2_000);
    try {
      closed = socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException open) {
      closed = false;
    } catch (IOException reset) {
      closed = true;
    }
    return new Response(r.status(), r.headers(), r.body(), closed);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        out.write(b);
      }
    }
    return b < 0 && out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
  }
}
