package dev.plateau.format;

import dev.plateau.series.ScalarPoint;
import java.io.IOException;

/**
 * RFC 4180 CSV with a header: run,file,tag,step,wall_time,value. Fields holding a comma, quote or
 * line break are quoted; NaN and infinities are written as NaN, Infinity and -Infinity.
 */
public final class CsvPointFormat implements PointFormat {
  @Override
  public void begin(Appendable out) throws IOException {
    out.append("run,file,tag,step,wall_time,value\n");
  }

  @Override
  public void point(Appendable out, ScalarPoint point) throws IOException {
    field(out, point.run());
    out.append(',');
    field(out, point.file());
    out.append(',');
    field(out, point.tag());
    out.append(',').append(Long.toString(point.step())).append(',');
    number(out, point.wallTime());
    out.append(',');
    number(out, point.value());
    out.append('\n');
  }

  private static void number(Appendable out, double value) throws IOException {
    if (Double.isNaN(value)) {
      out.append("NaN");
    } else if (Double.isInfinite(value)) {
      out.append(value > 0 ? "Infinity" : "-Infinity");
    } else {
      out.append(Double.toString(value));
    }
  }

  private static void field(Appendable out, String value) throws IOException {
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      out.append(value);
      return;
    }
    out.append('"').append(value.replace("\"", "\"\"")).append('"');
  }
}
