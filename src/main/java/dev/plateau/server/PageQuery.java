package dev.plateau.server;

import dev.plateau.detect.Status;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What the status page's query asks for: {@code status} (one status's name), {@code q} (a part of
 * the experiment's name, any case), {@code page} (from 1), and on {@code /experiment} the {@code
 * logdir} (its place in the daemon's list, from 0) and {@code name}. Values that mean nothing are
 * ignored; the text of {@code q} and {@code name} is cut at {@value #MAX_TEXT} characters.
 */
record PageQuery(@Nullable Status status, String q, int page, int logdir, String name) {
  static final int MAX_TEXT = 256;
  static final PageQuery ALL = new PageQuery(null, "", 1, 0, "");

  static PageQuery of(@Nullable String rawQuery) {
    Status status = null;
    String q = "";
    int page = 1;
    int logdir = 0;
    String name = "";
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
        switch (key) {
          case "status" -> status = statusOf(value);
          case "q" -> q = value.strip();
          case "page" -> page = (int) Math.max(1, number(value, 1));
          case "logdir" -> logdir = (int) number(value, 0);
          case "name" -> name = value;
          default -> {}
        }
      }
    }
    return new PageQuery(status, cut(q), page, logdir, cut(name));
  }

  /** Whether an experiment's name and status pass the filter. */
  boolean matches(String experiment, Status s) {
    return (status == null || status == s)
        && (q.isEmpty()
            || experiment.toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT)));
  }

  /** The overview's query for these filters and {@code page} (for links). */
  String overviewQuery(@Nullable Status s, int p) {
    StringBuilder out = new StringBuilder("/");
    String sep = "?";
    if (s != null) {
      out.append(sep).append("status=").append(s.jsonName());
      sep = "&";
    }
    if (!q.isEmpty()) {
      out.append(sep).append("q=").append(encode(q));
      sep = "&";
    }
    if (p > 1) {
      out.append(sep).append("page=").append(p);
    }
    return out.toString();
  }

  static String encode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static @Nullable Status statusOf(String name) {
    for (Status s : Status.values()) {
      if (s.jsonName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static long number(String value, long otherwise) {
    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
      return otherwise;
    }
    return Long.parseLong(value);
  }

  private static String cut(String text) {
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
  }
}
