package dev.plateau.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.detect.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to a Slack incoming webhook as a {@link SlackMessage}. The URL is the credential: it
 * lives in a {@link Secret} and reasons and logs show only {@code https://hooks.slack.com}.
 *
 * <p>Outcomes, after Slack's documented answers: 200 with body {@code ok} delivered (any other 2xx
 * too, with a warning, for Slack-compatible receivers that answer otherwise); 403 ({@code
 * invalid_token}, {@code action_prohibited}), 404 ({@code no_service}, {@code channel_not_found})
 * and 410 ({@code channel_is_archived}) rejected, as are other 4xx such as 400 {@code
 * invalid_payload}, each with the body and a hint; 429 (rate limited), 408 and 5xx ({@code
 * rollup_error}) retry later, after Retry-After when given. Slack allows about one message per
 * second per webhook: {@link #minInterval()}.
 */
public final class SlackSink implements AlertSink {
  /** Slack's pace for incoming webhooks: about one message per second. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(SlackSink.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, String> HINTS =
      Map.ofEntries(
          Map.entry("invalid_token", "the webhook URL was revoked or is wrong: create a new one"),
          Map.entry("no_service", "the webhook URL was revoked or is wrong: create a new one"),
          Map.entry("no_team", "the workspace of this webhook no longer exists"),
          Map.entry("team_disabled", "the workspace of this webhook is disabled"),
          Map.entry("action_prohibited", "the workspace restricts posting through this webhook"),
          Map.entry("channel_not_found", "the webhook's channel no longer exists"),
          Map.entry("channel_is_archived", "the webhook's channel is archived"),
          Map.entry("posting_to_general_channel_denied", "only admins may post to this channel"),
          Map.entry("invalid_payload", "Slack could not read the message: please report this"),
          Map.entry("rate_limited", "Slack limits a webhook to about one message per second"),
          Map.entry("rollup_error", "an error on Slack's side"));

  private final SinkSettings settings;
  private final URI uri;
  private final Clock clock;
  private final HttpClient client;
  private final Redactor redactor;

  /**
   * @param settings name, URL (the incoming webhook, as a secret), filter and limits
   * @param clock the time for Retry-After dates
   * @param client the HTTP client; {@link SinkSettings#newHttpClient()} applies the connect timeout
   * @throws SinkConfigException when the URL cannot be used
   */
  public SlackSink(SinkSettings settings, Clock clock, HttpClient client) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.uri = settings.uri();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.client = Objects.requireNonNull(client, "client");
    this.redactor = new Redactor(uri);
  }

  /** A sink with its own client, from {@link SinkSettings#newHttpClient()}. */
  public SlackSink(SinkSettings settings, Clock clock) {
    this(settings, clock, settings.newHttpClient());
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
  public Duration minInterval() {
    return MIN_INTERVAL;
  }

  @Override
  public DeliveryOutcome deliver(Alert alert) throws InterruptedException {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(SlackMessage.of(alert));
    } catch (JsonProcessingException e) {
      return new DeliveryOutcome.Rejected(
          settings.label() + ": the message cannot be written as JSON: " + e.getOriginalMessage());
    }
    LOG.debug("{}: POST alert {} ({} bytes)", settings.label(), alert.id(), body.length);
    JsonPost.Result result =
        JsonPost.send(
            client,
            uri,
            body,
            Map.of(),
            settings.requestTimeout(),
            settings.maxExcerptBytes(),
            redactor);
    String hint = null;
    if (result instanceof JsonPost.Answered answer) {
      hint = HINTS.get(answer.excerpt().strip());
      if (answer.status() / 100 == 2 && !answer.excerpt().strip().equals("ok")) {
        LOG.warn(
            "{}: HTTP {} but the body is not Slack's \"ok\": {}",
            settings.label(),
            answer.status(),
            answer.excerpt());
      }
    }
    return HttpOutcomes.classify(result, settings, clock.instant(), hint);
  }

  @Override
  public String toString() {
    return "SlackSink[" + settings.label() + "]";
  }
}
