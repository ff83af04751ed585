package dev.plateau.sink;

import dev.plateau.detect.Status;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a flag file goes, relative to the base directory (the logdir, or {@code --flag-dir}), as a
 * pattern with placeholders; the default is {@value #DEFAULT}.
 *
 * <p>Placeholders: {@code {experiment}} the experiment's path relative to the logdir ('/'
 * separated, empty for the logdir itself, "."); {@code {run}} the same value (flags are written per
 * experiment, and a run that is not a split of a larger experiment is its own experiment); {@code
 * {STATUS}} the status in upper case ({@code CONVERGED}); {@code {status}} in lower case ({@code
 * converged}). Empty and "." segments of the result are dropped, so {@code {experiment}/{STATUS}}
 * gives {@code CONVERGED} for ".".
 *
 * <p>The pattern is checked here, once: it must name the status (so every status has its own file,
 * and a change of status replaces one file by another), must be relative, must not contain a {@code
 * ..} segment, a NUL byte, an unknown placeholder or the text {@code tfevents} (the tailer would
 * take the flag for an event file). Each result is checked again by {@link #render}, since a
 * substituted name can make a {@code ..} of its own.
 *
 * @param pattern the pattern, e.g. {@code {experiment}/.plateau/{status}.json}
 */
public record FlagTemplate(String pattern) {
  /** The flag file in the experiment's directory, named for the status in upper case. */
  public static final String DEFAULT = "{experiment}/{STATUS}";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

  /** Where the platform also separates names with '\' (Windows), that splits segments too. */
  private static final boolean BACKSLASH_SEPARATES = File.separatorChar == '\\';

  private static final String SEPARATORS = BACKSLASH_SEPARATES ? "[/\\\\]" : "/";
  private static final List<String> PLACEHOLDERS =
      List.of("{experiment}", "{run}", "{STATUS}", "{status}");

  /**
   * Checks the pattern.
   *
   * @throws IllegalArgumentException naming the pattern and what is wrong with it
   */
  public FlagTemplate {
    Objects.requireNonNull(pattern, "pattern");
    String problem = problemOf(pattern);
    if (problem != null) {
      throw new IllegalArgumentException(
          "flag template '" + pattern + "' " + problem + "; the default is '" + DEFAULT + "'");
    }
  }

  /** The default template, {@value #DEFAULT}. */
  public static FlagTemplate defaults() {
    return new FlagTemplate(DEFAULT);
  }

  /**
   * The flag file's path relative to the base directory, '/' separated, for an experiment and a
   * status.
   *
   * @param experiment the experiment's path relative to the logdir, '/' separated, "." for the
   *     logdir itself
   * @throws IllegalArgumentException if the experiment's name or the result could leave the base
   *     directory: absolute, a {@code ..} segment, a NUL byte (or, where the platform separates
   *     with '\', a backslash), or a file name containing {@code tfevents}
   */
  public String render(String experiment, Status status) {
    Objects.requireNonNull(status, "status");
    String path = experimentPath(experiment);
    // One pass, so that a directory named "{STATUS}" is not substituted again.
    Matcher m = PLACEHOLDER.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group()) {
            case "{STATUS}" -> status.name();
            case "{status}" -> status.jsonName();
            default -> path; // {experiment} or {run}: the constructor allowed no others
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String rendered = out.toString();
    List<String> segments = new ArrayList<>();
    for (String segment : rendered.split(SEPARATORS, -1)) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException(
            "flag path '" + rendered + "' for experiment '" + experiment + "' has a '..' segment");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    String name = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    if (name.toLowerCase(Locale.ROOT).contains("tfevents")) {
      throw new IllegalArgumentException(
          "flag file name '" + name + "' contains 'tfevents': it would be read as an event file");
    }
    return String.join("/", segments);
  }

  /**
   * The experiment's path as substituted: "." becomes empty, empty and "." segments are dropped.
   *
   * @throws IllegalArgumentException if the name is absolute, has a {@code ..} segment or a NUL
   */
  static String experimentPath(String experiment) {
    if (experiment == null) {
      throw new IllegalArgumentException("experiment name is missing");
    }
    String problem = unsafe(experiment);
    if (problem != null) {
      throw new IllegalArgumentException(
          "experiment name '" + printable(experiment) + "' refused: " + problem);
    }
    List<String> kept = new ArrayList<>();
    for (String segment : experiment.split(SEPARATORS, -1)) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        kept.add(segment);
      }
    }
    return String.join("/", kept);
  }

  private static String problemOf(String pattern) {
    Matcher m = PLACEHOLDER.matcher(pattern);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group())) {
        return "has an unknown placeholder " + m.group() + " (allowed: " + PLACEHOLDERS + ")";
      }
    }
    if (!pattern.contains("{STATUS}") && !pattern.contains("{status}")) {
      return "does not name the status: it needs {STATUS} or {status}";
    }
    String literal = PLACEHOLDER.matcher(pattern).replaceAll("");
    if (literal.toLowerCase(Locale.ROOT).contains("tfevents")) {
      return "contains 'tfevents': the flag would be read as an event file";
    }
    return unsafe(pattern);
  }

  /** Why a name could leave the directory it is relative to, or null if it cannot. */
  private static @Nullable String unsafe(String name) {
    if (name.indexOf('\0') >= 0) {
      return "contains a NUL byte";
    }
    if (name.startsWith("/")
        || (BACKSLASH_SEPARATES && (name.startsWith("\\") || name.matches("^[A-Za-z]:.*")))) {
      return "is absolute (it must be relative to the base directory)";
    }
    for (String segment : name.split(SEPARATORS, -1)) {
      if (segment.equals("..")) {
        return "has a '..' segment";
      }
    }
    return null;
  }

  private static String printable(String name) {
    return name.replace("\0", "\\0");
  }
}
