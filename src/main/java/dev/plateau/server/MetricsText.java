package dev.plateau.server;

import dev.plateau.daemon.Daemon;
import dev.plateau.daemon.DaemonMetrics;
import dev.plateau.daemon.Watcher;
import dev.plateau.detect.Status;
import dev.plateau.state.StateException;
import dev.plateau.state.StateStore;
import dev.plateau.verdict.ExperimentVerdict;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The body of {@code /metrics}: the daemon's counters in the Prometheus text format 0.0.4. */
final class MetricsText {
  private static final Logger log = LoggerFactory.getLogger(MetricsText.class);

  private MetricsText() {}

  static String render(Daemon daemon, List<StateStore> stores) {
    DaemonMetrics m = daemon.metrics();
    StringBuilder out = new StringBuilder(2048);
    counter(
        out, "plateau_records_read_total", "Complete records read from event files.", m.records());
    counter(out, "plateau_bytes_read_total", "Bytes of complete records read.", m.bytes());
    counter(out, "plateau_points_read_total", "Scalar points decoded.", m.points());
    counter(
        out,
        "plateau_corrupt_records_total",
        "Corrupt stretches skipped in event files.",
        m.corruptRecords());
    counter(out, "plateau_rounds_total", "Rounds of reading completed.", m.rounds());
    counter(
        out,
        "plateau_failed_rounds_total",
        "Rounds that failed or could not be committed.",
        m.failedRounds());
    int runs = 0;
    int series = 0;
    long[] byStatus = new long[Status.values().length];
    for (Watcher w : daemon.watchers()) {
      for (ExperimentVerdict r : w.published()) {
        runs++;
        series += r.series().size();
        byStatus[r.status().ordinal()]++;
      }
    }
    int flagsPending = 0;
    long flagFailures = 0;
    for (Watcher w : daemon.watchers()) {
      flagsPending += w.pendingFlags();
      flagFailures += w.flagFailures();
    }
    gauge(
        out,
        "plateau_flags_pending",
        "Flag files that could not be written, waiting to be written again.",
        Long.toString(flagsPending));
    counter(
        out,
        "plateau_flag_write_failures_total",
        "Flag file writes that failed (each is tried again).",
        flagFailures);
    gauge(out, "plateau_runs", "Experiments with watched series.", Long.toString(runs));
    gauge(out, "plateau_series", "Watched series.", Long.toString(series));
    out.append(
        "# HELP plateau_experiments Experiments by current status (every status, zeros too).\n");
    out.append("# TYPE plateau_experiments gauge\n");
    for (Status status : Status.values()) {
      out.append("plateau_experiments{status=\"")
          .append(status.jsonName())
          .append("\"} ")
          .append(byStatus[status.ordinal()])
          .append('\n');
    }
    out.append("# HELP plateau_verdicts_total Verdict transitions recorded, by status.\n");
    out.append("# TYPE plateau_verdicts_total counter\n");
    for (Map.Entry<String, Long> e : m.verdicts().entrySet()) {
      out.append("plateau_verdicts_total{status=\"")
          .append(label(e.getKey()))
          .append("\"} ")
          .append(e.getValue())
          .append('\n');
    }
    out.append("# HELP plateau_deliveries_total Delivery attempts, by sink and outcome.\n");
    out.append("# TYPE plateau_deliveries_total counter\n");
    for (Map.Entry<String, Long> e : m.deliveries().entrySet()) {
      String[] parts = e.getKey().split("\u0000", 2);
      out.append("plateau_deliveries_total{sink=\"")
          .append(label(parts[0]))
          .append("\",outcome=\"")
          .append(label(parts[1]))
          .append("\"} ")
          .append(e.getValue())
          .append('\n');
    }
    long pending = 0;
    for (StateStore store : stores) {
      try {
        pending += store.pendingCount();
      } catch (StateException e) {
        log.debug("metrics: {}", e.getMessage());
      }
    }
    gauge(
        out, "plateau_outbox_pending", "Deliveries waiting in the outbox.", Long.toString(pending));
    gauge(
        out,
        "plateau_lag_seconds",
        "Writer's wall time of the newest point read in the last round, to its processing.",
        seconds(m.lagMillis()));
    gauge(
        out,
        "plateau_last_round_seconds",
        "Duration of the last round.",
        seconds(m.lastRoundMillis()));
    gauge(
        out,
        "plateau_last_round_cpu_seconds",
        "CPU time of the last round's work (the polling thread and the judge threads).",
        String.format(java.util.Locale.ROOT, "%.6f", m.lastRoundCpuMicros() / 1e6));
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, String value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }

  /** A Prometheus label value: backslash, quote and newline escaped. */
  private static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
