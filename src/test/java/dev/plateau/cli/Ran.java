package dev.plateau.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** What a command line run in-process exited with and wrote to standard output and error. */
record Ran(int exit, String out, String err) {
  /** Runs {@code args} through {@link Main#run}, in this process. */
  static Ran run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit = Main.run(out, new PrintWriter(err, true), args);
    return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }
}
