package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadScannerTest {
  static final HttpLimits LIMITS = HttpLimits.DEFAULTS;

  static HeadResult scanWhole(String head) {
    byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
    return new HeadScanner(LIMITS).scan(bytes, bytes.length);
  }

  static int status(String head) {
    return ((HeadResult.Malformed) scanWhole(head)).status();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n",
        "GET /healthz HTTP/1.1\nHost: 127.0.0.1\nAccept: */*\n\n",
        "\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n"
      })
  void aHeadFedOneByteAtATimeIsWholeExactlyWhenItsLastByteComes(String head) {
    byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
    HeadScanner scanner = new HeadScanner(LIMITS);
    for (int length = 1; length < bytes.length; length++) {
      assertThat(scanner.scan(bytes, length))
          .as("%d of %d bytes", length, bytes.length)
          .isInstanceOf(HeadResult.Incomplete.class);
    }
    HeadResult.Complete whole = (HeadResult.Complete) scanner.scan(bytes, bytes.length);
    assertThat(whole.length()).isEqualTo(bytes.length);
    assertThat(whole.head().method()).isEqualTo("GET");
    assertThat(whole.head().target()).isEqualTo("/healthz");
    assertThat(whole.head().fields().first("host")).isEqualTo("127.0.0.1");
    assertThat(whole.head().fields().first("ACCEPT")).isEqualTo("*/*");
  }

  @Test
  void bytesAfterTheHeadAreLeftForTheNextRequest() {
    String first = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
    HeadResult.Complete whole = (HeadResult.Complete) scanWhole(first + "GET /readyz HT");
    assertThat(whole.length()).isEqualTo(first.length());
  }

  @Test
  void fieldValuesLoseSurroundingWhitespaceAndKeepTheRest() {
    HeadResult.Complete whole =
        (HeadResult.Complete) scanWhole("GET / HTTP/1.0\r\nX-A: \t a  b \t\r\nX-Empty:\r\n\r\n");
    assertThat(whole.head().fields().first("X-A")).isEqualTo("a  b");
    assertThat(whole.head().fields().first("X-Empty")).isEmpty();
    assertThat(whole.head().keepAlive()).as("HTTP/1.0").isFalse();
  }

  @Test
  void whatAProxyMightReadDifferentlyIsRefusedNotGuessedAt() {
    assertThat(status("GET / HTTP/1.1\r\nHost: a\r\n folded: continuation\r\n\r\n"))
        .as("line folding")
        .isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nHost : a\r\n\r\n"))
        .as("space before the colon")
        .isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nHost: a\rX-Evil: 1\r\n\r\n"))
        .as("a bare CR")
        .isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n"))
        .as("NUL in a value")
        .isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nNo colon here\r\n\r\n")).as("no colon").isEqualTo(400);
    assertThat(status("GET  / HTTP/1.1\r\n\r\n")).as("two spaces").isEqualTo(400);
    assertThat(status("GET / http/1.1\r\n\r\n")).as("lower-case version").isEqualTo(400);
    assertThat(status("GET /caf\u00e9 HTTP/1.1\r\n\r\n"))
        .as("a raw non-ASCII byte in the target")
        .isEqualTo(400);
    assertThat(status("G(T / HTTP/1.1\r\n\r\n")).as("a method that is not a token").isEqualTo(400);
    assertThat(status("PRI * HTTP/2.0\r\n\r\n")).as("the HTTP/2 preface").isEqualTo(505);
    assertThat(status("GET / HTTP/0.9\r\n\r\n")).isEqualTo(505);
  }

  @Test
  void tooManyFieldsOrBytesAreRefusedBeforeTheHeadEnds() {
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i <= LIMITS.maxHeaderFields(); i++) {
      many.append("X-Same: v\r\n");
    }
    assertThat(scanWhole(many.toString()))
        .as("no empty line yet")
        .isEqualTo(
            new HeadResult.Malformed(
                431, "more than " + LIMITS.maxHeaderFields() + " header fields"));
    StringBuilder atTheLimit = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < LIMITS.maxHeaderFields(); i++) {
      atTheLimit.append("X-Same: v\r\n");
    }
    assertThat(scanWhole(atTheLimit + "\r\n")).isInstanceOf(HeadResult.Complete.class);
    String big = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(LIMITS.maxHeaderBytes());
    assertThat(status(big)).isEqualTo(431);
    assertThat(status("GET /" + "a".repeat(LIMITS.maxHeaderBytes())))
        .as("no line end yet")
        .isEqualTo(414);
    assertThat(status("\r\n".repeat(LIMITS.maxHeaderBytes())))
        .as("empty lines count")
        .isEqualTo(431);
  }
}
