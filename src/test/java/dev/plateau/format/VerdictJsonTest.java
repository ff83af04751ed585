package dev.plateau.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Mode;
import dev.plateau.detect.Status;
import dev.plateau.detect.Verdict;
import dev.plateau.testing.VerdictFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Verdict verdict(
      Long decided, Long bestStep, double bestValue, Map<String, Object> evidence) {
    return new Verdict(
        "exp/validation",
        "epoch_loss",
        Mode.MIN,
        Status.TARGET_REACHED,
        "target",
        decided,
        bestStep,
        bestValue,
        900,
        91,
        evidence,
        "reached the target");
  }

  @Test
  void fieldNamesAreExactlyTheDocumentedOnesInOrder() throws Exception {
    ObjectNode o = VerdictJson.of(verdict(800L, 750L, 0.25, Map.of()));
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyElementsOf(VerdictFields.SERIES);
    JsonNode back = MAPPER.readTree(MAPPER.writeValueAsString(o));
    assertThat(back.get("run").asText()).isEqualTo("exp/validation");
    assertThat(back.get("tag").asText()).isEqualTo("epoch_loss");
    assertThat(back.get("mode").asText()).isEqualTo("min");
    assertThat(back.get("status").asText()).isEqualTo("target_reached");
    assertThat(back.get("detector").asText()).isEqualTo("target");
    assertThat(back.get("decided_at_step").asLong()).isEqualTo(800);
    assertThat(back.get("best_step").asLong()).isEqualTo(750);
    assertThat(back.get("best_value").isNumber()).isTrue();
    assertThat(back.get("best_value").asDouble()).isEqualTo(0.25);
    assertThat(back.get("last_step").asLong()).isEqualTo(900);
    assertThat(back.get("points").asLong()).isEqualTo(91);
    assertThat(back.get("reason").asText()).isEqualTo("reached the target");
    assertThat(back.get("evidence").isObject()).isTrue();
  }

  @Test
  void nanBestValueIsTheStringNaN() throws Exception {
    JsonNode back =
        MAPPER.readTree(
            MAPPER.writeValueAsString(VerdictJson.of(verdict(1L, 5L, Double.NaN, Map.of()))));
    assertThat(back.get("best_value").isTextual()).isTrue();
    assertThat(back.get("best_value").asText()).isEqualTo("NaN");
  }

  @Test
  void noBestStepGivesNullBestStepAndNullBestValue() {
    ObjectNode o = VerdictJson.of(verdict(null, null, Double.NaN, Map.of()));
    assertThat(o.get("decided_at_step").isNull()).isTrue();
    assertThat(o.get("best_step").isNull()).isTrue();
    assertThat(o.get("best_value").isNull()).isTrue();
  }

  @Test
  void evidenceKeepsTypesAndWritesNonFiniteNumbersAsStrings() throws Exception {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("z", 1.5);
    ev.put("nan", Double.NaN);
    ev.put("inf", Double.NEGATIVE_INFINITY);
    ev.put("f", 0.5f);
    ev.put("window", 20);
    ev.put("since_step", 12345678901L);
    ev.put("beaten", true);
    ev.put("patience", "10 points");
    JsonNode e =
        MAPPER
            .readTree(MAPPER.writeValueAsString(VerdictJson.of(verdict(1L, 1L, 1, ev))))
            .get("evidence");
    assertThat(e.get("z").asDouble()).isEqualTo(1.5);
    assertThat(e.get("nan").asText()).isEqualTo("NaN");
    assertThat(e.get("inf").asText()).isEqualTo("-Infinity");
    assertThat(e.get("f").asDouble()).isEqualTo(0.5);
    assertThat(e.get("window").isInt()).isTrue();
    assertThat(e.get("since_step").asLong()).isEqualTo(12345678901L);
    assertThat(e.get("beaten").isBoolean()).isTrue();
    assertThat(e.get("patience").asText()).isEqualTo("10 points");
  }

  @Test
  void numberHelperWritesInfinitiesAsStrings() {
    assertThat(VerdictJson.number(Double.POSITIVE_INFINITY).asText()).isEqualTo("Infinity");
    assertThat(VerdictJson.number(Double.NEGATIVE_INFINITY).asText()).isEqualTo("-Infinity");
    assertThat(VerdictJson.number(0.1).isNumber()).isTrue();
  }
}
