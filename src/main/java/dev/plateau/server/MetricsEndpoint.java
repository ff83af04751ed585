package dev.plateau.server;

import dev.plateau.daemon.Daemon;
import dev.plateau.state.StateStore;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code /metrics}, written by the Prometheus client from a registry of its own: the
 * daemon's instruments ({@code DaemonMetrics}), what it publishes ({@link PublishedMetrics}),
 * {@code plateau_build_info}, and the client's JVM and process metrics. OpenMetrics 1.0 when the
 * request's {@code Accept} asks for it ({@code application/openmetrics-text}, as Prometheus does),
 * the Prometheus text format 0.0.4 otherwise. The protobuf format is not offered (its writer needs
 * the client's 2 MB shaded protobuf, and Plateau's histograms are classic ones, which the text
 * formats carry whole): a Prometheus that asks for it first gets OpenMetrics or text, as it
 * accepts.
 */
final class MetricsEndpoint {
  /** What a scrape is answered with. */
  record Body(String contentType, byte[] bytes) {}

  private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
  private static final OpenMetricsTextFormatWriter OPEN_METRICS =
      OpenMetricsTextFormatWriter.create();

  private final PrometheusRegistry registry = new PrometheusRegistry();

  /**
   * @param version the build's version ({@code plateau_build_info}'s label)
   */
  MetricsEndpoint(Daemon daemon, List<StateStore> stores, MetricsLimits limits, String version) {
    daemon.metrics().register(registry);
    registry.register(new PublishedMetrics(daemon, stores, limits));
    Info build =
        Info.builder()
            .name("plateau_build_info")
            .help("The running build: its version, always 1.")
            .labelNames("version")
            .build();
    build.addLabelValues(version);
    registry.register(build);
    // At the first scrape, not at start-up: a restart does not wait for the JVM metrics' setup.
    registry.register((MultiCollector) () -> JvmRegistry.SCRAPE.collect());
  }

  /** The version in the jar's manifest, or "development" when run from classes. */
  static String buildVersion() {
    String version = MetricsEndpoint.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  /**
   * Every metric, in the format {@code accept} (the request's Accept field, or null) asks for.
   *
   * @param names whether the request may read experiment names and logdir paths: without, the
   *     families that name them ({@link PublishedMetrics#NAMING}) are left out (a server with a
   *     token serves it only to requests that carry the token, as it does the page and {@code
   *     /api/runs})
   */
  Body scrape(@Nullable String accept, boolean names) throws IOException {
    ExpositionFormatWriter writer = OPEN_METRICS.accepts(accept) ? OPEN_METRICS : TEXT;
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    MetricSnapshots snapshots =
        names
            ? registry.scrape()
            : registry.scrape(name -> !PublishedMetrics.NAMING.contains(name));
    writer.write(out, snapshots, EscapingScheme.fromAcceptHeader(accept));
    return new Body(writer.getContentType(), out.toByteArray());
  }

  /**
   * The client's JVM and process metrics, registered once per JVM: each registration adds listeners
   * to the garbage collectors, and a JVM has one set of them however many servers it runs (tests
   * run many).
   */
  private static final class JvmRegistry {
    private static final MultiCollector SCRAPE = scrapeOf(jvm());

    private static PrometheusRegistry jvm() {
      PrometheusRegistry jvm = new PrometheusRegistry();
      JvmMetrics.builder().register(jvm);
      return jvm;
    }

    private static MultiCollector scrapeOf(PrometheusRegistry jvm) {
      return jvm::scrape;
    }
  }
}
