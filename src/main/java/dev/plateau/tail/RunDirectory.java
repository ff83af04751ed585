package dev.plateau.tail;

import java.nio.file.Path;
import java.util.List;

/**
 * A run: a directory holding at least one event file.
 *
 * @param name the directory's path relative to the logdir, '/'-separated; "." for the logdir
 * @param directory the directory
 * @param eventFiles its event files, in the order they are read (by file name, which starts with
 *     the writer's start time)
 */
public record RunDirectory(String name, Path directory, List<Path> eventFiles) {
  public RunDirectory {
    eventFiles = List.copyOf(eventFiles);
  }
}
