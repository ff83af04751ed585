package dev.plateau.sink;

import static dev.plateau.format.VerdictJson.BEST_STEP;
import static dev.plateau.format.VerdictJson.BEST_VALUE;
import static dev.plateau.format.VerdictJson.DECIDED_AT_STEP;
import static dev.plateau.format.VerdictJson.DETECTOR;
import static dev.plateau.format.VerdictJson.LAST_STEP;
import static dev.plateau.format.VerdictJson.MODE;
import static dev.plateau.format.VerdictJson.REASON;
import static dev.plateau.format.VerdictJson.RUN;
import static dev.plateau.format.VerdictJson.STATUS;
import static dev.plateau.format.VerdictJson.TAG;
import static dev.plateau.sink.AlertPayload.EXPERIMENT;
import static dev.plateau.sink.AlertPayload.HOST;
import static dev.plateau.sink.AlertPayload.LOGDIR;
import static dev.plateau.sink.AlertPayload.PREVIOUS_STATUS;
import static dev.plateau.sink.AlertPayload.TIME;
import static dev.plateau.sink.AlertPayload.VALUES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Status;
import dev.plateau.format.Sparkline;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The Slack incoming-webhook message for an alert, read from its payload ({@link AlertPayload}):
 * {@code text}, a one-line fallback shown in notifications ("✅ exp1 converged — val_loss best 0.312
 * at step 4200"), and Block Kit {@code blocks}: a header, the facts as mrkdwn fields (run, tag,
 * status, best value and step, decided step, detector, experiment, host), the reason, a sparkline
 * of the recent values, and the logdir and time.
 *
 * <p>Slack's documented limits are kept by cutting text with an ellipsis: header 150 characters,
 * section text 3000, at most 10 fields of 2000 each; the fallback text is kept to 3000 too (Slack
 * truncates messages far longer, but a notification line needs no more). Every text taken from the
 * payload has {@code &}, {@code <} and {@code >} escaped as Slack requires, so that a run named
 * {@code <!channel>} cannot ping anyone nor a tag make a link.
 */
public final class SlackMessage {
  static final int HEADER_MAX = 150;
  static final int SECTION_TEXT_MAX = 3000;
  static final int FIELD_MAX = 2000;
  static final int FIELDS_MAX = 10;
  static final int TEXT_MAX = 3000;
  static final int SPARKLINE_WIDTH = 40;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SlackMessage() {}

  /** The message for an alert; fields missing from the payload show as "–". */
  public static ObjectNode of(Alert alert) {
    JsonNode p = alert.payload();
    Status status = alert.status();
    // a status this version does not know (read back from the outbox) is shown as written
    String statusWords = status != null ? words(status) : words(text(p, STATUS));
    String subject =
        alert.experiment() == null || alert.experiment().isBlank()
            ? text(p, RUN)
            : alert.experiment();
    String tag = text(p, TAG);
    String best = number(p.path(BEST_VALUE));
    String bestStep = text(p, BEST_STEP);

    ObjectNode message = NODES.objectNode();
    message.put(
        "text",
        cut(
            escape(
                emoji(status)
                    + " "
                    + subject
                    + " "
                    + statusWords
                    + " — "
                    + tag
                    + " best "
                    + best
                    + " at step "
                    + bestStep),
            TEXT_MAX));

    ArrayNode blocks = message.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header
        .putObject("text")
        .put("type", "plain_text")
        .put("emoji", true)
        .put("text", cut(escape(emoji(status) + " " + subject + " " + statusWords), HEADER_MAX));

    String previous = p.path(PREVIOUS_STATUS).isTextual() ? p.path(PREVIOUS_STATUS).asText() : "";
    String[][] facts = {
      {"Run", text(p, RUN)},
      {"Tag", tag + " (" + text(p, MODE) + ")"},
      {"Status", statusWords + (previous.isEmpty() ? "" : " (was " + words(previous) + ")")},
      {"Best", best + " at step " + bestStep},
      {"Decided at step", text(p, DECIDED_AT_STEP) + " (last step " + text(p, LAST_STEP) + ")"},
      {"Detector", text(p, DETECTOR)},
      {"Experiment", text(p, EXPERIMENT)},
      {"Host", text(p, HOST)},
    };
    ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
    for (int i = 0; i < facts.length && i < FIELDS_MAX; i++) {
      fields.add(mrkdwn(cut("*" + facts[i][0] + "*\n" + escape(facts[i][1]), FIELD_MAX)));
    }

    blocks.add(section(cut("*Reason*\n" + escape(text(p, REASON)), SECTION_TEXT_MAX)));

    double[] values = values(p.path(VALUES));
    if (values.length > 0) {
      String line = Sparkline.of(values, values.length, SPARKLINE_WIDTH);
      blocks.add(
          section(
              cut(
                  "*Last " + values.length + " values*\n`" + line + "`  " + escape(range(values)),
                  SECTION_TEXT_MAX)));
    }

    ObjectNode context = blocks.addObject().put("type", "context");
    context
        .putArray("elements")
        .add(
            mrkdwn(
                cut(
                    escape("logdir " + text(p, LOGDIR) + " · " + text(p, TIME)),
                    SECTION_TEXT_MAX)));
    return message;
  }

  /** Slack's escaping: {@code &}, {@code <} and {@code >} as HTML entities, nothing else. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * At most {@code max} characters (UTF-16 units, as Slack counts), ending in "…" when cut, and
   * never inside an entity or a surrogate pair.
   */
  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    if (max < 2) {
      return "…";
    }
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    int amp = s.lastIndexOf('&', end - 1);
    if (amp >= 0 && amp > end - 5 && s.indexOf(';', amp) >= end) {
      end = amp;
    }
    return s.substring(0, end) + "…";
  }

  private static ObjectNode section(String mrkdwnText) {
    ObjectNode section = NODES.objectNode().put("type", "section");
    section.set("text", mrkdwn(mrkdwnText));
    return section;
  }

  private static ObjectNode mrkdwn(String s) {
    return NODES.objectNode().put("type", "mrkdwn").put("text", s);
  }

  private static String text(JsonNode p, String field) {
    JsonNode n = p.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return "–";
    }
    return n.isTextual() ? n.asText() : n.toString();
  }

  /** "target_reached" as "target reached". */
  private static String words(Status status) {
    return words(status.jsonName());
  }

  private static String words(String status) {
    return status.replace('_', ' ');
  }

  private static String emoji(@Nullable Status status) {
    if (status == null) {
      return ":information_source:";
    }
    return switch (status) {
      case CONVERGED -> ":white_check_mark:";
      case TARGET_REACHED -> ":dart:";
      case DIVERGED -> ":rotating_light:";
      case OVERFITTING -> ":warning:";
      case STALLED -> ":hourglass:";
      case NOT_LEARNING -> ":zzz:";
      case LAGGING -> ":turtle:";
      case TRAINING -> ":arrow_forward:";
    };
  }

  /** A value for people: four significant digits, "NaN" and the infinities as written. */
  static String number(JsonNode n) {
    if (n.isNumber()) {
      return format(n.asDouble());
    }
    if (n.isMissingNode() || n.isNull()) {
      return "–";
    }
    return n.asText();
  }

  static String format(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-4 || a >= 1e7)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static double[] values(JsonNode array) {
    if (!array.isArray()) {
      return new double[0];
    }
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = array.get(i);
      if (n.isNumber()) {
        out[i] = n.asDouble();
      } else {
        out[i] =
            switch (n.asText()) {
              case "Infinity" -> Double.POSITIVE_INFINITY;
              case "-Infinity" -> Double.NEGATIVE_INFINITY;
              default -> Double.NaN;
            };
      }
    }
    return out;
  }

  private static String range(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return min > max ? "" : "min " + format(min) + ", max " + format(max);
  }
}
