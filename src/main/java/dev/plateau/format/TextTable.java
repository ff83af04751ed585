package dev.plateau.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table with aligned columns, for terminals. Widths count code points; control and
 * invisible formatting characters in cells are shown escaped ({@link PrintableText}).
 */
public final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] rightAligned;

  /** A table whose first row is the header; columns listed in {@code right} align right. */
  public TextTable(String[] header, int... right) {
    rows.add(header);
    rightAligned = new boolean[header.length];
    for (int r : right) {
      rightAligned[r] = true;
    }
  }

  public void add(String... cells) {
    rows.add(cells);
  }

  public int rows() {
    return rows.size() - 1;
  }

  /** The table, one line per row, columns two spaces apart, no trailing spaces. */
  public String render() {
    int columns = rightAligned.length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], width(cell(row, c)));
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = cell(row, c);
        int pad = widths[c] - width(cell);
        if (c > 0) {
          line.append("  ");
        }
        if (rightAligned[c]) {
          line.append(" ".repeat(pad)).append(cell);
        } else {
          line.append(cell).append(" ".repeat(pad));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A cell as shown: control and invisible characters escaped (names come from files). */
  private static String cell(String[] row, int c) {
    return c < row.length && row[c] != null ? PrintableText.of(row[c]) : "";
  }

  private static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
