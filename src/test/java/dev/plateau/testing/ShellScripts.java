package dev.plateau.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small {@code /bin/sh} scripts a test writes for a hook or a command to run. */
public final class ShellScripts {
  private ShellScripts() {}

  /** Writes {@code lines} as the executable script {@code dir/name} (owner only) and returns it. */
  public static Path write(Path dir, String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(
        file, "#!/bin/sh\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
