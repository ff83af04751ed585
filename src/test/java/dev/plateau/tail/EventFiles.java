package dev.plateau.tail;

import dev.plateau.write.EventFileWriter;
import dev.plateau.write.RecordWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Event files for tailer tests, written with the project's own writer. */
final class EventFiles {
  private EventFiles() {}

  interface Body {
    void write(EventFileWriter writer) throws IOException;
  }

  /** The name {@link EventFileWriter#create} gives a file. */
  static String name(double wallTime, String host, int index) {
    return String.format(
        "events.out.tfevents.%d.%s.%d.%d.v2",
        (long) wallTime, host, ProcessHandle.current().pid(), index);
  }

  /** The value written for a step, exact in float32. */
  static float valueOf(long step) {
    return step / 8f;
  }

  /** Creates an event file in {@code dir} with simple_value points {@code from..to-1} of a tag. */
  static Path write(Path dir, double wallTime, int index, String tag, long from, long to)
      throws IOException {
    try (EventFileWriter w = EventFileWriter.create(dir, wallTime, "host", index)) {
      for (long step = from; step < to; step++) {
        w.simpleValue(tag, step, wallTime + step, valueOf(step));
      }
    }
    return dir.resolve(name(wallTime, "host", index));
  }

  /** The bytes of an event file (file_version first) with what {@code body} writes. */
  static byte[] bytes(double wallTime, Body body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EventFileWriter w = new EventFileWriter(out, wallTime)) {
      body.write(w);
    }
    return out.toByteArray();
  }

  static byte[] points(double wallTime, String tag, long from, long to) throws IOException {
    return bytes(
        wallTime,
        w -> {
          for (long step = from; step < to; step++) {
            w.simpleValue(tag, step, wallTime + step, valueOf(step));
          }
        });
  }

  /** The frames of simple_value points only (no file_version), to append to a file. */
  static byte[] pointFrames(String tag, long from, long to) throws IOException {
    byte[] all = points(0, tag, from, to);
    byte[] version = bytes(0, w -> {});
    byte[] out = new byte[all.length - version.length];
    System.arraycopy(all, version.length, out, 0, out.length);
    return out;
  }

  static void append(Path file, byte[] bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
      out.write(bytes);
    }
  }

  static byte[] frame(byte[] payload) {
    return new RecordWriter(new ByteArrayOutputStream()).frame(payload);
  }
}
