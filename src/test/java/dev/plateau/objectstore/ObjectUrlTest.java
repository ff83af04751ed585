package dev.plateau.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ObjectUrlTest {
  @Test
  void s3UrlNamesBucketAndPrefixWithoutSlashesAtItsEnds() {
    ObjectUrl url = ObjectUrl.parse("s3://ml-logs/team-a/exp/").orElseThrow();
    assertThat(url.bucket()).isEqualTo("ml-logs");
    assertThat(url.prefix()).isEqualTo("team-a/exp");
    assertThat(url.directoryPrefix()).isEqualTo("team-a/exp/");
    assertThat(url).hasToString("s3://ml-logs/team-a/exp");
    assertThat(url.urlOf("team-a/exp/run/CONVERGED"))
        .isEqualTo("s3://ml-logs/team-a/exp/run/CONVERGED");
  }

  @Test
  void aPathMadeOfTheUrlIsTheSameUrl() {
    // Options arrive as paths, which fold the scheme's two slashes into one.
    assertThat(ObjectUrl.parse(Path.of("s3://ml-logs/team-a").toString()))
        .contains(new ObjectUrl("ml-logs", "team-a"));
  }

  @Test
  void wholeBucketHasAnEmptyPrefix() {
    ObjectUrl url = ObjectUrl.parse("s3://ml-logs").orElseThrow();
    assertThat(url.prefix()).isEmpty();
    assertThat(url.directoryPrefix()).isEmpty();
  }

  @Test
  void localPathsAreNoUrl() {
    assertThat(ObjectUrl.parse("/data/logs")).isEmpty();
    assertThat(ObjectUrl.parse("./s3:/data")).isEmpty();
  }

  @Test
  void googleAndAzureUrlsNameTheS3CompatibleRoute() {
    assertThatThrownBy(() -> ObjectUrl.parse("gs://bucket/logs"))
        .hasMessageContaining("storage.googleapis.com")
        .hasMessageContaining("HMAC");
    assertThatThrownBy(() -> ObjectUrl.parse("https://acct.blob.core.windows.net/c/logs"))
        .hasMessageContaining("S3-compatible gateway");
    assertThatThrownBy(() -> ObjectUrl.parse("abfss://c@acct.dfs.core.windows.net/logs"))
        .hasMessageContaining("S3-compatible gateway");
  }

  @Test
  void anS3UrlWithoutBucketIsRefused() {
    assertThatThrownBy(() -> ObjectUrl.parse("s3://")).hasMessageContaining("BUCKET");
  }
}
