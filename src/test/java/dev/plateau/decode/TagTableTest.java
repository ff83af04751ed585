package dev.plateau.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TagTableTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(TagState state) {
    return state == null ? null : state.text;
  }

  @Test
  void findsAddedTagsByTheirBytesAnywhereInAnArray() {
    TagTable table = new TagTable();
    table.add(bytes("loss"), new TagState("loss"));
    table.add(bytes(""), new TagState("empty"));
    byte[] record = bytes("xxlossyy");
    assertThat(text(table.find(record, 2, 4))).isEqualTo("loss");
    assertThat(table.find(record, 2, 3)).isNull(); // a prefix is another tag
    assertThat(table.find(record, 1, 5)).isNull();
    assertThat(text(table.find(record, 5, 0))).isEqualTo("empty");
  }

  @Test
  void givesTheRightTextWhateverTheOrderOfLookupsAndAfterGrowing() {
    TagTable table = new TagTable();
    Map<String, String> reference = new HashMap<>();
    Random random = new Random(3);
    String[] keys = new String[300];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "tag/" + Integer.toString(random.nextInt(1 << 20), 36) + "/" + i;
    }
    for (int i = 0; i < keys.length; i++) {
      table.add(bytes(keys[i]), new TagState("text of " + keys[i]));
      reference.put(keys[i], "text of " + keys[i]);
      // Lookups in a repeating order (which the successor guess learns), then at random.
      for (int j = 0; j < 5; j++) {
        String key = j < 3 ? keys[(i + j) % (i + 1)] : keys[random.nextInt(i + 1)];
        byte[] padded = bytes("##" + key + "##");
        assertThat(text(table.find(padded, 2, padded.length - 4))).isEqualTo(reference.get(key));
      }
    }
    assertThat(table.size()).isEqualTo(keys.length);
    for (int round = 0; round < 3; round++) {
      for (String key : keys) {
        assertThat(text(table.find(bytes(key), 0, bytes(key).length)))
            .isEqualTo(reference.get(key));
      }
    }
    assertThat(table.find(bytes("tag/absent"), 0, 10)).isNull();
  }

  @Test
  void aGuessThatDiffersOnlyInItsLastByteIsNotTaken() {
    TagTable table = new TagTable();
    table.add(bytes("loss/a"), new TagState("A"));
    table.add(bytes("loss/b"), new TagState("B"));
    table.add(bytes("loss/c"), new TagState("C"));
    for (int i = 0; i < 3; i++) {
      assertThat(text(table.find(bytes("loss/a"), 0, 6))).isEqualTo("A");
      assertThat(text(table.find(bytes("loss/b"), 0, 6))).isEqualTo("B");
    }
    // After "loss/a" the guess is "loss/b"; "loss/c" must not be taken for it.
    assertThat(text(table.find(bytes("loss/a"), 0, 6))).isEqualTo("A");
    assertThat(text(table.find(bytes("loss/c"), 0, 6))).isEqualTo("C");
    assertThat(table.find(bytes("loss/d"), 0, 6)).isNull();
  }
}
