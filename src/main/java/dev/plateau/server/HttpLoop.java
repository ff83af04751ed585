package dev.plateau.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * The status server's connections, on one thread with a selector: accepting, reading request heads,
 * sending responses, enforcing {@link HttpLimits}. No thread waits on a client, so a slow client
 * costs a connection slot and a buffer, never a thread; the probes are answered on this thread as
 * soon as their request is read ({@link Reply.Now}), and only the page, {@code /api/runs} and
 * {@code /metrics} are computed on the render threads.
 *
 * <p>The JDK's {@code com.sun.net.httpserver}, used before, closed every connection past its limit
 * as it was accepted and read request heads on its handler threads: more slow clients than the
 * limit kept the probes out (issue 15). Here a connection past the limit makes room instead ({@link
 * HttpConnection#shedRank}), and request bodies are never read: a request that announces one is
 * refused and the bytes that follow it are discarded unparsed.
 *
 * <p>Time comes from {@code nanos}, so tests can move deadlines without waiting for them.
 */
final class HttpLoop implements Runnable {
  /** How long a closing connection may keep sending before it is closed outright. */
  static final long CLOSING_NANOS = 2_000_000_000L;

  /** How much a closing connection may send (a refused body) before it is closed outright. */
  static final long CLOSING_BYTES = 256 * 1024;

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final HttpLimits limits;
  private final LongSupplier nanos;
  private final RequestHandler handler;
  private final Executor renderers;
  private final ThrottledLog clientErrors;
  private final ThrottledLog serverErrors;
  private final Set<HttpConnection> open = new LinkedHashSet<>();
  private final Queue<Runnable> rendered = new ConcurrentLinkedQueue<>();
  private final Queue<HttpConnection> pipelined = new ArrayDeque<>();
  private final ByteBuffer discard = ByteBuffer.allocate(16 * 1024);
  private final SelectionKey listenerKey;
  private final InetSocketAddress bound;
  private volatile boolean stopping;
  private boolean acceptPaused;

  HttpLoop(
      InetSocketAddress address,
      HttpLimits limits,
      LongSupplier nanos,
      RequestHandler handler,
      Executor renderers,
      ThrottledLog clientErrors,
      ThrottledLog serverErrors)
      throws IOException {
    this.limits = limits;
    this.nanos = nanos;
    this.handler = handler;
    this.renderers = renderers;
    this.clientErrors = clientErrors;
    this.serverErrors = serverErrors;
    this.selector = Selector.open();
    this.listener = ServerSocketChannel.open();
    try {
      listener.bind(address, 128);
      listener.configureBlocking(false);
      listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
      bound = (InetSocketAddress) listener.getLocalAddress();
    } catch (IOException e) {
      listener.close();
      selector.close();
      throw e;
    }
  }

  /** The bound address (with the actual port when 0 was asked for). */
  InetSocketAddress address() {
    return bound;
  }

  /** Ends {@link #run}, which closes every connection and the listening socket. */
  void stop() {
    stopping = true;
    selector.wakeup();
  }

  @Override
  public void run() {
    try {
      while (!stopping) {
        try {
          turn();
        } catch (IOException | RuntimeException e) {
          if (!stopping) {
            serverErrors.record("HTTP connection loop: " + e, "going on");
          }
        }
      }
    } finally {
      for (HttpConnection c : new ArrayList<>(open)) {
        close(c);
      }
      closeQuietly(listener);
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  /** One turn: wait for sockets (or the next check), then everything that became possible. */
  private void turn() throws IOException {
    selector.select(limits.checkEvery().toMillis());
    long now = nanos.getAsLong();
    if (acceptPaused) {
      acceptPaused = false;
      listenerKey.interestOps(SelectionKey.OP_ACCEPT);
    }
    for (Runnable r; (r = rendered.poll()) != null; ) {
      r.run();
    }
    boolean accept = false;
    for (SelectionKey key : selector.selectedKeys()) {
      if (key == listenerKey) {
        accept = true; // after the reads: a probe already sent is read before anyone is shed
      } else if (key.isValid()) {
        ready((HttpConnection) key.attachment(), key, now);
      }
    }
    selector.selectedKeys().clear();
    for (HttpConnection c; (c = pipelined.poll()) != null; ) {
      if (c.channel.isOpen() && c.state == HttpConnection.State.READING) {
        scan(c, now);
      }
    }
    if (accept) {
      accept(now);
    }
    expire(now);
    clientErrors.flush();
    serverErrors.flush();
  }

  private void ready(HttpConnection c, SelectionKey key, long now) {
    try {
      if (key.isReadable()) {
        if (c.state == HttpConnection.State.CLOSING) {
          discard(c);
        } else if (c.state == HttpConnection.State.READING) {
          read(c, now);
        }
      }
      if (key.isValid() && key.isWritable() && c.state == HttpConnection.State.WRITING) {
        write(c, now);
      }
    } catch (IOException gone) {
      close(c);
    }
  }

  /**
   * Accepts what is waiting, a quarter of the connection limit at most per turn, so that between
   * two turns' reads no connection can be pushed from youngest to oldest.
   */
  private void accept(long now) {
    int batch = Math.max(1, limits.maxConnections() / 4);
    for (int i = 0; i < batch; i++) {
      SocketChannel channel;
      try {
        channel = listener.accept();
      } catch (IOException e) {
        // Out of file descriptors, most likely: the listener stays ready, so stop asking it until
        // the next check rather than spin.
        serverErrors.record("HTTP cannot accept connections: " + e.getMessage(), "trying again");
        listenerKey.interestOps(0);
        acceptPaused = true;
        return;
      }
      if (channel == null) {
        return;
      }
      if (open.size() >= limits.maxConnections() && !makeRoom(now)) {
        clientErrors.record(
            "connections refused: every connection busy answering", client(channel));
        closeQuietly(channel);
        continue;
      }
      HttpConnection c = new HttpConnection(channel, client(channel), limits, now);
      try {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        c.key = channel.register(selector, SelectionKey.OP_READ, c);
        open.add(c);
        read(c, now); // the request may have come with the connection
      } catch (IOException gone) {
        close(c);
      }
    }
  }

  /** Closes the connection {@link HttpConnection#shedRank} puts first; false if none may be. */
  private boolean makeRoom(long now) {
    HttpConnection victim =
        open.stream()
            .filter(c -> c.shedRank() != Integer.MAX_VALUE)
            .min(
                Comparator.comparingInt(HttpConnection::shedRank)
                    .thenComparingLong(c -> c.since - now))
            .orElse(null);
    if (victim == null) {
      return false;
    }
    if (victim.shedRank() == 2) {
      clientErrors.record(
          victim.state == HttpConnection.State.WRITING
              ? "connections closed to make room: response not yet taken"
              : "connections closed to make room: request not yet complete",
          victim.client + ", after " + (now - victim.since) / 1_000_000 + " ms");
    }
    close(victim);
    return true;
  }

  private void read(HttpConnection c, long now) throws IOException {
    boolean wasIdle = c.idle();
    int n = c.read();
    if (n < 0) {
      close(c); // the client is gone; whatever it sent of a request is moot
      return;
    }
    if (n > 0 && wasIdle) {
      c.since = now;
      c.deadline = now + limits.maxRequestTime().toNanos();
    }
    if (n > 0) {
      scan(c, now);
    }
  }

  private void scan(HttpConnection c, long now) {
    HeadResult result = c.scan();
    if (result instanceof HeadResult.Complete complete) {
      c.consume(complete.length());
      answer(c, complete.head(), now);
    } else if (result instanceof HeadResult.Malformed bad) {
      clientErrors.record(bad.status() + " " + bad.reason(), c.client);
      c.request = null;
      send(c, handler.refuse(bad.status(), bad.reason()), now);
    }
  }

  private void answer(HttpConnection c, RequestHead head, long now) {
    c.state = HttpConnection.State.ANSWERING;
    c.since = now;
    c.deadline = now + limits.maxResponseTime().toNanos();
    c.request = head;
    c.key.interestOps(0); // nothing more is read until this request is answered
    Reply reply;
    try {
      reply = handler.handle(head, c.client);
    } catch (RuntimeException e) {
      serverErrors.record("HTTP " + head.method() + ": " + e, c.client);
      reply = new Reply.Now(handler.refuse(500, "internal error"));
    }
    if (reply instanceof Reply.Now ready) {
      send(c, ready.response(), now);
    } else if (reply instanceof Reply.Later later) {
      try {
        renderers.execute(() -> render(c, head, later));
      } catch (RejectedExecutionException busy) {
        send(c, handler.refuse(503, "busy: too many requests being answered"), now);
      }
    }
  }

  /** On a render thread: computes the response, then hands it to the loop to send. */
  private void render(HttpConnection c, RequestHead head, Reply.Later later) {
    if (!c.channel.isOpen()) {
      return; // given up on while it waited
    }
    HttpResponse response;
    try {
      response = later.render().get();
    } catch (RuntimeException e) {
      serverErrors.record("HTTP " + head.target() + ": " + e, c.client);
      response = handler.refuse(500, "internal error");
    }
    HttpResponse done = response;
    rendered.add(() -> send(c, done, nanos.getAsLong()));
    selector.wakeup();
  }

  private void send(HttpConnection c, HttpResponse response, long now) {
    if (!c.channel.isOpen()) {
      return; // closed while its response was computed
    }
    RequestHead request = c.request;
    c.closeAfterWriting = response.close() || request == null || !request.keepAlive();
    c.out =
        ByteBuffer.wrap(response.encode(request != null && request.isHead(), c.closeAfterWriting));
    c.state = HttpConnection.State.WRITING;
    c.since = now;
    c.deadline = now + limits.maxResponseTime().toNanos();
    try {
      write(c, now);
    } catch (IOException gone) {
      close(c);
    }
  }

  private void write(HttpConnection c, long now) throws IOException {
    c.channel.write(c.out);
    if (c.out.hasRemaining()) {
      c.key.interestOps(SelectionKey.OP_WRITE);
      return;
    }
    c.out = null;
    c.request = null;
    c.served++;
    if (c.closeAfterWriting) {
      // Shut our side and let the client close: closing with its bytes unread would reset the
      // connection, and a reset can destroy the response before the client reads it.
      c.channel.shutdownOutput();
      c.state = HttpConnection.State.CLOSING;
      c.since = now;
      c.deadline = now + Math.min(CLOSING_NANOS, limits.maxRequestTime().toNanos());
      c.key.interestOps(SelectionKey.OP_READ);
      return;
    }
    c.state = HttpConnection.State.READING;
    c.since = now;
    c.key.interestOps(SelectionKey.OP_READ);
    if (c.buffered() > 0) {
      c.deadline = now + limits.maxRequestTime().toNanos();
      pipelined.add(c); // the next request came with this one: nothing more may arrive to wake it
    } else {
      c.deadline = now + limits.idleTimeout().toNanos();
    }
  }

  /** Reads and drops what a closing connection sends, without looking at it. */
  private void discard(HttpConnection c) throws IOException {
    for (int n; (n = c.channel.read(discard.clear())) != 0; ) {
      if (n < 0 || (c.discarded += n) > CLOSING_BYTES) {
        close(c);
        return;
      }
    }
  }

  private void expire(long now) {
    List<HttpConnection> late = new ArrayList<>();
    for (HttpConnection c : open) {
      if (now - c.deadline >= 0) {
        late.add(c);
      }
    }
    for (HttpConnection c : late) {
      String after = c.client + ", after " + (now - c.since) / 1_000_000 + " ms";
      switch (c.state) {
        case READING -> {
          if (!c.idle()) {
            clientErrors.record(
                "connections closed: no complete request within "
                    + seconds(limits.maxRequestTime()),
                after);
          }
        }
        case WRITING ->
            clientErrors.record(
                "connections closed: response not taken within "
                    + seconds(limits.maxResponseTime()),
                after);
        case ANSWERING ->
            serverErrors.record(
                "HTTP responses not computed within " + seconds(limits.maxResponseTime()), after);
        case CLOSING -> {} // the response went; the client just has not closed yet
      }
      close(c);
    }
  }

  private void close(HttpConnection c) {
    open.remove(c);
    if (c.key != null) {
      c.key.cancel();
    }
    closeQuietly(c.channel);
  }

  private static String seconds(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String client(SocketChannel channel) {
    try {
      InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
      return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    } catch (IOException | RuntimeException gone) {
      return "a client now gone";
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing to do about a socket that will not close
    }
  }
}
