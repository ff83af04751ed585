package dev.plateau.config;

import dev.plateau.detect.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code hooks} section: commands run on a verdict, each as an argument list (no shell reads
 * it), delivered like a webhook through the outbox. The verdict reaches a command on its standard
 * input and in {@code PLATEAU_*} variables, never in its arguments.
 *
 * <pre>
 * hooks:
 *   max_concurrent: 4
 *   commands:
 *     - command: [kubectl, delete, job, my-training-job]
 *       statuses: [converged, diverged]
 *       timeout: 2m
 *       env: {KUBECONFIG: /etc/plateau/kubeconfig}
 * </pre>
 *
 * @param commands the hooks, in file order
 * @param maxConcurrent the most commands running at once, over every hook and logdir ({@code
 *     hooks.max_concurrent}, default 4)
 */
public record HooksConfig(List<Hook> commands, int maxConcurrent) {
  static final Set<String> KEYS = Set.of("commands", "max_concurrent");
  static final Set<String> HOOK_KEYS = Set.of("name", "command", "statuses", "timeout", "env");

  /** Four commands at once: a sweep's verdicts do not start a process per run at the same time. */
  public static final int DEFAULT_MAX_CONCURRENT = 4;

  /** The most {@code max_concurrent} may be. */
  public static final int MAX_CONCURRENT_LIMIT = 256;

  /** Five minutes: a {@code kubectl delete} or {@code scancel} takes seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * One command.
   *
   * @param name the hook's name in the outbox, logs and metrics, or null for {@code hook-} and a
   *     hash of the command (so pending runs stay with their command when hooks are reordered)
   * @param command the program and its arguments, as given; never split, never read by a shell
   * @param statuses the statuses it runs for, or null for the statuses that stop a job
   * @param timeout how long it may run before it is killed with its process group
   * @param env variables added to its environment (over the daemon's own)
   */
  public record Hook(
      @Nullable String name,
      List<String> command,
      @Nullable List<String> statuses,
      Duration timeout,
      Map<String, String> env) {
    public Hook {
      command = List.copyOf(command);
      statuses = statuses == null ? null : List.copyOf(statuses);
      env = Map.copyOf(env);
    }
  }

  public HooksConfig {
    commands = List.copyOf(commands);
  }

  /** No hooks. */
  public static HooksConfig defaults() {
    return new HooksConfig(List.of(), DEFAULT_MAX_CONCURRENT);
  }

  static HooksConfig parse(ConfigNode node) throws ConfigException {
    if (!node.isMissing() && !node.isMap()) {
      throw node.error("must be a mapping with commands (a list) and max_concurrent");
    }
    node.allowOnly(KEYS);
    List<Hook> hooks = new ArrayList<>();
    for (ConfigNode item : node.get("commands").items()) {
      hooks.add(hook(item));
    }
    int max =
        (int) node.get("max_concurrent").integer(DEFAULT_MAX_CONCURRENT, 1, MAX_CONCURRENT_LIMIT);
    return new HooksConfig(hooks, max);
  }

  private static Hook hook(ConfigNode item) throws ConfigException {
    if (!item.isMap()) {
      throw item.error("must be a mapping with a command, e.g. {command: [scancel, \"1234\"]}");
    }
    item.allowOnly(HOOK_KEYS);
    ConfigNode commandNode = item.get("command");
    if (commandNode.isMissing()) {
      throw commandNode.error("is required: the program and its arguments as a list");
    }
    if (!commandNode.isList()) {
      throw commandNode.error(
          "must be a list of arguments, e.g. [scancel, \"1234\"]; it is never split or read by a"
              + " shell (for a shell, write [sh, -c, \"...\"])");
    }
    List<String> command = commandNode.stringList(List.of());
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw commandNode.error("must name a program first");
    }
    ConfigNode statusesNode = item.get("statuses");
    List<String> statuses = statusesNode.isMissing() ? null : statuses(statusesNode);
    ConfigNode timeoutNode = item.get("timeout");
    double seconds = timeoutNode.durationSeconds(DEFAULT_TIMEOUT.toSeconds());
    if (!(seconds > 0) || seconds > 86_400) {
      throw timeoutNode.error("must be a duration above 0 and at most 1d, e.g. 5m");
    }
    ConfigNode nameNode = item.get("name");
    String name = nameNode.string(null);
    if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw nameNode.error(
          "'" + name + "' is not a hook name; use letters, digits, '.', '_' or '-' (at most 64)");
    }
    return new Hook(
        name,
        command,
        statuses,
        Duration.ofMillis(Math.round(seconds * 1000)),
        env(item.get("env")));
  }

  /** Status names as the webhook's {@code statuses} takes them: {@code all}, or names. */
  private static List<String> statuses(ConfigNode node) throws ConfigException {
    List<String> names = node.stringList(List.of());
    if (names.isEmpty()) {
      throw node.error(
          "lets nothing through; list statuses, or leave it out for the stop statuses");
    }
    for (String name : names) {
      if (name.equals("all")) {
        if (names.size() > 1) {
          throw node.error("'all' cannot be combined with other statuses");
        }
        continue;
      }
      try {
        Status.fromJsonName(name);
      } catch (IllegalArgumentException e) {
        throw node.error("unknown status '" + name + "'; allowed: all, " + allowedStatuses());
      }
    }
    return names;
  }

  private static String allowedStatuses() {
    List<String> names = new ArrayList<>();
    for (Status s : Status.values()) {
      names.add(s.jsonName());
    }
    return String.join(", ", names);
  }

  private static Map<String, String> env(ConfigNode node) throws ConfigException {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw e.getValue().error("is not a variable name (letters, digits and '_')");
      }
      if (e.getKey().startsWith("PLATEAU_")) {
        throw e.getValue().error("PLATEAU_ variables are the verdict's; choose another name");
      }
      String value = e.getValue().string(null);
      if (value == null) {
        throw e.getValue().error("must be a text value");
      }
      env.put(e.getKey(), value);
    }
    return env;
  }
}
