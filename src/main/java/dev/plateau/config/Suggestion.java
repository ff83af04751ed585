package dev.plateau.config;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/** The known name nearest to a misspelled one, for "did you mean" in messages. */
final class Suggestion {
  /** Edits (insert, delete, replace, swap two neighbours) beyond which nothing is suggested. */
  static final int MAX_EDITS = 2;

  private Suggestion() {}

  /** The candidate within {@link #MAX_EDITS} edits of {@code word}, the nearest (then first). */
  static Optional<String> nearest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = MAX_EDITS + 1;
    for (String candidate : new TreeSet<>(candidates)) {
      int d = distance(word, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal string alignment distance (Damerau–Levenshtein without repeated edits). */
  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > MAX_EDITS) {
      return MAX_EDITS + 1;
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
