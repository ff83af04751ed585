package dev.plateau.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The files the status page loads, from the jar: its stylesheet and its one script. Read once; the
 * CSP ({@link SecurityHeaders}) allows these and nothing else.
 */
enum StaticFile {
  STYLE("/static/plateau.css", "plateau.css", "text/css; charset=utf-8"),
  SCRIPT("/static/plateau.js", "plateau.js", "text/javascript; charset=utf-8");

  private final String path;
  private final String type;
  private final byte[] bytes;

  StaticFile(String path, String resource, String type) {
    this.path = path;
    this.type = type;
    try (InputStream in =
        Objects.requireNonNull(
            StaticFile.class.getResourceAsStream(resource), "missing resource " + resource)) {
      this.bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String path() {
    return path;
  }

  String type() {
    return type;
  }

  byte[] bytes() {
    return bytes.clone();
  }
}
