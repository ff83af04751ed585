package dev.plateau.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real S3 server for the tests: S3Proxy (an S3-compatible server that keeps objects in a local
 * directory and checks SigV4 signatures) run from its own jar as a separate process on loopback,
 * outside the test's class path. The build copies the jar to {@code target/s3proxy/s3proxy.jar}
 * ({@code -Dplateau.s3proxy.jar}); without it the test is skipped, and fails under CI.
 *
 * <p>A bucket is a directory of the store: {@link #bucket} makes one, and a test may write objects
 * as files there, as S3Proxy lists and serves them.
 */
public final class S3ProxyServer implements AutoCloseable {
  /** The access key id the server accepts. */
  public static final String ACCESS_KEY = "plateau-test-key";

  /** Its secret. */
  public static final String SECRET_KEY = "plateau-test-secret-never-printed";

  private final Process process;
  private final Path store;
  private final int port;

  private S3ProxyServer(Process process, Path store, int port) {
    this.process = process;
    this.store = store;
    this.port = port;
  }

  /**
   * Starts a server keeping its objects under {@code dir}; skipped (failed under CI) without a jar.
   */
  public static S3ProxyServer start(Path dir) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("plateau.s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      if (SharedFixtures.underCi()) {
        throw new AssertionError("S3Proxy's jar not found at " + jar + " (the build copies it)");
      }
      assumeTrue(false, "S3Proxy's jar not found at " + jar + "; skipped outside CI");
    }
    Path store = Files.createDirectories(dir.resolve("store"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + store.toAbsolutePath(),
            ""),
        StandardCharsets.UTF_8);
    Path log = dir.resolve("s3proxy.log");
    Process process =
        new ProcessBuilder(
                List.of(
                    javaCommand(),
                    "-Xmx256m",
                    "-jar",
                    jar.toAbsolutePath().toString(),
                    "--properties",
                    properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    S3ProxyServer server = new S3ProxyServer(process, store, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return server;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          server.close();
          throw new IOException(
              "S3Proxy did not start: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        Thread.sleep(50);
      }
    }
  }

  /** The JVM that runs S3Proxy: {@code -Dplateau.s3proxy.java}, or this one. */
  private static String javaCommand() {
    String given = System.getProperty("plateau.s3proxy.java", "");
    if (!given.isBlank()) {
      return given;
    }
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The endpoint URL. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Makes bucket {@code name} (a directory of the store) and returns that directory. */
  public Path bucket(String name) throws IOException {
    return Files.createDirectories(store.resolve(name));
  }

  /**
   * The variables a Plateau process needs to use this server: its endpoint and the credentials, as
   * the SDKs' standard variables.
   */
  public Map<String, String> environment() {
    return Map.of(
        "AWS_ENDPOINT_URL_S3",
        endpoint(),
        "AWS_ACCESS_KEY_ID",
        ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY",
        SECRET_KEY,
        "AWS_REGION",
        "us-east-1",
        "AWS_EC2_METADATA_DISABLED",
        "true");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
