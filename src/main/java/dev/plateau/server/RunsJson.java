package dev.plateau.server;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Verdict;
import dev.plateau.format.VerdictJson;
import dev.plateau.verdict.RunVerdict;
import java.util.List;

/**
 * The body of {@code /api/runs}: per logdir, every experiment with its status and each watched
 * series' verdict (the fields of {@link VerdictJson}), names escaped so no markup survives in them.
 */
final class RunsJson {
  private static final ObjectMapper JSON =
      new ObjectMapper(new JsonFactoryBuilder().characterEscapes(new HtmlSafeJsonEscapes()).build());

  private RunsJson() {}

  static String render(List<Watcher> watchers) throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode logdirs = root.putArray("logdirs");
    for (Watcher w : watchers) {
      ObjectNode l = logdirs.addObject();
      l.put("logdir", w.logdir().toString());
      ArrayNode runs = l.putArray("runs");
      for (RunVerdict r : w.published()) {
        ObjectNode run = runs.addObject();
        run.put("run", r.run());
        run.put("status", r.status().jsonName());
        run.put("reason", r.reason());
        ArrayNode series = run.putArray("series");
        for (Verdict v : r.series()) {
          series.add(VerdictJson.of(v));
        }
      }
    }
    return JSON.writeValueAsString(root);
  }
}
