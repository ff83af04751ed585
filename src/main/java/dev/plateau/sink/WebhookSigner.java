package dev.plateau.sink;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks' symmetric signature: {@code v1,} then the base64 HMAC-SHA256 of {@code
 * {id}.{timestamp}.{body}}, keyed with the secret's bytes.
 *
 * <p>The secret is written as the spec serializes it, {@code whsec_} and base64. Without the prefix
 * it is read as bare base64, as the reference libraries do. Anything else is refused rather than
 * used as raw text: a typo in the base64 would otherwise yield a different key without a word, and
 * every signature would fail at the receiver. The decoded key must have at least 24 bytes (the
 * spec's minimum); make one with {@code echo whsec_$(openssl rand -base64 32)}.
 */
public final class WebhookSigner {
  /** The spec's prefix for serialized symmetric secrets. */
  public static final String PREFIX = "whsec_";

  /** The spec's minimum key size: 24 bytes (192 bits). */
  public static final int MIN_KEY_BYTES = 24;

  private static final String HMAC = "HmacSHA256";
  private final SecretKeySpec key;

  private WebhookSigner(byte[] key) {
    this.key = new SecretKeySpec(key, HMAC);
  }

  /**
   * The signer for a {@code whsec_...} (or bare base64) secret.
   *
   * @throws SinkConfigException naming the secret's source when it is not base64 or too short
   */
  public static WebhookSigner of(Secret secret) {
    String text = secret.reveal().strip();
    if (text.startsWith(PREFIX)) {
      text = text.substring(PREFIX.length());
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new SinkConfigException(
          "the signing secret from "
              + secret.source()
              + " is not "
              + PREFIX
              + " followed by base64 (bare base64 is accepted too); make one with: echo "
              + PREFIX
              + "$(openssl rand -base64 32)");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new SinkConfigException(
          "the signing secret from "
              + secret.source()
              + " decodes to "
              + key.length
              + " bytes; Standard Webhooks requires at least "
              + MIN_KEY_BYTES
              + "; make one with: echo "
              + PREFIX
              + "$(openssl rand -base64 32)");
    }
    return new WebhookSigner(key);
  }

  /** The {@code webhook-signature} header value for these exact body bytes. */
  public String sign(String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is in every JDK and any byte key is valid for it.
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSigner[key=***]";
  }
}
