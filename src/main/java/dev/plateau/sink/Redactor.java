package dev.plateau.sink;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes a sink's secrets from text that came from elsewhere (a response body, an exception
 * message) before it goes into a reason: a receiver's error page may echo the request path, which
 * for an incoming webhook is the credential.
 */
final class Redactor {
  /** Path segments and query values this long or longer are treated as tokens. */
  private static final int MIN_TOKEN_LENGTH = 6;

  private final List<String> secrets;

  Redactor(URI url, Secret... more) {
    List<String> s = new ArrayList<>();
    add(s, url.toString());
    add(s, url.getRawPath());
    add(s, url.getPath());
    add(s, url.getRawQuery());
    add(s, url.getQuery());
    add(s, url.getRawUserInfo());
    if (url.getRawPath() != null) {
      for (String segment : url.getRawPath().split("/")) {
        if (segment.length() >= MIN_TOKEN_LENGTH) {
          add(s, segment);
        }
      }
    }
    if (url.getRawQuery() != null) {
      for (String pair : url.getRawQuery().split("&")) {
        String value = pair.substring(pair.indexOf('=') + 1);
        if (value.length() >= MIN_TOKEN_LENGTH) {
          add(s, value);
        }
      }
    }
    for (Secret secret : more) {
      if (secret != null) {
        add(s, secret.reveal());
      }
    }
    // Longest first, so that a whole path goes before its segments.
    s.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(s);
  }

  /**
   * A redactor of given values (a hook's configured variables), each at least as long as a token;
   * shorter ones would mangle every text they occur in.
   */
  static Redactor ofValues(List<String> values) {
    return new Redactor(values);
  }

  private Redactor(List<String> values) {
    List<String> s = new ArrayList<>();
    for (String value : values) {
      if (value != null && value.strip().length() >= MIN_TOKEN_LENGTH) {
        add(s, value);
      }
    }
    s.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(s);
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, "***");
    }
    return out;
  }

  private static void add(List<String> list, String value) {
    // A path of "/" or an empty query is no secret, and replacing it would mangle every text.
    if (value != null && value.length() > 1 && !list.contains(value)) {
      list.add(value);
    }
  }
}
