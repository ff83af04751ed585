package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.plateau.write.EventFileWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * With a token, the status page and /api/runs need it (as a bearer header, or as the session cookie
 * a browser gets for opening the page with {@code ?token=} once) while the probes stay open;
 * nothing the server says contains the token.
 */
class StatusServerTokenTest {
  static final String TOKEN = "tok-3f9c2a7be41d5068-c0ffee";
  static final String OTHER = "tok-0000000000000000-decade";

  @TempDir static Path temp;
  static RunningServer running;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    Path logdir = temp.resolve("logs");
    double start = System.currentTimeMillis() / 1000.0 - 100;
    try (EventFileWriter w = EventFileWriter.create(logdir.resolve("exp1"), start, "h", 0)) {
      for (int t = 0; t < 40; t++) {
        w.simpleValue("val_loss", t, start + t, (float) (5 - 0.1 * t));
      }
    }
    running = new RunningServer(temp, logdir, "127.0.0.1", BearerToken.of(TOKEN));
    port = running.port();
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  static void assertChallenged(RawHttp.Response r, String what) {
    assertThat(r.status()).as(what).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate"))
        .as(what)
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(r.body()).as(what).doesNotContain("exp1", "val_loss", "logdirs");
  }

  @Test
  void pageAndApiNeedTheTokenAndSayBearer() throws Exception {
    for (String path : List.of("/", "/api/runs")) {
      assertChallenged(RawHttp.get(port, path), path + " without a token");
      assertChallenged(
          RawHttp.get(port, path, "Authorization: Bearer " + OTHER), path + " with another token");
      assertChallenged(
          RawHttp.get(port, path, "Authorization: Bearer " + TOKEN.substring(0, 20)),
          path + " with a prefix");
      assertChallenged(
          RawHttp.get(port, path, "Authorization: Bearer " + TOKEN + "x"), path + " with more");
      assertChallenged(
          RawHttp.get(port, path, "Authorization: Basic " + TOKEN), path + " as another scheme");
      assertChallenged(
          RawHttp.get(port, path, "Authorization: " + TOKEN), path + " without a scheme");
      assertChallenged(
          RawHttp.get(port, path, "Cookie: plateau_session=" + TOKEN),
          path + " with the token as cookie");
    }
    assertThat(RawHttp.get(port, "/").body())
        .as("the browser is asked for the token")
        .contains("name=\"token\"");
  }

  @Test
  void theRightBearerTokenOpensPageAndApi() throws Exception {
    RawHttp.Response api = RawHttp.get(port, "/api/runs", "Authorization: Bearer " + TOKEN);
    assertThat(api.status()).isEqualTo(200);
    assertThat(api.body()).contains("\"run\":\"exp1\"");
    RawHttp.Response page = RawHttp.get(port, "/", "Authorization: bearer " + TOKEN);
    assertThat(page.status()).as("the scheme is case-insensitive").isEqualTo(200);
    assertThat(page.body()).contains("data-run=\"exp1\"");
  }

  @Test
  void probesStayOpenWithoutTheToken() throws Exception {
    assertThat(RawHttp.get(port, "/healthz").status()).isEqualTo(200);
    assertThat(RawHttp.get(port, "/readyz").status()).isIn(200, 503);
    RawHttp.Response metrics = RawHttp.get(port, "/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("plateau_watched_experiments 1.0");
  }

  @Test
  void metricsNameExperimentsOnlyToScrapersThatCarryTheToken() throws Exception {
    String open = RawHttp.get(port, "/metrics").body();
    assertThat(open)
        .as("names and paths stay behind the token, as on the page and /api/runs")
        .doesNotContain("plateau_experiment_status{", "exp1", temp.toString())
        .contains("plateau_experiments{status=\"training\"} 1.0");
    String withToken = RawHttp.get(port, "/metrics", "Authorization: Bearer " + TOKEN).body();
    assertThat(withToken)
        .contains("plateau_experiment_status{experiment=\"exp1\",")
        .contains("status=\"training\"} 1.0");
  }

  @Test
  void openingThePageWithTheTokenOnceGivesAnHttpOnlyStrictSessionCookie() throws Exception {
    RawHttp.Response login = RawHttp.get(port, "/?token=" + TOKEN);
    assertThat(login.status()).isEqualTo(303);
    assertThat(login.header("Location")).contains("/");
    String setCookie = login.header("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(RequestGate.SESSION_COOKIE + "=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=")
        .doesNotContain(TOKEN);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    RawHttp.Response page = RawHttp.get(port, "/", "Cookie: other=1; " + cookie);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("data-run=\"exp1\"");
    assertThat(RawHttp.get(port, "/api/runs", "Cookie: " + cookie).status()).isEqualTo(200);

    String forged =
        cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("AA") ? "BB" : "AA");
    assertChallenged(RawHttp.get(port, "/", "Cookie: " + forged), "an altered cookie");
    String otherTokens = RequestGate.SESSION_COOKIE + "=" + BearerToken.of(OTHER).sessionValue();
    assertChallenged(RawHttp.get(port, "/", "Cookie: " + otherTokens), "another token's cookie");
  }

  @Test
  void aWrongQueryTokenOrAQueryTokenOnTheApiGetsNoSession() throws Exception {
    RawHttp.Response wrong = RawHttp.get(port, "/?token=" + OTHER);
    assertChallenged(wrong, "wrong ?token");
    assertThat(wrong.header("Set-Cookie")).isEmpty();
    assertChallenged(RawHttp.get(port, "/api/runs?token=" + TOKEN), "?token on the API");
    RawHttp.Response malformed = RawHttp.get(port, "/?token=%zz");
    assertThat(malformed.status()).as("the JDK refuses a malformed URI itself").isIn(400, 401);
    assertThat(malformed.header("Set-Cookie")).isEmpty();
  }

  @Test
  void noResponseContainsTheToken() throws Exception {
    List<RawHttp.Response> responses =
        List.of(
            RawHttp.get(port, "/?token=" + TOKEN),
            RawHttp.get(port, "/?token=" + OTHER),
            RawHttp.get(port, "/", "Authorization: Bearer " + TOKEN),
            RawHttp.get(port, "/api/runs", "Authorization: Bearer " + TOKEN),
            RawHttp.get(port, "/metrics"),
            RawHttp.get(port, "/api/runs"),
            RawHttp.get(port, "/nope?token=" + TOKEN));
    for (RawHttp.Response r : responses) {
      assertThat(r.body()).doesNotContain(TOKEN);
      assertThat(r.headers()).noneMatch(h -> h.contains(TOKEN));
    }
  }

  @Test
  void bindingBeyondLoopbackWithoutATokenIsWarnedAboutAtStartUp() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(StatusServer.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      try (RunningServer open =
          new RunningServer(temp.resolve("a"), temp.resolve("logs"), "0.0.0.0", null)) {
        assertThat(RawHttp.get(open.port(), "/healthz").status()).isEqualTo(200);
      }
      assertThat(logs.list)
          .anySatisfy(
              e -> {
                assertThat(e.getLevel().toString()).isEqualTo("WARN");
                assertThat(e.getFormattedMessage()).contains("no token", "PLATEAU_HTTP_TOKEN");
              });
      logs.list.clear();
      try (RunningServer guarded =
              new RunningServer(
                  temp.resolve("b"), temp.resolve("logs"), "0.0.0.0", BearerToken.of(TOKEN));
          RunningServer local =
              new RunningServer(temp.resolve("c"), temp.resolve("logs"), "127.0.0.1", null)) {
        assertThat(guarded.port()).isNotEqualTo(local.port());
      }
      assertThat(logs.list).noneMatch(e -> e.getLevel().toString().equals("WARN"));
      assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(TOKEN));
    } finally {
      logger.detachAppender(logs);
    }
  }
}
