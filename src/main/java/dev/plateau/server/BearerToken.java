package dev.plateau.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token that opens {@code /api/*} and the status page. It keeps no copy of the token: only its
 * SHA-256 digest, to compare what a client presents in constant time (digests of equal length, so
 * neither the content nor the length of the token shows in the time taken), and the value of the
 * browser session cookie, an HMAC of a fixed text keyed by the token (so the cookie never carries
 * the token itself, and changing the token ends every session). {@link #toString()} is a mask.
 */
public final class BearerToken {
  /** Shortest token accepted: anything shorter is guessable. */
  public static final int MIN_LENGTH = 16;

  /** Longest token accepted: it must fit in a request header. */
  public static final int MAX_LENGTH = 1024;

  private static final byte[] SESSION_LABEL =
      "plateau status page session v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] digest;
  private final String session;

  private BearerToken(byte[] digest, String session) {
    this.digest = digest;
    this.session = session;
  }

  /**
   * A token of {@link #MIN_LENGTH} to {@link #MAX_LENGTH} visible ASCII characters (no spaces, so
   * that it travels unchanged in a header, a cookie and a query), e.g. {@code openssl rand -hex
   * 32}.
   *
   * @throws IllegalArgumentException saying what is wrong with it, never quoting it
   */
  public static BearerToken of(String token) {
    if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "is "
              + token.length()
              + " characters long; a token must have "
              + MIN_LENGTH
              + " to "
              + MAX_LENGTH
              + " (make one with: openssl rand -hex 32)");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "holds a character at position "
                + (i + 1)
                + " that is not visible ASCII; a token is letters, digits and punctuation without"
                + " spaces (make one with: openssl rand -hex 32)");
      }
    }
    byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
    return new BearerToken(sha256(bytes), sessionValue(bytes));
  }

  /** Whether {@code presented} is the token. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(presented.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether {@code cookie} is this token's session cookie value. */
  boolean matchesSession(String cookie) {
    if (cookie == null) {
      return false;
    }
    byte[] expected = sha256(session.getBytes(StandardCharsets.US_ASCII));
    return MessageDigest.isEqual(expected, sha256(cookie.getBytes(StandardCharsets.UTF_8)));
  }

  /** The value of the session cookie given to a browser that presented the token. */
  String sessionValue() {
    return session;
  }

  @Override
  public String toString() {
    return "BearerToken[***]";
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private static String sessionValue(byte[] token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(SESSION_LABEL));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
