package dev.plateau.sink;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Alerts built by hand with the payload fields that Alert's Javadoc lists. */
final class Alerts {
  private Alerts() {}

  static ObjectNode payload() {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("run", "exp1/seed-1");
    p.put("tag", "val_loss");
    p.put("mode", "min");
    p.put("status", "converged");
    p.put("detector", "plateau");
    p.put("decided_at_step", 5000);
    p.put("best_step", 4200);
    p.put("best_value", 0.312);
    p.put("last_step", 5100);
    p.put("points", 51);
    p.put("reason", "relative improvement 0.2% over the last 1000 steps is below min_delta 1%");
    p.putObject("evidence").put("window", 1000).put("decay", 0.002);
    p.put("logdir", "/data/runs");
    p.put("experiment", "exp1");
    p.put("host", "gpu-7");
    p.put("time", "2025-03-01T12:00:00Z");
    p.put("previous_status", "training");
    var values = p.putArray("values");
    for (double v : new double[] {1.0, 0.8, 0.6, 0.5, 0.42, 0.37, 0.34, 0.32, 0.315, 0.312}) {
      values.add(v);
    }
    return p;
  }

  static Alert alert(ObjectNode payload) {
    return Alert.stored("alrt_7f3a9c", payload.path("experiment").asText(), payload);
  }

  static Alert alert() {
    return alert(payload());
  }
}
