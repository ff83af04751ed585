package dev.plateau.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes API's object schemas as a JSON Schema validator checks them, as {@code kubectl
 * --validate=strict} and kubeconform's strict schemas do: a field the API does not define is an
 * error, as are a wrong type and a missing required field.
 *
 * <p>The definitions are the Kubernetes API's OpenAPI (Swagger 2.0) definitions that fabric8's
 * {@code kubernetes-model-validator} jar ships ({@value #RESOURCE}); {@code com.networknt
 * json-schema-validator} checks documents against them. Definitions are used as the API server
 * reads them: an int-or-string is an integer or a string, a quantity a string or a number (the
 * OpenAPI file calls both strings); the OpenAPI extensions ({@code x-...}) and formats, which JSON
 * Schema draft 4 does not define, are left out.
 */
final class KubernetesSchema {
  static final String RESOURCE = "/openshift-generated.json";
  private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

  private final ObjectNode definitions;
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

  private KubernetesSchema(ObjectNode definitions) {
    this.definitions = definitions;
  }

  /** Loads the definitions from the classpath, the Kubernetes API's alone (io.k8s.*). */
  static KubernetesSchema load() throws IOException {
    JsonNode openapi;
    try (InputStream in = KubernetesSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(
            RESOURCE + " is not on the classpath (io.fabric8:kubernetes-model-validator)");
      }
      openapi = new ObjectMapper().readTree(in);
    }
    ObjectNode definitions = new ObjectMapper().createObjectNode();
    for (Map.Entry<String, JsonNode> d : openapi.get("definitions").properties()) {
      if (d.getKey().startsWith("io.k8s.")) {
        definitions.set(d.getKey(), strict(d.getValue().deepCopy()));
      }
    }
    ArrayNode intOrString = definitions.arrayNode().add("integer").add("string");
    definitions.set(INT_OR_STRING, definitions.objectNode().set("type", intOrString));
    ArrayNode quantity = definitions.arrayNode().add("string").add("number");
    definitions.set(QUANTITY, definitions.objectNode().set("type", quantity));
    return new KubernetesSchema(definitions);
  }

  /**
   * A schema node with every object that names its properties closed to others, and without the
   * keywords draft 4 does not know.
   */
  private static JsonNode strict(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<String> names = object.fieldNames();
      List<String> drop = new ArrayList<>();
      while (names.hasNext()) {
        String name = names.next();
        if (name.startsWith("x-") || name.equals("format") || name.equals("description")) {
          drop.add(name);
        }
      }
      object.remove(drop);
      if (object.has("properties") && !object.has("additionalProperties")) {
        object.put("additionalProperties", false);
      }
      for (Map.Entry<String, JsonNode> child : object.properties()) {
        if (child.getKey().equals("properties")) {
          for (Map.Entry<String, JsonNode> property : child.getValue().properties()) {
            strict(property.getValue());
          }
        } else {
          strict(child.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode item : array) {
        strict(item);
      }
    }
    return node;
  }

  /**
   * The definition of an API object: {@code v1} is the core group ({@code io.k8s.api.core.v1}),
   * {@code batch/v1} {@code io.k8s.api.batch.v1}, {@code networking.k8s.io/v1} {@code
   * io.k8s.api.networking.v1}.
   */
  static String definitionOf(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "core" : apiVersion.substring(0, slash).split("\\.")[0];
    return "io.k8s.api." + group + "." + apiVersion.substring(slash + 1) + "." + kind;
  }

  /**
   * What is wrong with a Kubernetes object (empty when nothing is): a document without {@code
   * apiVersion} or {@code kind}, or whose kind the API does not have, is wrong too.
   */
  List<String> problems(JsonNode object) {
    if (!object.path("apiVersion").isTextual() || !object.path("kind").isTextual()) {
      return List.of("not a Kubernetes object: apiVersion and kind are required");
    }
    String name = definitionOf(object.get("apiVersion").asText(), object.get("kind").asText());
    if (!definitions.has(name)) {
      return List.of(
          "no Kubernetes schema for apiVersion "
              + object.get("apiVersion").asText()
              + " kind "
              + object.get("kind").asText());
    }
    ObjectNode root = definitions.objectNode();
    root.put("$ref", "#/definitions/" + name);
    root.set("definitions", definitions);
    Schema schema = registry.getSchema(SchemaLocation.of("urn:kubernetes:" + name), root);
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(object)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return out;
  }
}
