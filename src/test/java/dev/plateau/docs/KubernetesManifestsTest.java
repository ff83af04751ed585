package dev.plateau.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every Kubernetes manifest under {@code examples/} is valid against the Kubernetes API's schema
 * ({@link KubernetesSchema}: unknown fields, wrong types and missing required fields are errors),
 * and the shipped example keeps what a production Job needs: pinned images, the runtime's seccomp
 * profile and Prometheus' scrape annotations on Plateau's port.
 */
class KubernetesManifestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static KubernetesSchema schema;

  @BeforeAll
  static void load() throws IOException {
    schema = KubernetesSchema.load();
  }

  /** The documents of a YAML stream, empty ones (a trailing comment) left out. */
  static List<JsonNode> documents(String yaml) {
    List<JsonNode> out = new ArrayList<>();
    for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
      if (document != null) {
        out.add(JSON.valueToTree(document));
      }
    }
    return out;
  }

  /**
   * The Kubernetes objects in the examples: every document of a file under examples/kubernetes/,
   * and every document elsewhere under examples/ that has an apiVersion or a kind.
   */
  static List<Manifest> manifests() throws IOException {
    List<Manifest> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("examples"))) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        boolean kubernetes = file.startsWith(Path.of("examples", "kubernetes"));
        for (JsonNode document : documents(Files.readString(file))) {
          if (kubernetes || document.has("apiVersion") || document.has("kind")) {
            out.add(new Manifest(file, document));
          }
        }
      }
    }
    return out;
  }

  record Manifest(Path file, JsonNode object) {}

  static String resource(String name) throws IOException {
    try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("kubernetes/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyManifestInTheExamplesIsValidAgainstTheKubernetesSchema() throws IOException {
    List<Manifest> manifests = manifests();
    assertThat(manifests).extracting(m -> m.file().toString()).contains(trainingJob().toString());
    for (Manifest m : manifests) {
      assertThat(schema.problems(m.object()))
          .as(m.file() + " " + m.object().path("kind"))
          .isEmpty();
    }
  }

  @Test
  void aFieldTheApiDoesNotDefineIsAnError() throws IOException {
    List<String> problems = schema.problems(documents(resource("misspelled-field.yaml")).get(0));
    assertThat(problems)
        .singleElement()
        .asString()
        .contains("/spec/template/spec/containers/0")
        .contains("imagePullPolicyy");
  }

  @Test
  void aWrongTypeAndAMissingRequiredFieldAreErrors() throws IOException {
    List<String> problems = schema.problems(documents(resource("wrong-type.yaml")).get(0));
    assertThat(String.join("\n", problems))
        .contains("/spec/backoffLimit")
        .contains("/spec/template/spec/initContainers/0/ports/0/containerPort")
        .contains("containers");
  }

  @Test
  void aKindTheApiDoesNotHaveIsAnError() throws IOException {
    assertThat(schema.problems(documents(resource("unknown-kind.yaml")).get(0)))
        .containsExactly("no Kubernetes schema for apiVersion batch/v1 kind TrainingJob");
    assertThat(schema.problems(JSON.createObjectNode().put("kind", "Job")))
        .containsExactly("not a Kubernetes object: apiVersion and kind are required");
  }

  @Test
  void theTrainingJobWithAFieldRenamedDeepInsideIsRejected() throws IOException {
    JsonNode job = documents(Files.readString(trainingJob())).get(0);
    ObjectNode sidecar = (ObjectNode) job.at("/spec/template/spec/initContainers/0");
    sidecar.set("livenesProbe", sidecar.remove("livenessProbe"));
    assertThat(schema.problems(job)).singleElement().asString().contains("livenesProbe");
  }

  static Path trainingJob() {
    return Path.of("examples", "kubernetes", "training-job.yaml");
  }

  @Test
  void theTrainingJobPinsItsImagesAndIsReadyForPrometheusAndSeccomp() throws IOException {
    JsonNode pod = documents(Files.readString(trainingJob())).get(0).at("/spec/template");
    List<JsonNode> containers = new ArrayList<>();
    pod.at("/spec/initContainers").forEach(containers::add);
    pod.at("/spec/containers").forEach(containers::add);
    for (JsonNode c : containers) {
      assertThat(c.get("image").asText())
          .as(c.get("name").asText())
          .matches(".+:\\d+\\.\\d+\\.\\d+")
          .doesNotEndWith(":latest");
    }
    JsonNode plateau = pod.at("/spec/initContainers/0");
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher version =
        Pattern.compile("<artifactId>plateau</artifactId>\\s*<version>(\\d+\\.\\d+\\.\\d+)")
            .matcher(pom);
    assertThat(version.find()).isTrue();
    assertThat(plateau.get("image").asText())
        .as("the example names the version being built")
        .endsWith(":" + version.group(1));

    assertThat(pod.at("/spec/securityContext/seccompProfile/type").asText())
        .isEqualTo("RuntimeDefault");
    JsonNode annotations = pod.at("/metadata/annotations");
    assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
    assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
    assertThat(annotations.path("prometheus.io/port").asText())
        .isEqualTo(plateau.at("/ports/0/containerPort").asText());
  }
}
