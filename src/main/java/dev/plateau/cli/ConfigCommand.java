package dev.plateau.cli;

import dev.plateau.config.ConfigException;
import dev.plateau.config.ConfigLoader;
import dev.plateau.config.EffectiveValue;
import dev.plateau.sink.Secret;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code plateau config --print}: every setting in effect and where it came from, checked, secrets
 * masked.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the configuration (the --config file or $PLATEAU_CONFIG, PLATEAU_... variables over "
          + "it: PLATEAU_ and the key path in upper case with '.' as '_', e.g. "
          + "PLATEAU_DETECTION_PLATEAU_MIN_DELTA; and watch's options over those) and, with "
          + "--print, prints every key, its value and where it came from (default, file, "
          + "environment variable, option), URLs and secrets masked.",
      "Exit codes: 0 valid; 2 invalid (the message names the key, the value and what is allowed)."
    })
final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Mixin DaemonOptions daemonOptions;

  @Option(names = "--print", description = "Print the effective configuration.")
  boolean print;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    try {
      Map<String, Object> options = GivenOptions.of(spec);
      config.load(options);
      if (print) {
        List<EffectiveValue> values =
            ConfigLoader.effective(config.path(), System.getenv(), options);
        Object rules =
            ConfigLoader.effectiveTree(config.path(), System.getenv(), options).get("rules");
        out.print(printed(values, rules));
      } else {
        out.println("configuration is valid");
      }
      out.flush();
      return 0;
    } catch (ConfigException e) {
      err.println("plateau config: " + e.getMessage());
      return 2;
    }
  }

  /**
   * One line a key: {@code key: value # origin}, the value in YAML's flow style (secrets masked),
   * the origins aligned; then the rules as they are set.
   */
  static String printed(List<EffectiveValue> values, Object rules) {
    DumpSettings flow = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.FLOW).build();
    List<String> left = new ArrayList<>();
    int width = 0;
    for (EffectiveValue v : values) {
      Object value =
          v.setting().secret()
              ? masked(v.value())
              : v.setting().key().equals("hooks.commands") ? hooksMasked(v.value()) : v.value();
      String line =
          v.setting().key()
              + ": "
              + (value == null ? "null" : new Dump(flow).dumpToString(value).strip());
      left.add(line);
      width = Math.max(width, line.length());
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      out.append(String.format("%-" + width + "s  # %s%n", left.get(i), values.get(i).origin()));
    }
    out.append("rules: ")
        .append(rules == null ? "[]" : new Dump(flow).dumpToString(rules).strip())
        .append(System.lineSeparator());
    return out.toString();
  }

  /** Hooks as configured, with their {@code env} values masked (they may be tokens). */
  private static Object hooksMasked(Object hooks) {
    if (!(hooks instanceof List<?> commands)) {
      return hooks;
    }
    List<Object> out = new ArrayList<>();
    for (Object command : commands) {
      if (command instanceof Map<?, ?> c && c.get("env") instanceof Map<?, ?> env) {
        Map<Object, Object> copy = new java.util.LinkedHashMap<>(c);
        Map<Object, Object> maskedEnv = new java.util.LinkedHashMap<>();
        env.forEach((name, value) -> maskedEnv.put(name, masked(value)));
        copy.put("env", maskedEnv);
        out.add(copy);
      } else {
        out.add(command);
      }
    }
    return out;
  }

  /**
   * A secret's mask (each item of a list); a blank value stays as it is (there is nothing to hide,
   * and it is no secret).
   */
  private static Object masked(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object item : list) {
        out.add(String.valueOf(masked(item)));
      }
      return out;
    }
    String text = String.valueOf(value);
    return text.isBlank() ? text : Secret.fromValue(text).toString();
  }
}
