package dev.plateau.server;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.StopPolicy;
import dev.plateau.format.SavingsJson;
import dev.plateau.format.VerdictJson;
import dev.plateau.verdict.ExperimentSavings;
import dev.plateau.verdict.ExperimentVerdict;
import java.util.List;

/**
 * The body of {@code /api/runs}: per logdir, the experiments with their status and each watched
 * series' verdict (the fields of {@link VerdictJson}), names escaped so no markup survives in them.
 * Paged, so that the answer stays small whatever the logdir holds: {@code ?offset=N&limit=M}
 * (default 0 and {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}) selects experiments by their
 * place in name order, and each logdir says {@code total_runs}, {@code offset} and {@code
 * next_offset} (null on the last page). What stopping saved ({@code saved}, {@link SavingsJson}) is
 * given per experiment and, over every experiment of the logdir, per logdir.
 */
final class RunsJson {
  static final int DEFAULT_LIMIT = 1_000;
  static final int MAX_LIMIT = 10_000;

  /** Which experiments of each logdir to answer with. */
  record Slice(int offset, int limit) {
    static final Slice FIRST = new Slice(0, DEFAULT_LIMIT);

    /**
     * From a raw query ({@code offset=N&limit=M}); values out of range are clamped, others ignored.
     */
    static Slice of(String rawQuery) {
      int offset = 0;
      int limit = DEFAULT_LIMIT;
      if (rawQuery != null) {
        for (String pair : rawQuery.split("&")) {
          int eq = pair.indexOf('=');
          String key = eq < 0 ? pair : pair.substring(0, eq);
          String value = eq < 0 ? "" : pair.substring(eq + 1);
          if (key.equals("offset")) {
            offset = (int) Math.min(Integer.MAX_VALUE, Math.max(0, parse(value, 0)));
          } else if (key.equals("limit")) {
            limit = (int) Math.min(MAX_LIMIT, Math.max(1, parse(value, DEFAULT_LIMIT)));
          }
        }
      }
      return new Slice(offset, limit);
    }

    private static long parse(String value, long otherwise) {
      if (value.isEmpty() || value.length() > 12 || !value.chars().allMatch(Character::isDigit)) {
        return otherwise;
      }
      return Long.parseLong(value);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper(
          new JsonFactoryBuilder().characterEscapes(new HtmlSafeJsonEscapes()).build());

  private RunsJson() {}

  static String render(List<Watcher> watchers) throws JsonProcessingException {
    return render(watchers, Slice.FIRST);
  }

  static String render(List<Watcher> watchers, Slice slice) throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode logdirs = root.putArray("logdirs");
    for (Watcher w : watchers) {
      ObjectNode l = logdirs.addObject();
      l.put("logdir", w.logdirName());
      List<ExperimentVerdict> all = w.published();
      int from = Math.min(slice.offset(), all.size());
      int to = (int) Math.min(all.size(), (long) from + slice.limit());
      l.put("total_runs", all.size());
      l.put("offset", from);
      if (to < all.size()) {
        l.put("next_offset", to);
      } else {
        l.putNull("next_offset");
      }
      StopPolicy stops = w.judge().stops();
      l.set(SavingsJson.FIELD, SavingsJson.of(ExperimentSavings.total(all, stops)));
      ArrayNode runs = l.putArray("runs");
      for (ExperimentVerdict r : all.subList(from, to)) {
        runs.add(
            VerdictJson.experiment(r.experiment(), r.status(), r.reason(), r.series())
                .set(SavingsJson.FIELD, SavingsJson.of(ExperimentSavings.of(r, stops))));
      }
    }
    return JSON.writeValueAsString(root);
  }
}
