package dev.plateau.format;

import dev.plateau.series.ScalarPoint;
import java.io.IOException;

/**
 * One JSON object per line: {@code {"run", "file", "tag", "step", "wall_time", "value"}}; value and
 * wall_time as in {@link JsonText#number}.
 */
public final class JsonlPointFormat implements PointFormat {
  @Override
  public void begin(Appendable out) {}

  @Override
  public void point(Appendable out, ScalarPoint point) throws IOException {
    out.append("{\"run\":");
    JsonText.string(out, point.run());
    out.append(",\"file\":");
    JsonText.string(out, point.file());
    out.append(",\"tag\":");
    JsonText.string(out, point.tag());
    out.append(",\"step\":").append(Long.toString(point.step()));
    out.append(",\"wall_time\":");
    JsonText.number(out, point.wallTime());
    out.append(",\"value\":");
    JsonText.number(out, point.value());
    out.append("}\n");
  }
}
