package dev.plateau.daemon;

import dev.plateau.write.EventFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An event file's bytes as the project's writer makes them, and where each record starts, so a test
 * can break one record (a checksum, a length, a cut) and know exactly what should survive. Record 0
 * is the {@code file_version} event; record {@code i + 1} holds step {@code i}.
 */
final class BadEventFiles {
  /** Bytes of a record's header: the length (8) and its checksum (4). */
  static final int HEADER = 12;

  final byte[] bytes;

  /** Where each record starts, then the file's length. */
  final long[] offsets;

  private BadEventFiles(byte[] bytes) {
    this.bytes = bytes;
    this.offsets = offsets(bytes);
  }

  /** A file with {@code points} points of {@link WatchedLogdir#TAG}, steps 0 and up. */
  static BadEventFiles of(double start, int points) throws IOException {
    return of(
        start,
        w -> {
          for (int step = 0; step < points; step++) {
            w.simpleValue(WatchedLogdir.TAG, step, start + step, WatchedLogdir.value(step));
          }
        });
  }

  /** A file with whatever {@code body} writes after the {@code file_version} event. */
  static BadEventFiles of(double start, Body body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EventFileWriter w = new EventFileWriter(out, start)) {
      body.write(w);
    }
    return new BadEventFiles(out.toByteArray());
  }

  /** Writes the events of a file. */
  interface Body {
    void write(EventFileWriter writer) throws IOException;
  }

  /** Where the record holding step {@code step} starts. */
  long offsetOfStep(int step) {
    return offsets[step + 1];
  }

  /** The bytes of records {@code from} (inclusive) to {@code to} (exclusive). */
  byte[] records(int from, int to) {
    return Arrays.copyOfRange(bytes, (int) offsets[from], (int) offsets[to]);
  }

  /** The bytes of the whole file with {@code change} applied to a copy. */
  byte[] with(Change change) {
    byte[] copy = bytes.clone();
    change.apply(copy);
    return copy;
  }

  /** An edit of a file's bytes. */
  interface Change {
    void apply(byte[] bytes);
  }

  static Path create(Path dir, String name, byte[] content) throws IOException {
    Files.createDirectories(dir);
    return Files.write(dir.resolve(name), content, StandardOpenOption.CREATE_NEW);
  }

  static void append(Path file, byte[] content) throws IOException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
      out.write(content);
    }
  }

  private static long[] offsets(byte[] bytes) {
    List<Long> starts = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long at = 0;
    while (at < bytes.length) {
      starts.add(at);
      at += HEADER + b.getLong((int) at) + 4;
    }
    starts.add(at);
    return starts.stream().mapToLong(Long::longValue).toArray();
  }
}
