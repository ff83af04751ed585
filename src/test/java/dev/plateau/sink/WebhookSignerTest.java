package dev.plateau.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  // The test vector of the Standard Webhooks reference libraries, e.g.
  // standard-webhooks/standard-webhooks, libraries/java/src/test/java/com/standardwebhooks/
  // WebhookTest.java, verifyWebhookSignWorks (the same values are in the other languages' tests).
  private static final String VECTOR_KEY = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long VECTOR_TIMESTAMP = 1614265330L;
  private static final String VECTOR_PAYLOAD = "{\"test\": 2432232314}";
  private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void signsTheStandardWebhooksTestVector() {
    WebhookSigner signer = WebhookSigner.of(Secret.fromValue(VECTOR_KEY));

    assertThat(
            signer.sign(
                VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(VECTOR_SIGNATURE);
  }

  @Test
  void secretWithoutPrefixIsReadAsBareBase64LikeTheReferenceLibraries() {
    WebhookSigner signer =
        WebhookSigner.of(Secret.fromValue(VECTOR_KEY.substring("whsec_".length())));

    assertThat(
            signer.sign(
                VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(VECTOR_SIGNATURE);
  }

  @Test
  void secretThatIsNotBase64IsRefusedNamingItsSourceNotItsValue() {
    assertThatThrownBy(
            () -> WebhookSigner.of(Secret.fromEnv("HOOK_SECRET", n -> "whsec_not*base64!")))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("HOOK_SECRET")
        .hasMessageContaining("openssl rand -base64 32")
        .hasMessageNotContaining("not*base64");
  }

  @Test
  void keyShorterThanTwentyFourBytesIsRefused() {
    // "c2hvcnQ=" is "short".
    assertThatThrownBy(() -> WebhookSigner.of(Secret.fromValue("whsec_c2hvcnQ=")))
        .isInstanceOf(SinkConfigException.class)
        .hasMessageContaining("5 bytes")
        .hasMessageContaining("at least 24");
  }

  @Test
  void toStringDoesNotShowTheKey() {
    assertThat(WebhookSigner.of(Secret.fromValue(VECTOR_KEY)).toString())
        .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  }
}
