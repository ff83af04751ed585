package dev.plateau.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.plateau.config.DetectorSpecs;
import java.util.Set;

/**
 * Configuration text built from fuzzer data out of Plateau's own vocabulary: its sections, every
 * detector's keys and the values that sit at the edges of what they allow (NaN, infinities, huge
 * and negative numbers, durations, spans, percentages, globs, statuses), in flow or block style,
 * with anchors and aliases, and now and then an unknown key or raw text. Random bytes alone rarely
 * get past the first unknown key; this reaches every binder.
 */
final class ConfigYaml {
  static final int MAX_DEPTH = 4;

  private static final String[] SECTIONS = {
    "detection", "rules", "alerts", "webhook", "slack", "flags"
  };
  private static final String[] DETECTION_KEYS = {
    "watch", "converged_when", "detectors", "smoothing"
  };
  private static final String[] RULE_KEYS = {
    "run", "tag", "watch", "mode", "detectors", "smoothing"
  };
  private static final String[] ALERT_KEYS = {
    "urls",
    "secret",
    "statuses",
    "url",
    "dir",
    "template",
    "enabled",
    "remove_on_training",
    "ignore_older",
    "cooldown"
  };
  static final String[] SCALARS = {
    "0",
    "-1",
    "1",
    "2",
    "3",
    "6",
    "16",
    "17",
    "1024",
    "1026",
    "1000000",
    "0.5",
    "0.999",
    "1.5",
    "1e308",
    "-1e308",
    "4.9e-324",
    ".nan",
    ".inf",
    "-.inf",
    "99999999999999999999",
    "0x1F",
    "0o17",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "null",
    "~",
    "''",
    "'10 points'",
    "'0 points'",
    "'5000 steps'",
    "'1e400 steps'",
    "30m",
    "500ms",
    "0s",
    "1d",
    "'1%'",
    "'-1%'",
    "'nan%'",
    "'1e999%'",
    "abc",
    "'[a-'",
    "'*'",
    "'[!a-c]?'",
    "'\\'",
    "all",
    "auto",
    "min",
    "max",
    "none",
    "any",
    "converged",
    "training",
    "divergence",
    "target",
    "plateau",
    "patience",
    "stalled",
    "overfitting",
    "'whsec_abc'",
    "'http://127.0.0.1:1/x'",
    "'{experiment}/{STATUS}'",
    "'../up'"
  };

  private final FuzzedDataProvider data;
  private final StringBuilder out = new StringBuilder();
  private int anchors;

  private ConfigYaml(FuzzedDataProvider data) {
    this.data = data;
  }

  /** A configuration document. */
  static String from(FuzzedDataProvider data) {
    ConfigYaml yaml = new ConfigYaml(data);
    yaml.document();
    return yaml.out.toString();
  }

  private void document() {
    int sections = data.consumeInt(0, 4);
    boolean flow = data.consumeBoolean();
    out.append(flow ? "{" : "");
    for (int i = 0; i < sections; i++) {
      String section = data.pickValue(SECTIONS);
      out.append(flow ? (i > 0 ? ", " : "") : "").append(key(section)).append(flow ? ": " : ":\n");
      if (section.equals("rules")) {
        list(flow, 1, this::rule);
      } else if (section.equals("detection")) {
        map(flow, 1, this::detectionEntry);
      } else {
        map(flow, 1, depth -> entry(data.pickValue(ALERT_KEYS), depth));
      }
      out.append(flow ? "" : "\n");
    }
    out.append(flow ? "}" : "");
    if (data.consumeBoolean()) {
      out.append('\n').append(data.consumeAsciiString(40));
    }
  }

  private void detectionEntry(int depth) {
    if (data.consumeBoolean()) {
      entry(data.pickValue(DETECTION_KEYS), depth);
    } else {
      detectorSection(depth);
    }
  }

  private void rule(int depth) {
    map(
        true,
        depth,
        d -> {
          if (data.consumeBoolean()) {
            entry(data.pickValue(RULE_KEYS), d);
          } else {
            detectorSection(d);
          }
        });
  }

  private void detectorSection(int depth) {
    String detector = data.pickValue(DetectorSpecs.NAMES);
    Set<String> keys = DetectorSpecs.keysOf(detector);
    out.append(key(detector)).append(": ");
    map(true, depth + 1, d -> entry(data.pickValue(keys.toArray(new String[0])), d));
  }

  private void entry(String key, int depth) {
    out.append(key(key)).append(": ");
    value(depth);
  }

  /** Mostly the given key; now and then an unknown one, an alias, or a list as a key. */
  private String key(String key) {
    return switch (data.consumeInt(0, 31)) {
      case 0, 1 -> data.consumeAsciiString(8);
      case 2 -> anchors > 0 ? "*a" + data.consumeInt(0, anchors - 1) + " " : key;
      case 3 -> "[" + key + ", " + data.pickValue(SCALARS) + "]";
      default -> key;
    };
  }

  private void value(int depth) {
    int kind = data.consumeInt(0, 9);
    if (kind == 0 && anchors > 0) {
      out.append('*').append('a').append(data.consumeInt(0, anchors - 1));
      return;
    }
    if (kind == 1) {
      out.append("&a").append(anchors++).append(' ');
    }
    if (depth < MAX_DEPTH && kind == 2) {
      list(true, depth + 1, this::value);
    } else if (depth < MAX_DEPTH && kind == 3) {
      map(true, depth + 1, d -> entry(data.consumeAsciiString(6), d));
    } else if (kind == 4) {
      out.append(
          data.consumeBoolean()
              ? Double.toString(data.consumeDouble())
              : Long.toString(data.consumeLong()));
    } else if (kind == 5) {
      out.append('\'').append(data.consumeAsciiString(12).replace("'", "''")).append('\'');
    } else {
      out.append(data.pickValue(SCALARS));
    }
  }

  private interface Item {
    void write(int depth);
  }

  private void map(boolean flow, int depth, Item entry) {
    int entries = data.consumeInt(0, 4);
    if (flow) {
      out.append('{');
      for (int i = 0; i < entries; i++) {
        out.append(i > 0 ? ", " : "");
        entry.write(depth);
      }
      out.append('}');
    } else {
      for (int i = 0; i < entries; i++) {
        out.append("  ");
        entry.write(depth);
        out.append('\n');
      }
    }
  }

  private void list(boolean flow, int depth, Item item) {
    int items = data.consumeInt(0, 3);
    out.append(flow || items == 0 ? "[" : "");
    for (int i = 0; i < items; i++) {
      if (flow) {
        out.append(i > 0 ? ", " : "");
      } else {
        out.append("  - ");
      }
      item.write(depth);
      out.append(flow ? "" : "\n");
    }
    out.append(flow || items == 0 ? "]" : "");
  }
}
