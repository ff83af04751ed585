package dev.plateau.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoreConfigTest {
  @Test
  void theDocumentedSectionIsTheBuiltInDefaults() throws Exception {
    assertThat(ConfigLoader.load(Path.of("config/plateau.yaml")).objectStore())
        .isEqualTo(ObjectStoreConfig.defaults());
  }

  @Test
  void keysAreReadFromTheFileAndPathStyleAutoIsNull() throws Exception {
    ObjectStoreConfig read =
        ConfigLoader.parse(
                String.join(
                    "\n",
                    "object_store:",
                    "  endpoint: http://minio:9000",
                    "  region: eu-west-1",
                    "  path_style: auto",
                    "  poll_interval: 30s",
                    "  get_parallelism: 4",
                    "  unreachable_after: 2m",
                    "  request_timeout: 5s"),
                "test")
            .objectStore();
    assertThat(read)
        .isEqualTo(
            new ObjectStoreConfig(
                "http://minio:9000",
                "eu-west-1",
                null,
                Duration.ofSeconds(30),
                4,
                Duration.ofMinutes(2),
                Duration.ofSeconds(5)));
    assertThat(
            ConfigLoader.parse("object_store: {path_style: true}", "t").objectStore().pathStyle())
        .isTrue();
  }

  @Test
  void variablesSetTheKeys() throws Exception {
    PlateauConfig config =
        ConfigLoader.load(
            Path.of("config/plateau.yaml"),
            Map.of(
                "PLATEAU_OBJECT_STORE_POLL_INTERVAL", "1s",
                "PLATEAU_OBJECT_STORE_ENDPOINT", "http://127.0.0.1:9000"));
    assertThat(config.objectStore().pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.objectStore().endpoint()).isEqualTo("http://127.0.0.1:9000");
  }

  @Test
  void tooShortAPollIntervalAndAnUnknownKeyAreRefusedByName() {
    assertThatThrownBy(() -> ConfigLoader.parse("object_store: {poll_interval: 1ms}", "t"))
        .hasMessageContaining("poll_interval");
    assertThatThrownBy(() -> ConfigLoader.parse("object_store: {bucket: x}", "t"))
        .hasMessageContaining("bucket");
  }
}
