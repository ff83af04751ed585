package dev.plateau.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a logdir's state database lives: in {@code state.dir} ({@code --state-dir}, {@code
 * PLATEAU_STATE_DIR} or the file), else {@code .plateau} beside the logdir when its parent is
 * writable, else {@code ~/.plateau}; named by a hash of the logdir's absolute path, so each logdir
 * keeps its own.
 *
 * @param stateDir {@code state.dir}, or null
 */
record StateLocation(Path stateDir) {
  /** The state file of {@code logdir} (absolute and normalised). */
  Path fileFor(Path logdir) {
    Path dir = stateDir;
    if (dir == null) {
      Path beside = logdir.getParent() == null ? null : logdir.getParent().resolve(".plateau");
      dir =
          beside != null && Files.isWritable(logdir.getParent())
              ? beside
              : Path.of(System.getProperty("user.home"), ".plateau");
    }
    return dir.resolve("state-" + ShortHash.of(logdir.toString()) + ".db");
  }
}
