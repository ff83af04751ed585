package dev.plateau.verdict;

import dev.plateau.series.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the training twin of a validation series, for the overfitting detector, in the layouts that
 * writers use:
 *
 * <ul>
 *   <li>Keras: runs {@code X/validation} (or {@code val}, {@code eval}, {@code test}) and {@code
 *       X/train} with the same tag;
 *   <li>one run with tags {@code val_loss}/{@code train_loss} (and {@code loss}, as in Keras
 *       history names), {@code loss/val}/{@code loss/train}, {@code eval/loss}/{@code train/loss},
 *       {@code valid_acc}/{@code train_acc} ...: the validation word replaced by {@code train},
 *       {@code training}, or dropped.
 * </ul>
 */
public final class TwinFinder {
  private static final Set<String> VALIDATION =
      Set.of("val", "valid", "validation", "eval", "evaluation", "test", "dev");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9]+");

  private TwinFinder() {}

  /** Candidate twins of a validation series, most likely first. */
  public static List<SeriesKey> candidates(String run, String tag) {
    List<SeriesKey> out = new ArrayList<>();
    int slash = run.lastIndexOf('/');
    String last = run.substring(slash + 1).toLowerCase(Locale.ROOT);
    if (VALIDATION.contains(last)) {
      String parent = slash < 0 ? "" : run.substring(0, slash + 1);
      out.add(new SeriesKey(parent + "train", tag));
      out.add(new SeriesKey(parent + "training", tag));
    }
    Matcher m = WORD.matcher(tag);
    while (m.find()) {
      if (VALIDATION.contains(m.group().toLowerCase(Locale.ROOT))) {
        String before = tag.substring(0, m.start());
        String after = tag.substring(m.end());
        out.add(new SeriesKey(run, before + "train" + after));
        out.add(new SeriesKey(run, before + "training" + after));
        out.add(new SeriesKey(run, before + "TRAIN" + after));
        String dropped = drop(before, after);
        if (!dropped.isEmpty()) {
          out.add(new SeriesKey(run, dropped));
        }
      }
    }
    return out;
  }

  /** The tag without the validation word and the separator next to it. */
  private static String drop(String before, String after) {
    if (!after.isEmpty() && !Character.isLetterOrDigit(after.charAt(0))) {
      return before + after.substring(1);
    }
    if (!before.isEmpty() && !Character.isLetterOrDigit(before.charAt(before.length() - 1))) {
      return before.substring(0, before.length() - 1) + after;
    }
    return before + after;
  }

  /** Resolves a configured twin run ({@code ../train}) against a series' run. */
  public static String resolveRun(String run, String twinRun) {
    if (twinRun == null) {
      return run;
    }
    List<String> parts = new ArrayList<>(List.of(run.equals(".") ? new String[0] : run.split("/")));
    for (String part : twinRun.split("/")) {
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else if (!part.equals(".") && !part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts.isEmpty() ? "." : String.join("/", parts);
  }
}
