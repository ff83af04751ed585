package dev.plateau.objectstore;

import dev.plateau.decode.DecodeException;
import dev.plateau.decode.DecodeLimits;
import dev.plateau.decode.EventDecoder;
import dev.plateau.decode.EventVisitor;
import dev.plateau.decode.MaskedCrc32c;
import dev.plateau.decode.ReadResult;
import dev.plateau.decode.RecordReader;
import dev.plateau.decode.RecordSink;
import dev.plateau.decode.ValueType;
import dev.plateau.series.ScalarPoint;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.FileFingerprint;
import dev.plateau.tail.TailListener;
import dev.plateau.tail.TailProblem;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event file in an object store being tailed: where reading stands, the decoder that remembers
 * the file's tag metadata, and what the committed bytes looked like.
 *
 * <p>An object grows by being uploaded again whole, so a new ETag says nothing about whether the
 * bytes already read are still there. Each read fetches, with the new bytes, a small window before
 * the committed offset and compares its checksum with the one stored when that offset was
 * committed: the same, the object grew and reading goes on; different (or the object is now shorter
 * than the offset), the object was replaced by other content (a run name reused) and is read again
 * from its start, as a truncated local file is. The window's length and checksum are saved in the
 * cursor's {@code fileKey}, so a restart resumes with a ranged GET too.
 */
final class TailedObject {
  private static final Logger log = LoggerFactory.getLogger(TailedObject.class);
  private static final String WINDOW_KEY = "window:";

  private final String run;
  private final String key;
  private final String url;
  private final String name;
  private final DecodeLimits limits;
  private final ObjectTailLimits tail;
  private final RecordReader.Buffers buffers;
  private EventDecoder decoder;
  private long offset;
  private @Nullable FileFingerprint fingerprint;
  private int windowLength;
  private int windowCrc;
  private boolean resyncing;
  private boolean incompleteReported;
  private boolean unreadable;
  private long seenSize = -1;
  private @Nullable String seenEtag;
  private @Nullable FileCursor cursor;
  private @Nullable EventDecoder cursorDecoder;

  TailedObject(
      String run,
      String key,
      String url,
      DecodeLimits limits,
      ObjectTailLimits tail,
      RecordReader.Buffers buffers) {
    this.run = run;
    this.key = key;
    this.url = url;
    this.name = key.substring(key.lastIndexOf('/') + 1);
    this.limits = limits;
    this.tail = tail;
    this.buffers = buffers;
    this.decoder = new EventDecoder(limits);
  }

  String run() {
    return run;
  }

  String key() {
    return key;
  }

  long offset() {
    return offset;
  }

  /** Whether the listing shows the object changed since it was last read. */
  boolean changed(StoredObject now) {
    return now.size() != seenSize || !now.etag().equals(seenEtag);
  }

  /** The range the next read fetches first: the window before the offset and new bytes. */
  Range firstRange(StoredObject now) {
    long from = now.size() < offset ? 0 : offset - windowLength;
    return new Range(from, Math.min(now.size(), Math.max(from, offset) + tail.chunkBytes()));
  }

  /** A range of the object's bytes, from inclusive, to exclusive. */
  record Range(long from, long to) {}

  /** Counters of one read. */
  record ReadCounts(long records, long bytes, long points, long corrupt) {
    static final ReadCounts NONE = new ReadCounts(0, 0, 0, 0);

    ReadCounts plus(ReadCounts o) {
      return new ReadCounts(
          records + o.records, bytes + o.bytes, points + o.points, corrupt + o.corrupt);
    }
  }

  /**
   * Reads what the object gained since the last read and reports it; never throws: an object that
   * cannot be read is reported once and tried again on the next poll.
   *
   * @param prefetched the bytes of {@link #firstRange}, fetched in parallel with other objects', or
   *     null
   */
  ReadCounts read(
      StoredObject now,
      ObjectStore store,
      TailListener listener,
      @Nullable Future<byte[]> prefetched) {
    ReadCounts counts = ReadCounts.NONE;
    if (now.size() < offset) {
      reset(listener, "object shrank from at least " + offset + " to " + now.size() + " bytes");
    }
    int chunk = tail.chunkBytes();
    Range first = firstRange(now);
    try {
      while (true) {
        long from = offset - windowLength;
        long to = Math.min(now.size(), Math.max(from, offset) + chunk);
        if (to <= from) {
          seenSize = now.size();
          seenEtag = now.etag();
          break;
        }
        byte[] bytes;
        if (prefetched != null && first.from() == from && first.to() == to) {
          bytes = await(prefetched);
        } else {
          bytes = store.read(key, from, to);
        }
        prefetched = null;
        if (windowLength > 0
            && (bytes.length < windowLength
                || new MaskedCrc32c().of(bytes, 0, windowLength) != windowCrc)) {
          reset(
              listener,
              "object's bytes before offset "
                  + offset
                  + " changed (replaced by other content, e.g. a run name reused)");
          continue;
        }
        long before = offset;
        boolean toTheEnd = from + bytes.length >= now.size();
        counts = counts.plus(decode(new RangeChannel(from, bytes), listener, toTheEnd));
        keepWindow(from, bytes, before);
        if (toTheEnd) {
          seenSize = now.size();
          seenEtag = now.etag();
          break;
        }
        if (from + bytes.length < to) {
          seenSize = -1; // shorter than listed: written again meanwhile; look on the next poll
          break;
        }
        if (offset == before) {
          // A record longer than a chunk: fetch more at once, up to the longest record allowed.
          long most = (long) limits.maxRecordLength() + RecordReader.FRAME_OVERHEAD;
          if (chunk >= most) {
            break;
          }
          chunk = (int) Math.min(most, 2L * chunk);
        }
      }
      if (unreadable) {
        unreadable = false;
        log.info("{}: readable again", url);
      }
    } catch (ObjectStoreException e) {
      seenSize = -1;
      if (e.kind() != ObjectStoreException.Kind.NO_SUCH_KEY) {
        reportUnreadable(listener, e);
      }
    }
    return counts;
  }

  private static byte[] await(Future<byte[]> prefetched) throws ObjectStoreException {
    try {
      return prefetched.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ObjectStoreException refused) {
        throw refused;
      }
      throw new ObjectStoreException(
          ObjectStoreException.Kind.OTHER, String.valueOf(e.getCause()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectStoreException(ObjectStoreException.Kind.UNREACHABLE, "interrupted", e);
    }
  }

  /**
   * Remembers the checksum of the bytes before the offset once it moved (otherwise the window held
   * is the one just compared, still right).
   */
  private void keepWindow(long from, byte[] bytes, long before) {
    long end = offset - from;
    if (offset == before || end <= 0 || end > bytes.length) {
      return;
    }
    int length = (int) Math.min(tail.windowBytes(), end);
    windowLength = length;
    windowCrc = new MaskedCrc32c().of(bytes, (int) (end - length), length);
  }

  private void reset(TailListener listener, String reason) {
    log.info("{}: {}; reading it again from the start", url, reason);
    listener.fileReset(run, name, reason);
    offset = 0;
    fingerprint = null;
    windowLength = 0;
    windowCrc = 0;
    resyncing = false;
    incompleteReported = false;
    decoder = new EventDecoder(limits);
  }

  private ReadCounts decode(RangeChannel channel, TailListener listener, boolean toTheEnd)
      throws ObjectStoreException {
    RecordReader reader = new RecordReader(channel, offset, limits, resyncing, buffers);
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
          continue;
        }
        ReadResult.IncompleteTail rest = (ReadResult.IncompleteTail) stop;
        offset = reader.position();
        resyncing = reader.isResyncing();
        if (toTheEnd && rest.available() > 0 && !incompleteReported) {
          incompleteReported = true;
          listener.incompleteTail(run, name, rest.offset(), rest.available());
        }
        break;
      }
      if (fingerprint == null && records.firstFrameLength > 0) {
        fingerprint = FileFingerprint.read(channel, records.firstFrameLength);
      }
    } catch (IOException e) {
      throw new ObjectStoreException(
          ObjectStoreException.Kind.OTHER, url + ": " + e.getMessage(), e);
    }
    return new ReadCounts(records.count, records.bytes, records.visitor.points, corrupt);
  }

  private void problem(TailListener listener, TailProblem.Kind kind, long at, String message) {
    listener.problem(new TailProblem(kind, pathOf(key), at, url + ": " + message));
  }

  private void reportUnreadable(TailListener listener, ObjectStoreException e) {
    if (!unreadable) {
      unreadable = true;
      problem(
          listener,
          TailProblem.Kind.UNREADABLE,
          offset,
          "cannot read (" + e.getMessage() + "); retrying on the next poll");
    }
  }

  /** The key as a path, for problems (which name a file); its last part when it is no path. */
  static Path pathOf(String key) {
    try {
      return Path.of(key);
    } catch (InvalidPathException e) {
      return Path.of("object");
    }
  }

  /** Where reading stands; the same instance while nothing changed (commits compare identity). */
  FileCursor cursor() {
    String fileKey = windowLength == 0 ? null : WINDOW_KEY + windowLength + ":" + windowCrc;
    FileCursor c = cursor;
    if (c == null
        || c.offset() != offset
        || c.fingerprint() != fingerprint
        || c.resyncing() != resyncing
        || cursorDecoder != decoder
        || !Objects.equals(c.fileKey(), fileKey)) {
      c = new FileCursor(url, run, offset, fingerprint, fileKey, resyncing, decoder.knownTags());
      cursor = c;
      cursorDecoder = decoder;
    }
    return c;
  }

  /** Resumes from a saved cursor: the next read is a ranged GET from its offset (and window). */
  void restore(FileCursor saved) {
    offset = saved.offset();
    fingerprint = saved.fingerprint();
    resyncing = saved.resyncing();
    decoder = new EventDecoder(limits, saved.knownTags());
    windowLength = 0;
    String fileKey = saved.fileKey();
    if (fileKey != null && fileKey.startsWith(WINDOW_KEY)) {
      String[] parts = fileKey.substring(WINDOW_KEY.length()).split(":", 2);
      try {
        int length = Integer.parseInt(parts[0]);
        int crc = Integer.parseInt(parts[1]);
        if (length > 0 && length <= offset) {
          windowLength = length;
          windowCrc = crc;
        }
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        windowLength = 0;
      }
    }
    if (windowLength == 0 && offset > 0) {
      // Nothing to compare the object's bytes with: read it from its start to be sure.
      offset = 0;
      fingerprint = null;
      resyncing = false;
      decoder = new EventDecoder(limits);
    }
    seenSize = -1;
    seenEtag = null;
  }

  /** Decodes each record the reader hands over. */
  private final class Records implements RecordSink {
    final Visitor visitor;
    long count;
    long bytes;
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
    }
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
