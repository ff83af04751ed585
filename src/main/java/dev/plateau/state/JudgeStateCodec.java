package dev.plateau.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plateau.detect.Detector;
import dev.plateau.detect.DetectorState;
import dev.plateau.detect.SeriesJudge;
import dev.plateau.detect.SmoothedDetector;
import dev.plateau.detect.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a series judge's state as JSON and reads it back into a judge built from the same plan.
 * Each detector's state is read with the type of the detector it is restored into, so the JSON
 * names no Java types.
 */
public final class JudgeStateCodec {
  /**
   * Detector states are mostly doubles (a plateau detector's bins): the fast reader and writer of
   * doubles (both exact: correctly rounded, shortest round-trip) restore a thousand runs' states
   * in a fraction of the time.
   */
  static final ObjectMapper JSON =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private JudgeStateCodec() {}

  /** The judge's state as JSON text. */
  public static String write(SeriesJudge judge) {
    SeriesJudge.State state = judge.snapshot();
    ObjectNode root = JSON.createObjectNode();
    root.set("verdict", JSON.valueToTree(state.verdict()));
    root.put("points", state.points());
    root.put("last_step", state.lastStep());
    ArrayNode detectors = root.putArray("detectors");
    for (int i = 0; i < state.detectors().size(); i++) {
      ObjectNode d = detectors.addObject();
      d.put("name", judge.detectors().get(i).name());
      d.set("state", JSON.valueToTree(state.detectors().get(i)));
    }
    // Written by this mapper, not JsonNode.toString() (Jackson's internal mapper), so the fast
    // double writer applies: a checkpoint of a thousand live runs writes millions of doubles.
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a detector state as JSON", e);
    }
  }

  /**
   * Restores {@code judge} from JSON written by {@link #write}.
   *
   * @throws IllegalArgumentException when the JSON does not fit the judge (its detectors changed
   *     with the configuration): the caller then rebuilds the series from its files
   */
  public static void read(String json, SeriesJudge judge) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode detectors = root.path("detectors");
      if (detectors.size() != judge.detectors().size()) {
        throw new IllegalArgumentException("saved detectors differ from the configured ones");
      }
      List<DetectorState> states = new ArrayList<>();
      for (int i = 0; i < detectors.size(); i++) {
        Detector detector = judge.detectors().get(i);
        JsonNode saved = detectors.get(i);
        if (!detector.name().equals(saved.path("name").asText())) {
          throw new IllegalArgumentException(
              "saved detector " + saved.path("name").asText() + " where " + detector.name() + " is configured");
        }
        states.add(readState(saved.path("state"), detector));
      }
      Verdict verdict = JSON.treeToValue(root.path("verdict"), Verdict.class);
      judge.restore(
          new SeriesJudge.State(
              verdict, root.path("points").asLong(), root.path("last_step").asLong(), states));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable saved state: " + e.getOriginalMessage(), e);
    }
  }

  private static DetectorState readState(JsonNode node, Detector detector)
      throws JsonProcessingException {
    if (detector instanceof SmoothedDetector smoothed) {
      return new SmoothedDetector.State(
          node.path("last").asDouble(),
          node.path("count").asInt(),
          readState(node.path("inner"), smoothed.inner()));
    }
    return JSON.treeToValue(node, detector.snapshot().getClass());
  }
}
