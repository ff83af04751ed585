package dev.plateau.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plateau.series.ScalarPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvPointFormatTest {

  /** A strict RFC 4180 parser: records of fields; quoted fields may hold anything. */
  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    boolean fieldStart = true;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (fieldStart && c == '"') {
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new IllegalArgumentException("unterminated quoted field");
          }
          char q = text.charAt(i);
          if (q == '"') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            field.append(q);
            i++;
          }
        }
        if (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\n') {
          throw new IllegalArgumentException("text after a closing quote at " + i);
        }
        fieldStart = false;
        continue;
      }
      if (c == '"') {
        throw new IllegalArgumentException("quote inside an unquoted field at " + i);
      }
      if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        fieldStart = true;
      } else if (c == '\n') {
        fields.add(field.toString());
        field.setLength(0);
        records.add(fields);
        fields = new ArrayList<>();
        fieldStart = true;
      } else if (c == '\r') {
        throw new IllegalArgumentException("bare CR in an unquoted field at " + i);
      } else {
        field.append(c);
        fieldStart = false;
      }
      i++;
    }
    if (!fields.isEmpty() || field.length() > 0) {
      throw new IllegalArgumentException("last record not terminated");
    }
    return records;
  }

  private static String csv(ScalarPoint... points) throws IOException {
    StringBuilder out = new StringBuilder();
    CsvPointFormat format = new CsvPointFormat();
    format.begin(out);
    for (ScalarPoint p : points) {
      format.point(out, p);
    }
    return out.toString();
  }

  @Test
  void headerAndOneLinePerPoint() throws IOException {
    String text = csv(new ScalarPoint("a/b", "events.1", "loss", 7, 1.5, 0.25));
    assertThat(text).isEqualTo("run,file,tag,step,wall_time,value\na/b,events.1,loss,7,1.5,0.25\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "comma,inside",
        "quote\"inside",
        "\"starts with quote",
        "\"\"",
        "new\nline",
        "carriage\rreturn",
        "crlf\r\n",
        ",",
        "",
        " spaced ",
        "unicode λ 😀",
        "a,\"b\"\n,c"
      })
  void fieldsThatNeedItAreQuotedAndParseBackToTheSameText(String text) throws IOException {
    String out = csv(new ScalarPoint(text, text, text, -3, 1, 2));
    List<List<String>> records = parse(out);
    assertThat(records).hasSize(2);
    assertThat(records.get(0)).containsExactly("run", "file", "tag", "step", "wall_time", "value");
    assertThat(records.get(1)).containsExactly(text, text, text, "-3", "1.0", "2.0");
  }

  @Test
  void plainFieldsAreNotQuoted() throws IOException {
    assertThat(csv(new ScalarPoint("r", "f", "train/loss", 1, 1, 1))).doesNotContain("\"");
  }

  @Test
  void specialNumbersAreWrittenAsNamesAndFiniteOnesRoundTrip() throws IOException {
    String out =
        csv(
            new ScalarPoint("r", "f", "t", 1, Double.NaN, Double.NaN),
            new ScalarPoint("r", "f", "t", 2, 0, Double.POSITIVE_INFINITY),
            new ScalarPoint("r", "f", "t", 3, 0, Double.NEGATIVE_INFINITY),
            new ScalarPoint("r", "f", "t", 4, 0, -0.0));
    List<List<String>> records = parse(out);
    assertThat(records.get(1).subList(4, 6)).containsExactly("NaN", "NaN");
    assertThat(records.get(2).get(5)).isEqualTo("Infinity");
    assertThat(records.get(3).get(5)).isEqualTo("-Infinity");
    assertThat(records.get(4).get(5)).isEqualTo("-0.0");

    Random random = new Random(5);
    for (int i = 0; i < 5000; i++) {
      double d =
          i % 2 == 0
              ? Double.longBitsToDouble(random.nextLong())
              : Float.intBitsToFloat(random.nextInt());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        continue;
      }
      List<String> fields = parse(csv(new ScalarPoint("r", "f", "t", 1, d, d))).get(1);
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(fields.get(5))))
          .isEqualTo(Double.doubleToRawLongBits(d));
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(fields.get(4))))
          .isEqualTo(Double.doubleToRawLongBits(d));
    }
  }
}
