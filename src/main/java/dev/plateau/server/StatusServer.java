package dev.plateau.server;

import dev.plateau.daemon.Daemon;
import dev.plateau.state.Delivery;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoints: {@code /healthz} (the main loop completes rounds; never depends on
 * new data), {@code /readyz} (the first scan of every logdir is done), {@code /metrics} (Prometheus
 * text format or OpenMetrics, {@link MetricsEndpoint}), {@code /api/runs} (every experiment and
 * series with its verdict, as JSON) and {@code /}, the status page ({@link StatusPage}, one
 * experiment at {@code /experiment}: {@link ExperimentPage}; its own script and stylesheet under
 * {@code /static/}), from data the polling thread publishes after each round.
 *
 * <p>It serves only these routes and only GET and HEAD ({@link RequestGate}); with a {@link
 * BearerToken}, the page and {@code /api/*} need it while the probes stay open. Every response
 * carries {@link SecurityHeaders}. Connections are {@link HttpLoop}'s, within {@link HttpLimits}:
 * the probes are answered on its thread the moment their request is read, whatever other clients
 * do. Refused requests and cut-off clients are logged at most once a minute, with a count ({@link
 * ThrottledLog}).
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);

  /** How long a browser keeps the status page's session cookie. */
  static final Duration SESSION_LIFETIME = Duration.ofDays(7);

  /**
   * Client errors (and server errors) are logged one by one at most once per this, then counted.
   */
  static final Duration LOG_EVERY = Duration.ofMinutes(1);

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final int LOGGED_TARGET = 100;

  private final HttpLoop loop;
  private final Thread loopThread;
  private final ThreadPoolExecutor renderers;
  private final RequestGate gate;
  private final ThrottledLog clientErrors;
  private final ThrottledLog serverErrors;
  private final Daemon daemon;
  private final MetricsEndpoint metrics;

  /** The logdirs' state stores, in the watchers' order (the page reads deliveries from them). */
  private final List<StateStore> stores;

  private final Duration staleAfter;
  private final Clock clock;
  private final long startedMillis;
  private volatile @Nullable TensorBoardLink tensorBoard;

  /** A server without a token (every route open), with {@link HttpLimits#DEFAULTS}. */
  public StatusServer(
      InetSocketAddress address,
      Daemon daemon,
      List<StateStore> stores,
      Duration staleAfter,
      Clock clock)
      throws IOException {
    this(address, daemon, stores, staleAfter, clock, null);
  }

  /**
   * A server with {@link HttpLimits#DEFAULTS}.
   *
   * @param staleAfter how long without a completed round before {@code /healthz} fails
   * @param token what the status page and {@code /api/*} need, or null to leave them open
   */
  public StatusServer(
      InetSocketAddress address,
      Daemon daemon,
      List<StateStore> stores,
      Duration staleAfter,
      Clock clock,
      @Nullable BearerToken token)
      throws IOException {
    this(address, daemon, stores, staleAfter, clock, token, HttpLimits.DEFAULTS, System::nanoTime);
  }

  /**
   * @param limits what one client may cost
   * @param nanos the time of connection deadlines and log intervals, in nanoseconds
   */
  StatusServer(
      InetSocketAddress address,
      Daemon daemon,
      List<StateStore> stores,
      Duration staleAfter,
      Clock clock,
      @Nullable BearerToken token,
      HttpLimits limits,
      LongSupplier nanos)
      throws IOException {
    this(address, daemon, stores, staleAfter, clock, token, limits, nanos, MetricsLimits.DEFAULTS);
  }

  /**
   * @param metricsLimits what {@code /metrics} exports at most
   */
  StatusServer(
      InetSocketAddress address,
      Daemon daemon,
      List<StateStore> stores,
      Duration staleAfter,
      Clock clock,
      @Nullable BearerToken token,
      HttpLimits limits,
      LongSupplier nanos,
      MetricsLimits metricsLimits)
      throws IOException {
    this.daemon = daemon;
    this.stores = List.copyOf(stores);
    this.metrics =
        new MetricsEndpoint(daemon, stores, metricsLimits, MetricsEndpoint.buildVersion());
    this.staleAfter = staleAfter;
    this.clock = clock;
    this.startedMillis = clock.millis();
    this.clientErrors = new ThrottledLog(log::info, "HTTP client errors", LOG_EVERY, nanos);
    this.serverErrors = new ThrottledLog(log::warn, "HTTP server errors", LOG_EVERY, nanos);
    // A connection waiting for a render cannot be closed to make room, so at most half of them
    // may wait: past that, 503 at once, and the probes always find a connection to replace.
    this.renderers =
        new ThreadPoolExecutor(
            limits.renderThreads(),
            limits.renderThreads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, limits.maxConnections() / 2)),
            r -> {
              Thread t = new Thread(r, "http-render");
              t.setDaemon(true);
              return t;
            });
    renderers.allowCoreThreadTimeOut(true);
    RequestHandler handler =
        new RequestHandler() {
          @Override
          public Reply handle(RequestHead head, String client) {
            return StatusServer.this.handle(head, client);
          }

          @Override
          public HttpResponse refuse(int status, String reason) {
            return text(status, reason + "\n", true);
          }
        };
    try {
      this.loop =
          new HttpLoop(address, limits, nanos, handler, renderers, clientErrors, serverErrors);
    } catch (IOException e) {
      renderers.shutdownNow();
      throw e;
    }
    InetSocketAddress bound = loop.address();
    boolean loopback = bound.getAddress().isLoopbackAddress();
    this.gate = new RequestGate(token, loopback);
    this.loopThread = new Thread(loop, "http");
    loopThread.setDaemon(true);
    loopThread.start();
    String where = "http://" + bound.getHostString() + ":" + bound.getPort() + "/";
    if (token != null) {
      log.info("HTTP on {} (open: /healthz /readyz /metrics; with the token: / /api/runs)", where);
    } else {
      log.info("HTTP on {} (/healthz /readyz /metrics /api/runs)", where);
      if (!loopback) {
        log.warn(exposureWarning(where));
      }
    }
  }

  /** What is said at start-up when the server is reachable from other hosts without a token. */
  static String exposureWarning(String where) {
    return "HTTP on "
        + where
        + " is reachable from other hosts and has no token: anyone who can"
        + " connect can read the status page and /api/runs (run names, tags, logdir paths); set"
        + " PLATEAU_HTTP_TOKEN_FILE, PLATEAU_HTTP_TOKEN or --http-token-file, or bind to 127.0.0.1";
  }

  /** The bound address (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return loop.address();
  }

  private Reply handle(RequestHead head, String client) {
    Admission admission = gate.admit(head);
    if (admission instanceof Admission.Admit admit) {
      return switch (admit.route()) {
        case HEALTHZ -> new Reply.Now(healthz());
        case READYZ -> new Reply.Now(readyz());
        case METRICS -> {
          List<String> accepts = head.fields().values("Accept");
          String accept = accepts.isEmpty() ? null : String.join(", ", accepts);
          boolean names = gate.mayReadNames(head);
          yield new Reply.Later(() -> scrape(accept, names, client));
        }
        case STYLE -> new Reply.Now(staticFile(StaticFile.STYLE));
        case SCRIPT -> new Reply.Now(staticFile(StaticFile.SCRIPT));
        case API_RUNS, PAGE, EXPERIMENT -> {
          String query =
              RequestTarget.parse(head.target()).map(RequestTarget::rawQuery).orElse(null);
          yield new Reply.Later(() -> render(admit.route(), query, client));
        }
      };
    }
    if (admission instanceof Admission.Refuse refuse) {
      String target = head.target();
      clientErrors.record(
          refuse.status() + " " + refuse.reason(),
          head.method()
              + " "
              + (target.length() > LOGGED_TARGET
                  ? target.substring(0, LOGGED_TARGET) + "..."
                  : target)
              + " from "
              + client);
      // A refused request may have a body or more requests behind it: read none of them.
      return new Reply.Now(
          refuse.status() == 405
              ? text(refuse.status(), refuse.reason() + "\n", true, "Allow", "GET, HEAD")
              : text(refuse.status(), refuse.reason() + "\n", true));
    }
    if (admission instanceof Admission.Challenge challenge) {
      String realm = "Bearer realm=\"plateau\"";
      return new Reply.Now(
          challenge.route() == Route.PAGE || challenge.route() == Route.EXPERIMENT
              ? response(
                  401,
                  "text/html; charset=utf-8",
                  TokenPrompt.render(),
                  false,
                  "WWW-Authenticate",
                  realm)
              : text(
                  401,
                  "this needs the token: send Authorization: Bearer TOKEN\n",
                  false,
                  "WWW-Authenticate",
                  realm));
    }
    Admission.StartSession session = (Admission.StartSession) admission;
    return new Reply.Now(
        text(
            303,
            "see /\n",
            false,
            "Set-Cookie",
            RequestGate.SESSION_COOKIE
                + "="
                + session.cookieValue()
                + "; Path=/; Max-Age="
                + SESSION_LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict",
            "Location",
            "/"));
  }

  private HttpResponse healthz() {
    long beat = daemon.metrics().heartbeatMillis();
    long since = clock.millis() - (beat == 0 ? startedMillis : beat);
    boolean alive = since <= staleAfter.toMillis();
    return text(
        alive ? 200 : 503,
        alive ? "ok\n" : "main loop has not completed a round for " + since + " ms\n",
        false);
  }

  private HttpResponse readyz() {
    boolean ready = daemon.metrics().ready();
    return text(ready ? 200 : 503, ready ? "ready\n" : daemon.metrics().notReady() + "\n", false);
  }

  /**
   * On a render thread: {@code /metrics} in the format {@code accept} asks for, with the
   * experiments' names when {@code names}.
   */
  private HttpResponse scrape(@Nullable String accept, boolean names, String client) {
    try {
      MetricsEndpoint.Body body = metrics.scrape(accept, names);
      return response(200, body.contentType(), body.bytes(), false);
    } catch (IOException | RuntimeException e) {
      return failed(Route.METRICS, e, client);
    }
  }

  /** On a render thread. */
  private HttpResponse render(Route route, @Nullable String query, String client) {
    try {
      return switch (route) {
        case API_RUNS ->
            response(
                200,
                "application/json",
                RunsJson.render(daemon.watchers(), RunsJson.Slice.of(query)),
                false);
        case PAGE ->
            response(
                200,
                "text/html; charset=utf-8",
                StatusPage.render(daemon.watchers(), PageQuery.of(query), tensorBoard),
                false);
        case EXPERIMENT -> {
          PageQuery asked = PageQuery.of(query);
          List<Delivery> deliveries = deliveriesOf(asked, client);
          String page = ExperimentPage.render(daemon.watchers(), asked, tensorBoard, deliveries);
          yield page == null
              ? text(404, "no such experiment (it may have left the logdir); see /\n", false)
              : response(200, "text/html; charset=utf-8", page, false);
        }
        case HEALTHZ, READYZ, METRICS, STYLE, SCRIPT ->
            throw new IllegalArgumentException(route + " is answered at once");
      };
    } catch (IOException | RuntimeException e) {
      return failed(route, e, client);
    }
  }

  private HttpResponse failed(Route route, Exception e, String client) {
    serverErrors.record("cannot answer " + route.path() + ": " + e, client);
    return text(500, "cannot answer " + route.path() + " now; the daemon's log says why\n", false);
  }

  /**
   * The newest deliveries of the experiment the page asks for, or null when they cannot be told
   * (stores and logdirs do not pair up, or the store failed: said in the log, the page goes on).
   */
  private @Nullable List<Delivery> deliveriesOf(PageQuery asked, String client) {
    // stores are one per logdir, in the watchers' order, when the daemon has both
    if (stores.size() != daemon.watchers().size()
        || asked.logdir() < 0
        || asked.logdir() >= stores.size()) {
      return null;
    }
    try {
      return stores.get(asked.logdir()).deliveriesOf(asked.name(), ExperimentPage.MAX_DELIVERIES);
    } catch (StateException e) {
      serverErrors.record("cannot read deliveries for the status page: " + e.getMessage(), client);
      return null;
    }
  }

  private HttpResponse staticFile(StaticFile file) {
    List<HeaderFields.Field> all = new ArrayList<>(SecurityHeaders.FIELDS);
    all.add(new HeaderFields.Field("Date", HTTP_DATE.format(clock.instant())));
    all.add(new HeaderFields.Field("Content-Type", file.type()));
    return new HttpResponse(200, all, file.bytes(), false);
  }

  /**
   * Links every experiment on the page to TensorBoard's scalars at {@code base} ({@code
   * --tensorboard-url}); null for no links.
   *
   * @throws IllegalArgumentException when {@code base} is not an http or https URL with a host
   */
  public void linkToTensorBoard(@Nullable URI base) {
    this.tensorBoard = TensorBoardLink.of(base);
  }

  /**
   * Checks a TensorBoard URL as {@link #linkToTensorBoard} would take it (null is fine).
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static void checkTensorBoardUrl(@Nullable URI base) {
    TensorBoardLink.of(base);
  }

  private HttpResponse text(int status, String body, boolean close, String... fields) {
    return response(status, "text/plain; charset=utf-8", body, close, fields);
  }

  private HttpResponse response(
      int status, String type, String body, boolean close, String... fields) {
    return response(status, type, body.getBytes(StandardCharsets.UTF_8), close, fields);
  }

  private HttpResponse response(
      int status, String type, byte[] body, boolean close, String... fields) {
    List<HeaderFields.Field> all = new ArrayList<>(SecurityHeaders.FIELDS);
    all.add(new HeaderFields.Field("Date", HTTP_DATE.format(clock.instant())));
    all.add(new HeaderFields.Field("Content-Type", type));
    all.addAll(HeaderFields.of(fields).fields());
    return new HttpResponse(status, all, body, close);
  }

  @Override
  public void close() {
    loop.stop();
    try {
      loopThread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    renderers.shutdownNow();
  }
}
