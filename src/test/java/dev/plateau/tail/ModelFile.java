package dev.plateau.tail;

import dev.plateau.proto.DataType;
import dev.plateau.write.EventFileWriter;
import dev.plateau.write.TensorStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The content of one event file of a model sequence, as its writer made it: complete records, and
 * at most one record of which only a prefix is written. Records come from the project's {@link
 * EventFileWriter}, one at a time, so each frame's bytes are known.
 */
final class ModelFile {
  /** Tags written: two simple values and one tensor scalar (metadata on its first value only). */
  private static final String[] TAGS = {"loss", "loss", "acc", "lr"};

  private static final String TENSOR_TAG = "lr";

  final int id;
  final int run;
  final String dir;
  final String name;

  /** The model's identity of the file's inode: changed only by a new file under the name. */
  long inode;

  /** Changed, to a number not used before, by every change of content. */
  long version;

  /** Moved out of the logdir, its name taken by a directory or a dangling link. */
  boolean hidden;

  /** Not readable (write-only). */
  boolean denied;

  /** Cut in the middle: appends wait until a poll has seen the cut (see {@link OpGenerator}). */
  boolean frozen;

  final List<ModelRecord> records = new ArrayList<>();
  ModelRecord pending;
  int pendingWritten;

  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
  private final Set<String> tensorTagged = new HashSet<>();
  private EventFileWriter writer;
  private long nextStep;

  ModelFile(int id, int run, String dir, String name) {
    this.id = id;
    this.run = run;
    this.dir = dir;
    this.name = name;
  }

  /** The path relative to the logdir, as the model keys files. */
  String path() {
    return dir + "/" + name;
  }

  long completeBytes() {
    long n = 0;
    for (ModelRecord r : records) {
      n += r.frame().length;
    }
    return n;
  }

  long size() {
    return completeBytes() + pendingWritten;
  }

  /** The file's bytes as they stand. */
  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ModelRecord r : records) {
      out.writeBytes(r.frame());
    }
    if (pending != null) {
      out.write(pending.frame(), 0, pendingWritten);
    }
    return out.toByteArray();
  }

  /**
   * Starts a new writer (a job that opens the file afresh) and returns its file_version record; the
   * file's old content is the caller's to drop.
   */
  ModelRecord startWriter(ModelLogdir.Ids ids) throws IOException {
    sink.reset();
    tensorTagged.clear();
    double wallTime = ids.wallTime();
    writer = new EventFileWriter(sink, wallTime);
    return new ModelRecord(ids.uid(), sink.toByteArray(), null, false, false, 0, wallTime, 0);
  }

  /** The writer's next record, with a tag chosen by {@code random}. */
  ModelRecord nextRecord(ModelLogdir.Ids ids, SplittableRandom random) throws IOException {
    String tag = TAGS[random.nextInt(TAGS.length)];
    long step = nextStep++;
    double wallTime = ids.wallTime();
    float value = EventFiles.valueOf(step);
    sink.reset();
    boolean tensor = tag.equals(TENSOR_TAG);
    boolean metadata = false;
    if (tensor) {
      // The writer attaches the scalars metadata to a tag's first value only, as TF2 does.
      metadata = tensorTagged.add(tag);
      writer.tensorScalar(
          tag, step, wallTime, DataType.DT_FLOAT, TensorStorage.TENSOR_CONTENT, value);
    } else {
      writer.simpleValue(tag, step, wallTime, value);
    }
    writer.flush();
    byte[] frame = sink.toByteArray();
    return new ModelRecord(ids.uid(), frame, tag, tensor, metadata, step, wallTime, value);
  }

  /** Finishes the unfinished record, if any; returns the bytes that finish it. */
  byte[] finishPending() {
    if (pending == null) {
      return new byte[0];
    }
    byte[] rest = Arrays.copyOfRange(pending.frame(), pendingWritten, pending.frame().length);
    records.add(pending);
    pending = null;
    pendingWritten = 0;
    return rest;
  }
}
