package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestGateTest {
  static final String TOKEN = "0123456789abcdef0123";

  static Admission admit(RequestGate gate, String method, String target, String... headerPairs) {
    return gate.admit(new RequestHead(method, target, "HTTP/1.1", HeaderFields.of(headerPairs)));
  }

  @Test
  void loopbackHostNamesAreLocalhostLoopbackAddressesAndNoHostAtAll() {
    assertThat(RequestGate.isLoopbackHost(null)).isTrue();
    for (String host :
        new String[] {
          "localhost",
          "localhost:9321",
          "127.0.0.1",
          "127.0.0.1:1",
          "127.255.0.9:80",
          "[::1]",
          "[::1]:9321",
          "LocalHost"
        }) {
      assertThat(RequestGate.isLoopbackHost(host)).as(host).isTrue();
    }
    for (String host :
        new String[] {
          "example.com",
          "localhost.example.com",
          "127.0.0.1.example.com",
          "[::2]:1",
          "10.0.0.1",
          "localhost:abc",
          "127.0.0.1:80:80",
          "",
          "[::1]x"
        }) {
      assertThat(RequestGate.isLoopbackHost(host)).as(host).isFalse();
    }
  }

  @Test
  void queryTokenIsDecodedAndMalformedQueriesGiveNone() {
    assertThat(RequestGate.queryToken("token=a%2Bb")).isEqualTo("a+b");
    assertThat(RequestGate.queryToken("x=1&token=abc")).isEqualTo("abc");
    assertThat(RequestGate.queryToken("mytoken=abc")).isNull();
    assertThat(RequestGate.queryToken("token=%zz")).isNull();
    assertThat(RequestGate.queryToken(null)).isNull();
  }

  @Test
  void checksComeInOrderMethodBodyHostRouteToken() {
    RequestGate gate = new RequestGate(BearerToken.of(TOKEN), true);
    assertThat(admit(gate, "POST", "/nope", "Host", "evil", "Content-Length", "4"))
        .isEqualTo(new Admission.Refuse(405, "only GET and HEAD"));
    assertThat(admit(gate, "GET", "/nope", "Host", "evil", "Content-Length", "4"))
        .extracting(a -> ((Admission.Refuse) a).status())
        .isEqualTo(413);
    assertThat(admit(gate, "GET", "/nope", "Host", "evil"))
        .extracting(a -> ((Admission.Refuse) a).status())
        .isEqualTo(421);
    assertThat(admit(gate, "GET", "/nope"))
        .extracting(a -> ((Admission.Refuse) a).status())
        .isEqualTo(404);
    assertThat(admit(gate, "GET", "/api/runs")).isEqualTo(new Admission.Challenge(Route.API_RUNS));
    assertThat(admit(gate, "HEAD", "/healthz")).isEqualTo(new Admission.Admit(Route.HEALTHZ));
    assertThat(admit(gate, "GET", "/?token=" + TOKEN)).isInstanceOf(Admission.StartSession.class);
  }

  @Test
  void withoutATokenGuardedRoutesAreOpenAndAnyHostIsServedWhenNotOnLoopback() {
    RequestGate gate = new RequestGate(null, false);
    assertThat(admit(gate, "GET", "/api/runs", "Host", "plateau.cluster.local"))
        .isEqualTo(new Admission.Admit(Route.API_RUNS));
    assertThat(admit(gate, "GET", "/", "Host", "10.1.2.3:9321"))
        .isEqualTo(new Admission.Admit(Route.PAGE));
  }

  @Test
  void anAbsoluteFormTargetsAuthorityIsTheHostCheckedAndWinsOverTheHostField() {
    RequestGate gate = new RequestGate(null, true);
    assertThat(admit(gate, "GET", "http://evil.com/api/runs", "Host", "localhost"))
        .isEqualTo(
            new Admission.Refuse(
                421, "this server answers to localhost and loopback addresses only"));
    assertThat(admit(gate, "GET", "http://localhost:9321/api/runs", "Host", "evil.com"))
        .isEqualTo(new Admission.Admit(Route.API_RUNS));
    assertThat(admit(gate, "GET", "http://[::1]:9321?probe=1"))
        .as("no path is /")
        .isEqualTo(new Admission.Admit(Route.PAGE));
    assertThat(admit(gate, "GET", "http://localhost@evil.com/"))
        .extracting(a -> ((Admission.Refuse) a).status())
        .isEqualTo(400);
    RequestGate open = new RequestGate(null, false);
    assertThat(admit(open, "GET", "http://plateau.cluster.local/healthz", "Host", "x"))
        .as("not bound to loopback: any host, routed by the path")
        .isEqualTo(new Admission.Admit(Route.HEALTHZ));
  }

  @Test
  void twoHostFieldsAreABadRequestEvenWhenBothAreLoopback() {
    RequestGate gate = new RequestGate(null, true);
    assertThat(admit(gate, "GET", "/healthz", "Host", "localhost", "Host", "127.0.0.1"))
        .extracting(a -> ((Admission.Refuse) a).status())
        .isEqualTo(400);
  }
}
