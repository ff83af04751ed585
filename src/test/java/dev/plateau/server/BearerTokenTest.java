package dev.plateau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
  static final String TOKEN = "5f1d9c0a7e3b42c8a1d6f0e9b7c3a2d4";

  @Test
  void matchesOnlyTheExactToken() {
    BearerToken token = BearerToken.of(TOKEN);
    assertThat(token.matches(TOKEN)).isTrue();
    assertThat(token.matches(TOKEN.toUpperCase())).isFalse();
    assertThat(token.matches(TOKEN.substring(1))).isFalse();
    assertThat(token.matches(TOKEN + "0")).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(null)).isFalse();
  }

  @Test
  void sessionValueIsNeitherTheTokenNorSharedBetweenTokens() {
    BearerToken token = BearerToken.of(TOKEN);
    BearerToken other = BearerToken.of(TOKEN.replace('5', '6'));
    assertThat(token.sessionValue()).doesNotContain(TOKEN).hasSizeGreaterThanOrEqualTo(40);
    assertThat(token.sessionValue()).isNotEqualTo(other.sessionValue());
    assertThat(token.sessionValue()).isEqualTo(BearerToken.of(TOKEN).sessionValue());
    assertThat(token.matchesSession(token.sessionValue())).isTrue();
    assertThat(token.matchesSession(other.sessionValue())).isFalse();
    assertThat(token.matchesSession(TOKEN)).isFalse();
    assertThat(token.matchesSession(null)).isFalse();
  }

  @Test
  void toStringIsAMask() {
    assertThat(BearerToken.of(TOKEN).toString()).doesNotContain(TOKEN).contains("***");
  }

  @Test
  void shortOrUnprintableTokensAreRefusedWithoutQuotingThem() {
    String shortToken = "hunter2-hunter2";
    assertThatThrownBy(() -> BearerToken.of(shortToken))
        .hasMessageContaining("15 characters")
        .hasMessageNotContaining(shortToken);
    String spaced = "correct horse battery staple";
    assertThatThrownBy(() -> BearerToken.of(spaced))
        .hasMessageContaining("position 8")
        .hasMessageNotContaining(spaced);
    assertThatThrownBy(() -> BearerToken.of("é".repeat(20))).hasMessageContaining("visible ASCII");
    assertThatThrownBy(() -> BearerToken.of("a".repeat(BearerToken.MAX_LENGTH + 1)))
        .hasMessageContaining("1025");
    assertThat(BearerToken.of("a".repeat(BearerToken.MIN_LENGTH)).matches("a".repeat(16))).isTrue();
  }
}
