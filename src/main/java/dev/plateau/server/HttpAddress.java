package dev.plateau.server;

import java.net.InetSocketAddress;

/**
 * Parses {@code --http}: {@code PORT} and {@code :PORT} bind to 127.0.0.1 (loopback: nothing is
 * exposed by accident); {@code ADDR:PORT} binds there ({@code 0.0.0.0:PORT} in containers; {@code
 * [::1]:PORT} for IPv6).
 */
public final class HttpAddress {
  private HttpAddress() {}

  public static InetSocketAddress parse(String text) {
    String host = "127.0.0.1";
    String port = text.trim();
    int colon = port.lastIndexOf(':');
    if (colon >= 0) {
      String h = port.substring(0, colon);
      port = port.substring(colon + 1);
      if (!h.isEmpty()) {
        host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
      }
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--http '" + text + "': not a port; write PORT, :PORT or ADDR:PORT (e.g. 0.0.0.0:9090)");
    }
    if (number < 0 || number > 65535) {
      throw new IllegalArgumentException("--http '" + text + "': port must be 0 to 65535");
    }
    return new InetSocketAddress(host, number);
  }
}
