package dev.plateau.tail;

import dev.plateau.decode.DecodeException;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.decode.EventDecoder;
import dev.plateau.decode.EventVisitor;
import dev.plateau.decode.ReadResult;
import dev.plateau.decode.RecordReader;
import dev.plateau.decode.RecordSink;
import dev.plateau.decode.ValueType;
import dev.plateau.series.ScalarPoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event file being tailed: where reading stands, what identifies the file, and the decoder that
 * remembers the file's tag metadata. The file is opened only while new bytes are read, so the
 * number of open descriptors never grows with the number of files.
 */
public final class TailedFile {
  private static final Logger log = LoggerFactory.getLogger(TailedFile.class);

  /**
   * Polls that must find the same zero-filled header, before records are looked for past it. A
   * network filesystem can show a block as zeros while later blocks have arrived, but not for
   * several poll intervals; zeros that stay are a block never written (as a crash leaves), and the
   * records after them must not wait forever.
   */
  static final int ZERO_FILLED_POLLS = 3;

  private final String run;
  private final Path path;
  private final String name;
  private final DecodeLimits limits;
  private EventDecoder decoder;
  private long offset;
  private FileFingerprint fingerprint;

  /** The filesystem's identity of the file (device and inode on Unix), as text; null if none. */
  private String fileKey;

  private long seenSize = -1;
  private FileTime seenModified;
  private boolean unreadable;
  private boolean incompleteReported;
  private boolean resyncing;
  private boolean zeroFilledTail;
  private long zeroFilledAt = -1;
  private int zeroFilledPolls;

  /** The file's size when the last look past the zeros found nothing: look again once it grew. */
  private long zeroFilledLookedAt = -1;

  /**
   * Read buffers shared with the other files of one tailer (one file is read at a time); or null.
   */
  private final RecordReader.@Nullable Buffers buffers;

  TailedFile(String run, Path path, DecodeLimits limits) {
    this(run, path, limits, null);
  }

  /** A file read through {@code buffers}, shared by the files its tailer reads one at a time. */
  TailedFile(String run, Path path, DecodeLimits limits, RecordReader.@Nullable Buffers buffers) {
    this.run = run;
    this.path = path;
    this.name = path.getFileName().toString();
    this.limits = limits;
    this.buffers = buffers;
    this.decoder = new EventDecoder(limits);
  }

  public String run() {
    return run;
  }

  public Path path() {
    return path;
  }

  /** The offset after the last complete record read (or where a resync scan stands). */
  public long offset() {
    return offset;
  }

  /** What identifies the file, once its first record was read. */
  public FileFingerprint fingerprint() {
    return fingerprint;
  }

  /** Counters of one read. */
  record ReadCounts(long records, long bytes, long points, long corrupt) {
    static final ReadCounts NONE = new ReadCounts(0, 0, 0, 0);
  }

  /**
   * Reads what was appended since the last call and reports it. Never throws: an unreadable file is
   * reported once and retried on the next call.
   */
  ReadCounts poll(TailListener listener) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      reportUnreadable(listener, e);
      return ReadCounts.NONE;
    }
    long size = attributes.size();
    // A zero-filled tail may be written in place within one timestamp tick: always look again.
    if (!zeroFilledTail
        && size == seenSize
        && attributes.lastModifiedTime().equals(seenModified)
        && Objects.equals(keyOf(attributes), fileKey)) {
      return ReadCounts.NONE;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      String reset = resetReason(channel, attributes);
      if (reset != null) {
        log.info("{}: {}; reading it again from the start", path, reset);
        listener.fileReset(run, name, reset);
        offset = 0;
        fingerprint = null;
        resyncing = false;
        decoder = new EventDecoder(limits);
      }
      fileKey = keyOf(attributes);
      ReadCounts counts = readRecords(channel, listener);
      seenSize = size;
      seenModified = attributes.lastModifiedTime();
      if (unreadable) {
        unreadable = false;
        log.info("{}: readable again", path);
      }
      return counts;
    } catch (IOException e) {
      reportUnreadable(listener, e);
      return ReadCounts.NONE;
    }
  }

  private String resetReason(FileChannel channel, BasicFileAttributes attributes)
      throws IOException {
    if (fileKey != null && !fileKey.equals(keyOf(attributes))) {
      return "file was replaced (another file now has its name)";
    }
    if (attributes.size() < offset) {
      return "file shrank from at least " + offset + " to " + attributes.size() + " bytes";
    }
    if (fingerprint != null && !fingerprint.matches(channel)) {
      return "file's first record changed (rewritten in place)";
    }
    return null;
  }

  private ReadCounts readRecords(FileChannel channel, TailListener listener) throws IOException {
    RecordReader reader =
        buffers == null
            ? new RecordReader(channel, offset, limits, resyncing)
            : new RecordReader(channel, offset, limits, resyncing, buffers);
    Records records = new Records(listener);
    long corrupt = 0;
    try {
      while (true) {
        ReadResult.Stop stop = reader.readAll(records);
        if (stop instanceof ReadResult.Corrupt corruption) {
          corrupt++;
          problem(
              listener,
              TailProblem.Kind.CORRUPT_RECORD,
              corruption.offset(),
              corruption.describe());
          offset = reader.position();
        } else {
          ReadResult.IncompleteTail tail = (ReadResult.IncompleteTail) stop;
          ReadResult.Corrupt hole =
              tail.zeroFilled() ? zeroFilledHole(reader, tail, channel) : null;
          if (hole != null) {
            corrupt++;
            problem(listener, TailProblem.Kind.CORRUPT_RECORD, hole.offset(), hole.describe());
            offset = reader.position();
            continue;
          }
          offset = reader.position();
          resyncing = reader.isResyncing();
          zeroFilledTail = tail.zeroFilled();
          if (tail.available() > 0 && !incompleteReported) {
            incompleteReported = true;
            log.debug(
                "{}: {} bytes of an unfinished record at offset {}{}; waiting for the writer",
                path,
                tail.available(),
                tail.offset(),
                tail.zeroFilled() ? " (zero-filled)" : "");
            listener.incompleteTail(run, name, tail.offset(), tail.available());
          }
          return new ReadCounts(records.count, records.bytes, records.visitor.points, corrupt);
        }
      }
    } finally {
      if (fingerprint == null && records.firstFrameLength > 0) {
        fingerprint = FileFingerprint.read(channel, records.firstFrameLength);
      }
    }
  }

  /** Decodes each record the reader hands over, in the reader's buffer. */
  private final class Records implements RecordSink {
    final Visitor visitor;
    long count;
    long bytes;

    /** The length of the file's first frame when it was read now, for the fingerprint. */
    int firstFrameLength;

    Records(TailListener listener) {
      this.visitor = new Visitor(listener);
    }

    @Override
    public void record(long at, byte[] array, int start, int length) {
      int frameLength = RecordReader.FRAME_OVERHEAD + length;
      count++;
      bytes += frameLength;
      if (at == 0) {
        firstFrameLength = frameLength;
      }
      visitor.offset = at;
      try {
        decoder.decode(array, start, length, visitor);
      } catch (DecodeException e) {
        problem(
            visitor.listener,
            TailProblem.Kind.UNDECODABLE_EVENT,
            at,
            "record at offset " + at + " is not an event: " + e.getMessage());
      }
      offset = at + frameLength;
      incompleteReported = false;
      zeroFilledTail = false;
    }
  }

  /** The zeros at a zero-filled tail as corruption, once they stayed with records after them. */
  private ReadResult.Corrupt zeroFilledHole(
      RecordReader reader, ReadResult.IncompleteTail tail, FileChannel channel) throws IOException {
    if (tail.offset() != zeroFilledAt) {
      zeroFilledAt = tail.offset();
      zeroFilledPolls = 0;
      zeroFilledLookedAt = -1;
    }
    zeroFilledPolls++;
    long size = channel.size();
    if (zeroFilledPolls < ZERO_FILLED_POLLS || size == zeroFilledLookedAt) {
      return null;
    }
    ReadResult.Corrupt hole = reader.skipZeroFilled();
    zeroFilledLookedAt = hole == null ? size : -1;
    return hole;
  }

  private void problem(TailListener listener, TailProblem.Kind kind, long at, String message) {
    String text = path + ": " + message;
    listener.problem(new TailProblem(kind, path, at, text));
  }

  private void reportUnreadable(TailListener listener, IOException e) {
    if (!unreadable) {
      unreadable = true;
      String text = path + ": cannot read (" + describe(e) + "); retrying on the next poll";
      listener.problem(new TailProblem(TailProblem.Kind.UNREADABLE, path, offset, text));
    }
  }

  /** The size and modification time of the file when it was last looked at (-1 and null before). */
  long seenSize() {
    return seenSize;
  }

  FileTime seenModified() {
    return seenModified;
  }

  static String keyOf(BasicFileAttributes attributes) {
    Object key = attributes.fileKey();
    return key == null ? null : key.toString();
  }

  /**
   * Where reading stands, to save in the state database and resume from. The same instance while
   * nothing changed (the tags a file declares are learnt only by reading past them), so callers can
   * tell unchanged files by identity: a commit compares every file's cursor, and building them
   * afresh (with their tag tables) was most of a quiet round's work on a large logdir.
   */
  private String pathText;

  /** The path as saved ({@link PathText}), worked out once. */
  private String pathText() {
    if (pathText == null) {
      pathText = PathText.of(path);
    }
    return pathText;
  }

  public FileCursor cursor() {
    FileCursor c = cursor;
    if (c == null
        || c.offset() != offset
        || c.fingerprint() != fingerprint
        || c.resyncing() != resyncing
        || cursorDecoder != decoder
        || !Objects.equals(c.fileKey(), fileKey)) {
      c =
          new FileCursor(
              pathText(), run, offset, fingerprint, fileKey, resyncing, decoder.knownTags());
      cursor = c;
      cursorDecoder = decoder;
    }
    return c;
  }

  private FileCursor cursor;
  private EventDecoder cursorDecoder;

  /** Resumes from a saved cursor: the next poll reads from its offset (after checking identity). */
  void restore(FileCursor cursor) {
    offset = cursor.offset();
    fingerprint = cursor.fingerprint();
    fileKey = cursor.fileKey();
    resyncing = cursor.resyncing();
    decoder = new EventDecoder(limits, cursor.knownTags());
    seenSize = -1;
    seenModified = null;
  }

  static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    return switch (type) {
      case "AccessDeniedException" -> "permission denied";
      case "NoSuchFileException" -> "it no longer exists";
      default -> type + (e.getMessage() == null ? "" : ": " + e.getMessage());
    };
  }

  /** Turns decoded values into points of this file. */
  private final class Visitor implements EventVisitor {
    private final TailListener listener;
    long offset;
    long points;

    Visitor(TailListener listener) {
      this.listener = listener;
    }

    @Override
    public void scalar(String tag, long step, double wallTime, double value, ValueType type) {
      points++;
      listener.scalar(new ScalarPoint(run, name, tag, step, wallTime, value));
    }

    @Override
    public void sessionStart(long step, double wallTime) {
      listener.sessionStart(run, name, step);
    }

    @Override
    public void warning(String message) {
      problem(
          listener,
          TailProblem.Kind.UNUSABLE_VALUE,
          offset,
          "record at offset " + offset + ": " + message);
    }
  }
}
