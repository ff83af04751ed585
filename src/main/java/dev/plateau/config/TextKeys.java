package dev.plateau.config;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Refuses YAML whose mapping keys are lists or mappings, before any map is built. Every key of the
 * configuration is text, so such a key is a mistake, and a costly one: building a map hashes its
 * keys, and a key made of nested aliases (each a list of a few references to the one before) costs
 * time exponential in the number of aliases, so that a few hundred bytes could stall start-up for
 * hours within the parser's own alias limit. The check walks the parsed node graph once, visiting
 * each node once however many aliases refer to it.
 */
final class TextKeys {
  private TextKeys() {}

  /**
   * Fails when a key of any mapping in {@code text} is not a scalar. Text that is not valid YAML
   * passes: the loader reports it.
   */
  static void require(String text, String source, int maxAliases) throws ConfigException {
    Optional<Node> root;
    try {
      LoadSettings settings =
          LoadSettings.builder()
              .setLabel(source)
              .setMaxAliasesForCollections(maxAliases)
              // composed here so that a key that is a list or a mapping is refused naming where it
              // is
              .setAllowNonScalarKeys(true)
              .build();
      root = new Compose(settings).composeString(text);
    } catch (YamlEngineException e) {
      return;
    }
    Deque<Node> pending = new ArrayDeque<>();
    root.ifPresent(pending::push);
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty()) {
      Node node = pending.pop();
      if (!seen.add(node)) {
        continue;
      }
      if (node instanceof MappingNode mapping) {
        for (NodeTuple entry : mapping.getValue()) {
          if (!(entry.getKeyNode() instanceof ScalarNode)) {
            String at =
                entry
                    .getKeyNode()
                    .getStartMark()
                    .map(
                        m ->
                            " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")")
                    .orElse("");
            throw new ConfigException(
                source + ": a key is a list or a mapping" + at + "; keys must be text");
          }
          pending.push(entry.getValueNode());
        }
      } else if (node instanceof SequenceNode sequence) {
        sequence.getValue().forEach(pending::push);
      }
    }
  }
}
