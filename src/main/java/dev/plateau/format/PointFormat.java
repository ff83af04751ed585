package dev.plateau.format;

import dev.plateau.series.ScalarPoint;
import java.io.IOException;

/** Writes scalar points as lines of text, for {@code plateau dump}. */
public interface PointFormat {

  /** Writes what comes before the first point (a header line), if anything. */
  void begin(Appendable out) throws IOException;

  /** Writes one point as one line. */
  void point(Appendable out, ScalarPoint point) throws IOException;

  /** The format for a {@code --format} name: jsonl or csv. */
  static PointFormat named(String name) {
    return switch (name) {
      case "jsonl" -> new JsonlPointFormat();
      case "csv" -> new CsvPointFormat();
      default ->
          throw new IllegalArgumentException("unknown format '" + name + "'; allowed: jsonl, csv");
    };
  }
}
