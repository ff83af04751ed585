package dev.plateau.detect;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides from a tag's name whether it is a quality metric worth watching, and its direction.
 *
 * <p>The name is split into words at every character that is not a letter or digit ({@code
 * val_loss}, {@code loss/train}, {@code epoch_accuracy}, {@code top1_err}). A word naming a loss or
 * an error ({@code loss}, {@code error}, {@code err}, {@code nll}, {@code mse}, {@code mae}, {@code
 * rmse}, {@code perplexity}, {@code ppl}, {@code wer}, {@code cer} ...) makes it a MIN metric; else
 * a word naming a score ({@code acc}, {@code accuracy}, {@code auc}, {@code f1}, {@code iou},
 * {@code miou}, {@code map}, {@code bleu}, {@code rouge}, {@code precision}, {@code recall}, {@code
 * top1}, {@code top5}, {@code dice} ...) a MAX metric. A tag with a word naming something that is
 * not a quality (learning rates, scales, norms, times, throughput, memory, {@code hp_metric}) is
 * not watched, nor is a tag with no metric word.
 */
public final class TagClassifier {
  private static final Pattern WORD_SPLIT = Pattern.compile("[^a-z0-9]+");

  private static final Pattern MIN_WORD =
      Pattern.compile(
          "loss|losses|nll|error|errors|err|mse|mae|rmse|mape|smape|perplexity|ppl|wer|cer|ter"
              + "|bpc|bpd|(top|acc)\\d+err|err\\d+");
  private static final Pattern MAX_WORD =
      Pattern.compile(
          "acc|accs|accuracy|acc\\d+|auc|auroc|auprc|aupr|roc|f1|f1score|fscore|fbeta|iou|miou"
              + "|map|map\\d+|ap|ap\\d+|bleu|bleu\\d+|rouge|rouge\\w*|meteor|chrf|precision|recall"
              + "|top\\d+|dice|psnr|ssim|r2|mcc|ndcg|ndcg\\d+|hit|hits|hits\\d+|mrr|kappa"
              + "|reward|return|score");
  private static final Set<String> NOT_QUALITY =
      Set.of(
          "lr",
          "learning",
          "scale",
          "scaler",
          "norm",
          "grad",
          "grads",
          "gradient",
          "time",
          "seconds",
          "sec",
          "secs",
          "duration",
          "throughput",
          "speed",
          "memory",
          "mem",
          "gpu",
          "cpu",
          "util",
          "utilization",
          "hp",
          "hparam",
          "hparams",
          "momentum",
          "beta",
          "temperature",
          "weight",
          "weights",
          "param",
          "params",
          "count",
          "samples",
          "tokens");

  private static final Set<String> VALIDATION_WORDS =
      Set.of("val", "valid", "validation", "eval", "evaluation", "test", "dev", "holdout");

  private TagClassifier() {}

  /** The direction of a tag that looks like a quality metric; empty when it does not. */
  public static Optional<Mode> classify(String tag) {
    String[] words = WORD_SPLIT.split(tag.toLowerCase(Locale.ROOT));
    Mode found = null;
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      if (NOT_QUALITY.contains(word)) {
        return Optional.empty();
      }
      if (MIN_WORD.matcher(word).matches()) {
        found = Mode.MIN;
      } else if (found == null && MAX_WORD.matcher(word).matches()) {
        found = Mode.MAX;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The direction of a tag whose mode is "auto": from its name, or MIN when the name says none. */
  public static Mode modeOf(String tag) {
    return classify(tag).orElse(Mode.MIN);
  }

  /**
   * Whether a (run, tag) is a validation metric: the run's last directory or a word of the tag is
   * {@code val}, {@code validation}, {@code eval}, {@code test} ...
   */
  public static boolean isValidation(String run, String tag) {
    String lastDir = run.substring(run.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (VALIDATION_WORDS.contains(lastDir)) {
      return true;
    }
    for (String word : WORD_SPLIT.split(tag.toLowerCase(Locale.ROOT))) {
      if (VALIDATION_WORDS.contains(word)) {
        return true;
      }
    }
    return false;
  }
}
