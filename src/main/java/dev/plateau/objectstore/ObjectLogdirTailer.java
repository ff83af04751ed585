package dev.plateau.objectstore;

import dev.plateau.decode.DecodeLimits;
import dev.plateau.decode.RecordReader;
import dev.plateau.tail.FileCursor;
import dev.plateau.tail.LogdirScanner;
import dev.plateau.tail.LogdirSource;
import dev.plateau.tail.PollStats;
import dev.plateau.tail.TailListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Tails the event files under a prefix of an object store as {@code LogdirTailer} tails a
 * directory. Each {@link #poll} lists the prefix (ListObjectsV2, page by page), and reads each
 * object whose size or ETag changed from where reading stands (see {@link TailedObject}); the GETs
 * of up to {@link ObjectTailLimits#parallelism} objects run at once, and what they fetched is
 * decoded on the polling thread in run and file order. Requests per poll: the list pages plus about
 * one GET per object that changed.
 *
 * <p>Runs are the "directories" of the keys below the prefix that hold an object whose name
 * contains {@code tfevents}; the prefix itself may also name one event file (run {@code .}). An
 * object that disappears is forgotten, but its run is never reported gone: its verdicts stay.
 *
 * <p>Not thread-safe: one thread polls.
 */
public final class ObjectLogdirTailer implements LogdirSource {
  private final ObjectStore store;
  private final ObjectUrl root;
  private final DecodeLimits limits;
  private final ObjectTailLimits tail;
  private final Clock clock;
  private final RecordReader.Buffers buffers;
  private final Map<String, TailedObject> objects = new LinkedHashMap<>();
  private @Nullable ExecutorService gets;
  private long records;
  private long bytes;
  private long points;
  private long corrupt;
  private @Nullable Instant unreachableSince;

  public ObjectLogdirTailer(
      ObjectStore store, ObjectUrl root, DecodeLimits limits, ObjectTailLimits tail, Clock clock) {
    this.store = store;
    this.root = root;
    this.limits = limits;
    this.tail = tail;
    this.clock = clock;
    this.buffers = new RecordReader.Buffers(limits);
  }

  /** The logdir's URL. */
  public ObjectUrl root() {
    return root;
  }

  /**
   * How long the prefix could not be listed, counted from the first failed listing since the last
   * one that worked; zero while listings work.
   */
  @Override
  public Duration unreachableFor() {
    Instant since = unreachableSince;
    return since == null ? Duration.ZERO : Duration.between(since, clock.instant());
  }

  /**
   * Lists the prefix at most every {@code interval}: a poll sooner reads nothing and sends nothing
   * (the daemon's rounds come every {@code daemon.poll_interval}, suited to local files; an object
   * store is billed per request).
   */
  public void pollEvery(Duration interval) {
    this.every = interval;
  }

  private Duration every = Duration.ZERO;
  private @Nullable Instant listedAt;

  @Override
  public PollStats poll(TailListener listener) throws ObjectStoreException {
    Instant now = clock.instant();
    if (listedAt != null && now.isBefore(listedAt.plus(every))) {
      return new PollStats(runs(), objects.size(), 0, 0, 0, 0);
    }
    listedAt = now;
    Map<String, Listed> listed = list();
    List<Listed> changed = new ArrayList<>();
    for (Listed entry : listed.values()) {
      TailedObject object =
          objects.computeIfAbsent(
              entry.object().key(),
              k -> new TailedObject(entry.run(), k, root.urlOf(k), limits, tail, buffers));
      if (object.changed(entry.object())) {
        changed.add(entry);
      }
    }
    objects.keySet().retainAll(listed.keySet());
    long polledRecords = 0;
    long polledBytes = 0;
    long polledPoints = 0;
    long polledCorrupt = 0;
    for (int start = 0; start < changed.size(); start += tail.parallelism()) {
      List<Listed> group =
          changed.subList(start, Math.min(changed.size(), start + tail.parallelism()));
      List<@Nullable Future<byte[]>> fetched = new ArrayList<>(group.size());
      for (Listed entry : group) {
        TailedObject object = objects.get(entry.object().key());
        TailedObject.Range range = object.firstRange(entry.object());
        fetched.add(
            range.to() <= range.from() || group.size() == 1
                ? null
                : executor().submit(() -> store.read(object.key(), range.from(), range.to())));
      }
      for (int i = 0; i < group.size(); i++) {
        Listed entry = group.get(i);
        TailedObject.ReadCounts counts =
            objects.get(entry.object().key()).read(entry.object(), store, listener, fetched.get(i));
        polledRecords += counts.records();
        polledBytes += counts.bytes();
        polledPoints += counts.points();
        polledCorrupt += counts.corrupt();
      }
    }
    records += polledRecords;
    bytes += polledBytes;
    points += polledPoints;
    corrupt += polledCorrupt;
    return new PollStats(
        runs(), objects.size(), polledRecords, polledBytes, polledPoints, polledCorrupt);
  }

  /** An event file the listing showed, with its run. */
  private record Listed(String run, StoredObject object) {}

  /** Every event file under the prefix, by run and then name. */
  private Map<String, Listed> list() throws ObjectStoreException {
    TreeMap<String, Listed> byRunAndName = new TreeMap<>();
    String directory = root.directoryPrefix();
    String continuation = null;
    try {
      do {
        ObjectPage page = store.list(root.prefix(), continuation);
        for (StoredObject object : page.objects()) {
          String key = object.key();
          String run;
          String name;
          if (key.equals(root.prefix())) {
            run = ".";
            name = key.substring(key.lastIndexOf('/') + 1);
          } else if (key.startsWith(directory)) {
            String relative = key.substring(directory.length());
            int slash = relative.lastIndexOf('/');
            run = slash < 0 ? "." : relative.substring(0, slash);
            name = relative.substring(slash + 1);
          } else {
            continue;
          }
          if (name.contains(LogdirScanner.EVENT_FILE_MARKER) && !run.contains("//")) {
            byRunAndName.put(run + "\u0000" + name, new Listed(run, object));
          }
        }
        continuation = page.next();
      } while (continuation != null);
    } catch (ObjectStoreException e) {
      if (unreachableSince == null && e.kind() == ObjectStoreException.Kind.UNREACHABLE) {
        unreachableSince = clock.instant();
      }
      throw e;
    }
    unreachableSince = null;
    Map<String, Listed> byKey = new LinkedHashMap<>();
    for (Listed entry : byRunAndName.values()) {
      byKey.put(entry.object().key(), entry);
    }
    return byKey;
  }

  private ExecutorService executor() {
    ExecutorService e = gets;
    if (e == null) {
      AtomicInteger n = new AtomicInteger();
      e =
          Executors.newFixedThreadPool(
              tail.parallelism(),
              r -> {
                Thread t = new Thread(r, "plateau-get-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      gets = e;
    }
    return e;
  }

  private int runs() {
    return (int) objects.values().stream().map(TailedObject::run).distinct().count();
  }

  @Override
  public void restore(Collection<FileCursor> cursors) {
    String bucketUrl = ObjectUrl.S3 + "://" + root.bucket() + "/";
    for (FileCursor cursor : cursors) {
      if (!cursor.path().startsWith(bucketUrl)) {
        continue;
      }
      String key = cursor.path().substring(bucketUrl.length());
      TailedObject object =
          new TailedObject(cursor.run(), key, cursor.path(), limits, tail, buffers);
      object.restore(cursor);
      objects.put(key, object);
    }
  }

  @Override
  public void rereadRun(String run) {
    objects.values().removeIf(o -> o.run().equals(run));
  }

  @Override
  public List<FileCursor> cursors() {
    List<FileCursor> out = new ArrayList<>(objects.size());
    for (TailedObject object : objects.values()) {
      out.add(object.cursor());
    }
    return out;
  }

  @Override
  public PollStats totals() {
    return new PollStats(runs(), objects.size(), records, bytes, points, corrupt);
  }

  @Override
  public String url() {
    return root.toString();
  }
}
