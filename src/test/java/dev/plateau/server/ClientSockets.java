package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Client connections a test holds open and looks at without waiting on a clock. */
final class ClientSockets {
  private ClientSockets() {}

  /** A connection that has sent {@code bytes} (perhaps nothing) and then nothing more. */
  static SocketChannel open(int port, String bytes) throws IOException {
    SocketChannel channel =
        SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    channel.write(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1)));
    channel.configureBlocking(false);
    return channel;
  }

  /** Whether the server has neither closed the connection nor sent anything on it, as of now. */
  static boolean stillOpenUnanswered(SocketChannel channel) throws IOException {
    try {
      int n = channel.read(ByteBuffer.allocate(64));
      assertThat(n)
          .as("bytes the server sent on a connection it should not answer")
          .isLessThanOrEqualTo(0);
      return n == 0;
    } catch (IOException reset) {
      return false;
    }
  }

  /** Waits (at most {@code within}) for the server to close the connection, which sends nothing. */
  static void assertClosedUnanswered(SocketChannel channel, Duration within) throws IOException {
    long end = System.nanoTime() + within.toNanos();
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (System.nanoTime() < end) {
        selector.select(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        if (!stillOpenUnanswered(channel)) {
          return;
        }
      }
    }
    fail("the server did not close the connection within " + within);
  }
}
