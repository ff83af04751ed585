package dev.plateau.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server answers its own five routes and nothing else, only to GET and HEAD, never reads a
 * request body, answers only loopback host names when bound to loopback, and puts the same
 * conservative headers on every response. Requests go over a raw socket, exactly as written.
 */
class StatusServerRoutesTest {
  @TempDir static Path temp;
  static RunningServer running;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    // A file beside the logdir that a file-serving or traversing server could hand out.
    Files.writeString(temp.resolve("secret.txt"), "root:x:0:0 do-not-serve");
    running = new RunningServer(temp, temp.resolve("logs"), "127.0.0.1", null);
    port = running.port();
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/api/runs/../../secret.txt",
        "/api/runs/",
        "/api/runs/x",
        "/api",
        "/api/",
        "/%61pi/runs",
        "/API/runs",
        "/healthz/",
        "/healthz/..",
        "/index.html",
        "/secret.txt",
        "/logs",
        "/./healthz",
        "/healthz%00",
        "/favicon.ico"
      })
  void everyPathButTheRoutesIs404WithoutContent(String path) throws Exception {
    RawHttp.Response r = RawHttp.get(port, path);
    assertThat(r.status()).as(path).isEqualTo(404);
    assertThat(r.body()).isEqualTo("not found\n");
  }

  @Test
  void theFiveRoutesAnswerByTheirExactNames() throws Exception {
    for (String path : List.of("/", "/healthz", "/readyz", "/metrics", "/api/runs")) {
      assertThat(RawHttp.get(port, path).status()).as(path).isIn(200, 503);
    }
    assertThat(RawHttp.get(port, "/healthz?probe=1").status())
        .as("a query does not change the route")
        .isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"})
  void methodsOtherThanGetAndHeadAre405NamingTheAllowedOnes(String method) throws Exception {
    RawHttp.Response r = RawHttp.request(port, method, "/api/runs");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).contains("GET, HEAD");
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    var r = StatusServerTest.get(running.server.address(), "/metrics", "HEAD");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void headCarriesTheContentLengthItsGetWouldHaveAndNoBody() throws Exception {
    for (String path : List.of("/", "/healthz", "/readyz", "/api/runs", "/nope")) {
      RawHttp.Response get = RawHttp.get(port, path);
      RawHttp.Response head = RawHttp.head(port, path);
      assertThat(head.status()).as(path).isEqualTo(get.status());
      assertThat(head.header("Content-Length"))
          .as(path)
          .contains(Integer.toString(get.body().getBytes(UTF_8).length));
      assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
      assertThat(head.body()).as(path).isEmpty();
      assertThat(head.closed()).as(path + ": closed after the head, no body sent").isTrue();
    }
    assertThat(RawHttp.head(port, "/metrics").header("Content-Length"))
        .hasValueSatisfying(length -> assertThat(Integer.parseInt(length)).isPositive());
  }

  @Test
  void requestWithABodyIsRefusedAndItsConnectionClosedUnread() throws Exception {
    String body = "x".repeat(100_000);
    RawHttp.Response fixed =
        RawHttp.send(
            port,
            "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
    assertThat(fixed.status()).isEqualTo(413);
    assertThat(fixed.closed()).as("the body is not drained for another request").isTrue();
    RawHttp.Response chunked =
        RawHttp.send(
            port,
            "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(chunked.closed()).isTrue();
    RawHttp.Response posted =
        RawHttp.send(port, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello");
    assertThat(posted.status()).isEqualTo(405);
    assertThat(posted.closed()).isTrue();
    RawHttp.Response empty = RawHttp.get(port, "/healthz", "Content-Length: 0");
    assertThat(empty.status()).as("an empty body is no body").isEqualTo(200);
  }

  @Test
  void everyResponseCarriesTheConservativeHeaders() throws Exception {
    List<RawHttp.Response> responses =
        List.of(
            RawHttp.get(port, "/"),
            RawHttp.get(port, "/healthz"),
            RawHttp.get(port, "/readyz"),
            RawHttp.get(port, "/metrics"),
            RawHttp.get(port, "/api/runs"),
            RawHttp.get(port, "/nope"),
            RawHttp.request(port, "POST", "/"),
            RawHttp.get(port, "/", "Content-Length: 3"),
            RawHttp.send(
                port, "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"));
    for (RawHttp.Response r : responses) {
      String what = "HTTP " + r.status();
      assertThat(r.header("X-Content-Type-Options")).as(what).contains("nosniff");
      assertThat(r.header("Referrer-Policy")).as(what).contains("no-referrer");
      assertThat(r.header("Cache-Control")).as(what).contains("no-store");
      assertThat(r.header("X-Frame-Options")).as(what).contains("DENY");
      assertThat(r.header("Content-Security-Policy"))
          .as(what)
          .hasValueSatisfying(
              csp ->
                  assertThat(csp)
                      .contains(
                          "default-src 'none'", "frame-ancestors 'none'", "script-src 'self';")
                      .as("scripts: Plateau's own file only, never inline, never elsewhere")
                      .doesNotContainPattern("script-src[^;]*(unsafe|:|\\*)"));
      assertThat(r.header("Content-Type")).as(what).isPresent();
    }
  }

  @Test
  void aLoopbackServerRefusesForeignHostNamesAgainstDnsRebinding() throws Exception {
    for (String host :
        List.of(
            "attacker.example",
            "attacker.example:" + port,
            "10.0.0.1",
            "localhost.attacker.example",
            "127.0.0.1.nip.io")) {
      RawHttp.Response r =
          RawHttp.send(
              port, "GET /api/runs HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertThat(r.status()).as(host).isEqualTo(421);
      assertThat(r.body()).as(host).doesNotContain("logdirs");
    }
    for (String host :
        List.of(
            "127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "127.1.2.3")) {
      RawHttp.Response r =
          RawHttp.send(
              port, "GET /api/runs HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertThat(r.status()).as(host).isEqualTo(200);
    }
  }

  @Test
  void anAbsoluteFormTargetNamingAForeignHostIsRefusedLikeAForeignHostHeader() throws Exception {
    // RFC 9112 section 3.2.2: the target's authority wins over Host, so it is what is checked.
    for (String target :
        List.of(
            "http://evil.com/api/runs",
            "HTTP://evil.com:" + port + "/",
            "http://localhost.evil.com/healthz")) {
      RawHttp.Response r =
          RawHttp.send(
              port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertThat(r.status()).as(target).isEqualTo(421);
      assertThat(r.body()).as(target).doesNotContain("logdirs");
    }
    RawHttp.Response local =
        RawHttp.send(
            port,
            "GET http://127.0.0.1:"
                + port
                + "/api/runs HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n");
    assertThat(local.status()).as("a loopback authority, whatever Host says").isEqualTo(200);
    assertThat(local.body()).contains("logdirs");
    for (String target :
        List.of("http://localhost@evil.com/api/runs", "ftp://localhost/api/runs", "*")) {
      RawHttp.Response r =
          RawHttp.send(
              port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertThat(r.status()).as(target).isEqualTo(400);
    }
  }

  @Test
  void aNetworkPathIsAPathNotAnAuthority() throws Exception {
    RawHttp.Response r =
        RawHttp.send(
            port,
            "GET //evil.com/api/runs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(404);
  }

  @Test
  void twoHostFieldsAreRefused() throws Exception {
    RawHttp.Response r =
        RawHttp.send(
            port,
            "GET /api/runs HTTP/1.1\r\nHost: localhost\r\nHost: evil.com\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).doesNotContain("logdirs");
  }
}
