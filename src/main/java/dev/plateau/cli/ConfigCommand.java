package dev.plateau.cli;

import dev.plateau.config.ConfigException;
import dev.plateau.config.ConfigLoader;
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

/** {@code plateau config --print}: the effective configuration, checked, secrets masked. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the configuration (the --config file or $PLATEAU_CONFIG, with PLATEAU_... "
          + "variables over it: PLATEAU_ and the key path in upper case with '.' as '_', e.g. "
          + "PLATEAU_DETECTION_PLATEAU_MIN_DELTA) and, with --print, prints what is set, URLs and "
          + "secrets masked. Keys not shown have their documented defaults (config/plateau.yaml).",
      "Exit codes: 0 valid; 2 invalid (the message names the key, the value and what is allowed)."
    })
final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--print", description = "Print the effective configuration.")
  boolean print;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    try {
      config.load();
      if (print) {
        Map<String, Object> tree = ConfigLoader.effectiveTree(config.path(), System.getenv());
        mask(tree);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        out.print(new Dump(settings).dumpToString(tree));
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
   * A secret's mask; a blank value stays as it is (there is nothing to hide, and it is no secret).
   */
  private static String masked(Object value) {
    String text = String.valueOf(value);
    return text.isBlank() ? text : Secret.fromValue(text).toString();
  }

  /** Replaces URLs and secrets by their masked form. */
  @SuppressWarnings("unchecked")
  static void mask(Map<String, Object> tree) {
    if (tree.get("webhook") instanceof Map<?, ?> webhook) {
      Map<String, Object> w = (Map<String, Object>) webhook;
      if (w.get("secret") != null) {
        w.put("secret", masked(w.get("secret")));
      }
      if (w.get("urls") instanceof List<?> urls) {
        List<String> masked = new ArrayList<>();
        for (Object url : urls) {
          masked.add(masked(url));
        }
        w.put("urls", masked);
      }
    }
    if (tree.get("slack") instanceof Map<?, ?> slack) {
      Map<String, Object> s = (Map<String, Object>) slack;
      if (s.get("url") != null) {
        s.put("url", masked(s.get("url")));
      }
    }
    maskHookEnvironments(tree);
  }

  /** A hook's {@code env} values may be tokens (an API key for the command): masked too. */
  @SuppressWarnings("unchecked")
  private static void maskHookEnvironments(Map<String, Object> tree) {
    if (tree.get("hooks") instanceof Map<?, ?> hooks
        && hooks.get("commands") instanceof List<?> commands) {
      for (Object command : commands) {
        if (command instanceof Map<?, ?> c && c.get("env") instanceof Map<?, ?> env) {
          ((Map<String, Object>) env).replaceAll((name, value) -> masked(value));
        }
      }
    }
  }
}
