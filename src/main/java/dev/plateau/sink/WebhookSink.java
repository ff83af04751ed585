package dev.plateau.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.detect.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs the alert's payload as JSON to a URL, following Standard Webhooks: headers {@code
 * webhook-id} (the alert's id, stable across retries, for the receiver's deduplication), {@code
 * webhook-timestamp} (Unix seconds of this attempt, from the injected clock) and, when a signing
 * secret is configured, {@code webhook-signature} ({@link WebhookSigner}). The body is the payload
 * serialized once per attempt, and the signature covers exactly those bytes.
 *
 * <p>Outcomes: 2xx delivered; no answer (refused, reset, timeout), 408, 429 and 5xx retry later,
 * after the receiver's Retry-After (seconds or HTTP-date, capped by {@link
 * SinkSettings#maxRetryAfter()}) when given; 3xx and other 4xx rejected, with the status and the
 * start of the body. Reasons and logs name the sink and its scheme and host, never the URL's path
 * or query or the signing secret.
 */
public final class WebhookSink implements AlertSink {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SinkSettings settings;
  private final URI uri;
  private final WebhookSigner signer;
  private final Clock clock;
  private final HttpClient client;
  private final Redactor redactor;

  /**
   * @param settings name, URL, filter and limits
   * @param signingSecret a {@code whsec_...} secret, or null to send unsigned
   * @param clock the time of {@code webhook-timestamp} and of Retry-After dates
   * @param client the HTTP client; {@link SinkSettings#newHttpClient()} applies the connect timeout
   * @throws SinkConfigException when the URL or the signing secret cannot be used
   */
  public WebhookSink(
      SinkSettings settings, @Nullable Secret signingSecret, Clock clock, HttpClient client) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.uri = settings.uri();
    this.signer = signingSecret == null ? null : WebhookSigner.of(signingSecret);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.client = Objects.requireNonNull(client, "client");
    this.redactor = new Redactor(uri, signingSecret);
  }

  /** A sink with its own client, from {@link SinkSettings#newHttpClient()}. */
  public WebhookSink(SinkSettings settings, Secret signingSecret, Clock clock) {
    this(settings, signingSecret, clock, settings.newHttpClient());
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public boolean accepts(Status status) {
    return settings.filter().accepts(status);
  }

  @Override
  public DeliveryOutcome deliver(Alert alert) throws InterruptedException {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(alert.payload());
    } catch (JsonProcessingException e) {
      return new DeliveryOutcome.Rejected(
          settings.label() + ": the payload cannot be written as JSON: " + e.getOriginalMessage());
    }
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", alert.id());
    headers.put("webhook-timestamp", Long.toString(timestamp));
    if (signer != null) {
      headers.put("webhook-signature", signer.sign(alert.id(), timestamp, body));
    }
    LOG.debug("{}: POST alert {} ({} bytes)", settings.label(), alert.id(), body.length);
    JsonPost.Result result =
        JsonPost.send(
            client,
            uri,
            body,
            headers,
            settings.requestTimeout(),
            settings.maxExcerptBytes(),
            redactor);
    return HttpOutcomes.classify(result, settings, clock.instant(), null);
  }

  @Override
  public String toString() {
    return "WebhookSink[" + settings.label() + (signer == null ? ", unsigned" : ", signed") + "]";
  }
}
