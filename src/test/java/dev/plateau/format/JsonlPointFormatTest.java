package dev.plateau.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.series.ScalarPoint;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonlPointFormatTest {
  /**
   * A strict parser: Jackson's defaults already reject NaN literals and raw control characters in
   * strings; trailing tokens are rejected too.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static String line(ScalarPoint point) throws IOException {
    StringBuilder out = new StringBuilder();
    JsonlPointFormat format = new JsonlPointFormat();
    format.begin(out);
    assertThat(out).isEmpty();
    format.point(out, point);
    String text = out.toString();
    assertThat(text).endsWith("\n");
    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1); // one line per point
    return text;
  }

  private static JsonNode parse(ScalarPoint point) throws IOException {
    return JSON.readTree(line(point));
  }

  private static ScalarPoint point(double value) {
    return new ScalarPoint("run", "file", "tag", 1, 2.5, value);
  }

  private static void assertRoundTrips(double value) throws IOException {
    ScalarPoint p = new ScalarPoint("r", "f", "t", 3, value, value);
    JsonNode node = parse(p);
    for (String field : List.of("value", "wall_time")) {
      JsonNode v = node.get(field);
      assertThat(v.isNumber()).as("%s of %s", field, value).isTrue();
      assertThat(Double.doubleToRawLongBits(v.doubleValue()))
          .as("%s of %s (%s)", field, value, v)
          .isEqualTo(Double.doubleToRawLongBits(value));
    }
  }

  @Test
  void objectHasExactlyTheDocumentedFieldsInOrder() throws IOException {
    JsonNode node = parse(new ScalarPoint("a/b", "events.out.tfevents.1", "loss", 42, 1.5e9, 0.25));
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    assertThat(names).containsExactly("run", "file", "tag", "step", "wall_time", "value");
    assertThat(node.get("run").asText()).isEqualTo("a/b");
    assertThat(node.get("file").asText()).isEqualTo("events.out.tfevents.1");
    assertThat(node.get("tag").asText()).isEqualTo("loss");
    assertThat(node.get("step").isIntegralNumber()).isTrue();
    assertThat(node.get("step").asLong()).isEqualTo(42);
    assertThat(node.get("wall_time").doubleValue()).isEqualTo(1.5e9);
    assertThat(node.get("value").doubleValue()).isEqualTo(0.25);
  }

  @Test
  void randomDoublesParseBackToTheSameBits() throws IOException {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        continue;
      }
      assertRoundTrips(d);
    }
  }

  @Test
  void floatWidenedValuesParseBackToTheSameBits() throws IOException {
    Random random = new Random(12);
    for (int i = 0; i < 20_000; i++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isNaN(f) || Float.isInfinite(f)) {
        continue;
      }
      assertRoundTrips(f);
    }
    assertThat(line(point(0.1f))).contains("\"value\":0.10000000149011612");
  }

  @Test
  void extremeAndSpecialFiniteValuesParseBackToTheSameBits() throws IOException {
    for (double d :
        new double[] {
          0.0,
          -0.0,
          Double.MIN_VALUE,
          -Double.MIN_VALUE,
          Double.MIN_NORMAL,
          Double.MAX_VALUE,
          -Double.MAX_VALUE,
          1e-300,
          1e300,
          1.0,
          -1.0,
          0.1,
          1e7,
          1e-3,
          9007199254740993.0,
          Float.MIN_VALUE,
          Float.MAX_VALUE,
          0x1p-24,
          65504.0,
          1.7e9
        }) {
      assertRoundTrips(d);
    }
  }

  @Test
  void nanAndInfinitiesAreWrittenAsStrings() throws IOException {
    assertThat(parse(point(Double.NaN)).get("value").textValue()).isEqualTo("NaN");
    assertThat(parse(point(Double.POSITIVE_INFINITY)).get("value").textValue())
        .isEqualTo("Infinity");
    assertThat(parse(point(Double.NEGATIVE_INFINITY)).get("value").textValue())
        .isEqualTo("-Infinity");
    ScalarPoint nanTime = new ScalarPoint("r", "f", "t", 1, Double.NaN, 1);
    assertThat(parse(nanTime).get("wall_time").textValue()).isEqualTo("NaN");
  }

  @Test
  void extremeStepsAreExactIntegers() throws IOException {
    for (long step : new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE, (1L << 53) + 1}) {
      JsonNode node = parse(new ScalarPoint("r", "f", "t", step, 0, 0));
      assertThat(node.get("step").isIntegralNumber()).isTrue();
      assertThat(node.get("step").asLong()).isEqualTo(step);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "quote\"inside",
        "back\\slash",
        "\\\"",
        "new\nline",
        "carriage\rreturn",
        "tab\there",
        "nul\u0000byte",
        "bell\u0007 and \u001f unit separator",
        "backspace\b formfeed\f",
        "del\u007f",
        "line\u2028separator\u2029paragraph",
        "unicode λ ü — 😀 𝔘",
        "replacement \uFFFD char",
        "</script>",
        "",
        "loss/train"
      })
  void stringsAreEscapedAndParseBackToTheSameText(String text) throws IOException {
    ScalarPoint p = new ScalarPoint(text, text, text, 1, 1, 1);
    String line = line(p);
    String body = line.substring(0, line.length() - 1);
    for (char c : body.toCharArray()) {
      assertThat((int) c).as("raw control character in %s", body).isGreaterThanOrEqualTo(0x20);
      assertThat(c).isNotIn('\u2028', '\u2029');
    }
    JsonNode node = JSON.readTree(line);
    assertThat(node.get("run").textValue()).isEqualTo(text);
    assertThat(node.get("file").textValue()).isEqualTo(text);
    assertThat(node.get("tag").textValue()).isEqualTo(text);
  }

  @Test
  void everyCharacterBelowSpaceIsEscaped() throws IOException {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    StringBuilder out = new StringBuilder();
    JsonText.string(out, all.toString());
    assertThat(out.chars().filter(c -> c < 0x20).count()).isZero();
    assertThat(out.toString()).contains("\\n", "\\r", "\\t", "\\u0000", "\\u001f", "\\\"", "\\\\");
    assertThat(JSON.readTree(out.toString()).textValue()).isEqualTo(all.toString());
  }

  @Test
  void formatIsFoundByName() {
    assertThat(PointFormat.named("jsonl")).isInstanceOf(JsonlPointFormat.class);
    assertThat(PointFormat.named("csv")).isInstanceOf(CsvPointFormat.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PointFormat.named("xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("xml")
        .hasMessageContaining("jsonl, csv");
  }
}
