package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
  @Test
  void printShowsTheConfigurationWithUrlsAndSecretsMasked(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("p.yaml");
    Files.writeString(
        file,
        "webhook:\n  urls: [\"https://hooks.example.com/T0/tok-SECRET1\"]\n"
            + "  secret: whsec_SECRET2SECRET2SECRET2SECRET2\n"
            + "slack:\n  url: https://hooks.slack.com/services/T/B/SECRET3\n"
            + "detection:\n  plateau:\n    min_delta: 0.02\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(out, new PrintWriter(err, true), "config", "--print", "--config", file.toString());
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(err.toString()).isZero();
    assertThat(printed).contains("min_delta: 0.02", "https://hooks.example.com/***", "whsec_***");
    assertThat(printed).doesNotContain("SECRET1", "SECRET2", "SECRET3");
  }

  @Test
  void invalidConfigurationExitsTwoNamingTheKey(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("p.yaml");
    Files.writeString(file, "detection:\n  converged_when: sometimes\n");
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            new ByteArrayOutputStream(),
            new PrintWriter(err, true),
            "config",
            "--config",
            file.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("detection.converged_when", "sometimes", "auto, any, all");
  }

  @Test
  void printShowsSecretFilePathsAndAnEmptySecretWithoutFailing(@TempDir Path temp)
      throws Exception {
    Path file = temp.resolve("p.yaml");
    Files.writeString(
        file,
        "webhook:\n  secret: \"\"\n  urls_file: /run/secrets/urls\nslack:\n  url_file: /run/secrets/slack\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(out, new PrintWriter(err, true), "config", "--print", "--config", file.toString());
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("urls_file: /run/secrets/urls", "url_file: /run/secrets/slack", "secret: ''");
  }

  @Test
  void invalidYamlNextToASecretIsReportedWithoutTheSecret(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("p.yaml");
    Files.writeString(file, "webhook:\n  secret: \"whsec_SECRET4SECRET4SECRET4SECRET4\n");
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Main.run(out, new PrintWriter(err, true), "config", "--print", "--config", file.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("not valid YAML", "line 2").doesNotContain("SECRET4");
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("SECRET4");
  }
}
