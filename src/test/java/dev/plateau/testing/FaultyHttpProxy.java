package dev.plateau.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy between a client and a server that misbehaves on purpose: every third
 * request is answered 503 SlowDown (as S3 throttles), every seventh connection is reset (RST)
 * before an answer, and one request is held for a stall before it is passed on. One request per
 * connection: the request goes upstream with {@code Connection: close}, the answer comes back and
 * the connection closes. Each request's line and Range header are recorded as it arrives.
 */
public final class FaultyHttpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstream;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicBoolean faults = new AtomicBoolean(true);
  private final AtomicBoolean stallPending = new AtomicBoolean(true);
  private final long stallMillis;
  private final List<String> seen = new ArrayList<>();
  private final Thread acceptor;

  public FaultyHttpProxy(int upstreamPort, long stallMillis) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstream = upstreamPort;
    this.stallMillis = stallMillis;
    this.acceptor = new Thread(this::accept, "faulty-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private final AtomicBoolean down = new AtomicBoolean();

  /** While down, every connection is reset as it comes: the server cannot be reached. */
  public void down(boolean on) {
    down.set(on);
  }

  /** Faults on or off (off: a plain proxy). */
  public void faults(boolean on) {
    faults.set(on);
  }

  /** The requests passed upstream so far, as "METHOD PATH Range" lines; cleared. */
  public synchronized List<String> takeSeen() {
    List<String> out = new ArrayList<>(seen);
    seen.clear();
    return out;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> handle(client), "faulty-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      if (down.get()) {
        client.setSoLinger(true, 0);
        return;
      }
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      int length = contentLength(text);
      if (header(text, "expect").equalsIgnoreCase("100-continue")) {
        client
            .getOutputStream()
            .write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
        text = text.replaceAll("(?im)^expect:[^\r\n]*\r\n", "");
      }
      byte[] body = in.readNBytes(length);
      // Recorded as it arrives (a stalled request is passed on later, maybe after the test moved
      // on).
      String firstLine = text.substring(0, text.indexOf("\r\n"));
      String range = header(text, "range");
      synchronized (this) {
        seen.add(firstLine.substring(0, firstLine.lastIndexOf(' ')) + " " + range);
      }
      int n = requests.incrementAndGet();
      if (faults.get()) {
        if (n % 3 == 0) {
          String xml =
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                  + "<Message>Please reduce your request rate.</Message></Error>";
          byte[] b = xml.getBytes(StandardCharsets.UTF_8);
          OutputStream out = client.getOutputStream();
          out.write(
              ("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
                      + b.length
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.write(b);
          out.flush();
          return;
        }
        if (n % 7 == 0) {
          client.setSoLinger(true, 0); // close with RST: a connection reset
          return;
        }
        if (n % 5 == 0 && stallPending.compareAndSet(true, false)) {
          Thread.sleep(stallMillis);
        }
      }
      String rewritten = text.replaceAll("(?im)^connection:[^\r\n]*\r\n", "");
      rewritten = rewritten.replaceFirst("\r\n", "\r\nConnection: close\r\n");
      try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstream)) {
        OutputStream upOut = up.getOutputStream();
        upOut.write(rewritten.getBytes(StandardCharsets.ISO_8859_1));
        upOut.write(body);
        upOut.flush();
        up.getInputStream().transferTo(client.getOutputStream());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the client gave up (a timeout) or the test is over
    }
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static int contentLength(String head) {
    String value = header(head, "content-length");
    return value.isEmpty() ? 0 : Integer.parseInt(value.strip());
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return "";
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
