package dev.plateau.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that start a request and never finish it, as a slowloris attack does: each connects,
 * sends a request line and a Host header, then one more header line whenever {@link #dribble()} is
 * called, and connects again (when {@code reconnect}) once the server has closed it. Real sockets,
 * driven from the calling thread.
 */
final class SlowClients implements AutoCloseable {
  private static final byte[] START =
      "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress server;
  private final boolean reconnect;
  private final List<SocketChannel> channels = new ArrayList<>();
  private long line;
  private long closedByServer;

  SlowClients(int port, int count, boolean reconnect) throws IOException {
    this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    this.reconnect = reconnect;
    for (int i = 0; i < count; i++) {
      channels.add(connect());
    }
  }

  private SocketChannel connect() throws IOException {
    SocketChannel channel = SocketChannel.open(server);
    channel.configureBlocking(false);
    if (!send(channel, START)) {
      channel.close();
    }
    return channel;
  }

  /** One more header line on every connection; connections the server closed connect again. */
  void dribble() throws IOException {
    byte[] next = ("X-Slow-" + line++ + ": v\r\n").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < channels.size(); i++) {
      SocketChannel channel = channels.get(i);
      if (channel.isOpen() && !gaveUp(channel) && send(channel, next)) {
        continue;
      }
      closedByServer++;
      channel.close();
      if (reconnect) {
        channels.set(i, connect());
      }
    }
  }

  /** How many times the server closed (or refused) one of these connections. */
  long closedByServer() {
    return closedByServer;
  }

  private static boolean gaveUp(SocketChannel channel) {
    try {
      // The server never answers an unfinished request: any byte, or the end, means it gave up.
      return channel.read(ByteBuffer.allocate(256)) != 0;
    } catch (IOException reset) {
      return true;
    }
  }

  private static boolean send(SocketChannel channel, byte[] bytes) {
    try {
      return channel.write(ByteBuffer.wrap(bytes)) == bytes.length;
    } catch (IOException reset) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel channel : channels) {
      channel.close();
    }
  }
}
