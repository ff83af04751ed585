package dev.plateau.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.plateau.write.EventFileWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar with every kind of secret configured, from every kind of source (flag, variable,
 * configuration file, secret files), at debug level: receivers that answer 400 and 500 echoing the
 * request URL, a Slack URL answered with 403, a port that refuses connections; then {@code plateau
 * health}, {@code config --print}, and {@code watch} with seven bad configurations. Every byte
 * written to standard output and error, every HTTP answer of the status server (with and without
 * the token) and the state database are searched for every secret; none may appear.
 */
class SecretsNeverPrintedIT {
  static final SecureRandom RANDOM = new SecureRandom();
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir Path temp;

  /** Everything the processes and the server said, by where it came from. */
  final Map<String, String> said = new LinkedHashMap<>();

  /** Every secret, by a name for messages. */
  final Map<String, String> secrets = new LinkedHashMap<>();

  String secret(String name) {
    String value = name + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(10));
    secrets.put(name, value);
    return value;
  }

  @Test
  void noSecretAppearsInAnyOutputAnswerOrStateFile() throws Exception {
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().toString();
          exchange.getRequestBody().readAllBytes();
          int status =
              path.startsWith("/ok/")
                  ? 200
                  : path.startsWith("/bad/") ? 400 : path.startsWith("/down/") ? 500 : 403;
          byte[] body =
              (status == 200 ? "ok" : "cannot deliver to " + path).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    receiver.start();
    try {
      run(receiver.getAddress().getPort());
    } finally {
      receiver.stop(0);
    }
  }

  void run(int receiverPort) throws Exception {
    String at = "http://127.0.0.1:" + receiverPort;
    int refusingPort;
    try (ServerSocket closed = new ServerSocket(0)) {
      refusingPort = closed.getLocalPort();
    }
    String okUrl = at + "/ok/" + secret("flag-url");
    String badUrl = at + "/bad/" + secret("env-url-2") + "?token=" + secret("query-token");
    // Replaced by PLATEAU_WEBHOOK_URLS (variables over the file), but printed by config --print.
    String fileUrl = at + "/ok/" + secret("config-url");
    String downUrl = at + "/down/" + secret("env-url");
    String refusedUrl = "http://127.0.0.1:" + refusingPort + "/refused/" + secret("file-url");
    String slackUrl = at + "/services/T000/B000/" + secret("slack-url");
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    String signingKey = Base64.getEncoder().encodeToString(key);
    secrets.put("signing-key", signingKey);
    String httpToken = secret("http-token");

    Path urlsFile =
        Files.writeString(temp.resolve("urls"), "# more receivers\n" + refusedUrl + "\n");
    Path slackFile = Files.writeString(temp.resolve("slack"), slackUrl + "\n");
    Path signFile = Files.writeString(temp.resolve("sign"), "whsec_" + signingKey + "\n");
    Path tokenFile = Files.writeString(temp.resolve("token"), httpToken + "\n");
    Path config =
        Files.writeString(
            temp.resolve("plateau.yaml"),
            "webhook:\n  urls: [\""
                + fileUrl
                + "\"]\n  urls_file: "
                + urlsFile
                + "\n"
                + "slack:\n  url_file: "
                + slackFile
                + "\n");
    Map<String, String> env =
        Map.of(
            "PLATEAU_LOG_LEVEL",
            "DEBUG",
            "PLATEAU_WEBHOOK_URLS",
            downUrl + "," + badUrl,
            "PLATEAU_WEBHOOK_SECRET_FILE",
            signFile.toString());

    Path logdir = Files.createDirectories(temp.resolve("logs"));
    Path state = temp.resolve("state");
    int httpPort;
    try (ServerSocket free = new ServerSocket(0)) {
      httpPort = free.getLocalPort();
    }
    Process watch =
        start(
            "watch",
            env,
            "watch",
            logdir.toString(),
            "--config",
            config.toString(),
            "--state-dir",
            state.toString(),
            "--http",
            "127.0.0.1:" + httpPort,
            "--http-token-file",
            tokenFile.toString(),
            "--webhook",
            okUrl,
            "--poll-interval",
            "200ms");
    try {
      String base = "http://127.0.0.1:" + httpPort;
      awaitStatus(base + "/readyz", 200);
      double start = System.currentTimeMillis() / 1000.0 - 100;
      try (EventFileWriter w = EventFileWriter.create(logdir.resolve("exp1"), start, "h", 0)) {
        for (int t = 0; t < 120; t++) {
          w.simpleValue("val_loss", t, start + t, (float) (1 + 8 * Math.exp(-t / 8.0)));
        }
      }
      // Five sinks: delivered (ok), rejected (400, Slack 403), retried (500, refused).
      AtomicReference<String> scraped = new AtomicReference<>("");
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  scraped.set(get(base + "/metrics", null).body());
                  return sinksWithOutcomes(scraped.get()) >= 5;
                });
      } catch (ConditionTimeoutException notYet) {
        // Said by the assertion below, with the metrics as they were.
      }
      String metrics = scraped.get();
      assertThat(sinksWithOutcomes(metrics)).as(metrics).isEqualTo(5);
      for (String outcome : List.of("delivered", "rejected", "retry")) {
        assertThat(metrics).containsPattern("outcome=\"" + outcome + "\",sink=\"[^\"]+\"} [1-9]");
      }

      for (String path :
          List.of(
              "/",
              "/api/runs",
              "/metrics",
              "/healthz",
              "/readyz",
              "/?token=" + httpToken,
              "/nope")) {
        record(path + " without token", get(base + path, null));
        record(path + " with token", get(base + path, httpToken));
      }
      assertThat(get(base + "/api/runs", null).statusCode()).isEqualTo(401);
      assertThat(get(base + "/api/runs", httpToken).body()).contains("\"run\":\"exp1\"");

      Process health = start("health", Map.of(), "health", base + "/healthz");
      assertThat(health.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(health.exitValue()).as("plateau health works with a token set").isZero();
    } finally {
      watch.destroy();
      assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(watch.exitValue()).isZero();
    collect("watch");
    collect("health");
    assertThat(said.get("watch.err"))
        .as("the failures were logged, with the receivers' echo of the URL masked")
        .contains("refused", "not delivered", "cannot deliver to ***");

    Process print = start("print", env, "config", "--print", "--config", config.toString());
    assertThat(print.waitFor(30, TimeUnit.SECONDS)).isTrue();
    collect("print");
    assertThat(said.get("print.out")).contains("urls_file", "***");

    badConfigurations(logdir, signingKey);

    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, String> text : said.entrySet()) {
      for (Map.Entry<String, String> s : secrets.entrySet()) {
        if (text.getValue().contains(s.getValue())) {
          leaks.add(s.getKey() + " in " + text.getKey());
        }
      }
    }
    try (Stream<Path> files = Files.walk(state)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        secrets.forEach(
            (name, value) -> {
              if (bytes.contains(value)) {
                leaks.add(name + " in state file " + f.getFileName());
              }
            });
      }
    }
    assertThat(said).as("14 answers, and the output of 3 runs and 7 failed starts").hasSize(34);
    assertThat(leaks).isEmpty();
  }

  /** Each stops {@code watch} at start-up (exit 2) with a message; none may quote a secret. */
  void badConfigurations(Path logdir, String signingKey) throws Exception {
    Path brokenYaml =
        Files.writeString(
            temp.resolve("broken.yaml"), "webhook:\n  secret: \"whsec_" + signingKey + "\n");
    expectStartupError(
        "broken-yaml", Map.of(), "not valid YAML", "--config", brokenYaml.toString());

    String notBase64 = secret("not-base64");
    expectStartupError(
        "bad-signing",
        Map.of("PLATEAU_WEBHOOK_SECRET", "whsec_!!" + notBase64),
        "PLATEAU_WEBHOOK_SECRET",
        "--webhook",
        "http://127.0.0.1:9/x");

    String spaced = "bad token " + secret("spaced-token");
    expectStartupError("bad-token", Map.of("PLATEAU_HTTP_TOKEN", spaced), "PLATEAU_HTTP_TOKEN");

    String shortToken = secret("s").substring(0, 12);
    secrets.put("short-token", shortToken);
    Path shortFile = Files.writeString(temp.resolve("short"), shortToken);
    expectStartupError(
        "short-token", Map.of(), "characters long", "--http-token-file", shortFile.toString());

    expectStartupError(
        "bad-url",
        Map.of("PLATEAU_WEBHOOK_URLS", "ftp://127.0.0.1/" + secret("ftp-url")),
        "not an absolute http or https URL");

    Path both =
        Files.writeString(
            temp.resolve("both.yaml"), "webhook:\n  secret: whsec_" + signingKey + "\n");
    expectStartupError(
        "both-secrets",
        Map.of("PLATEAU_WEBHOOK_SECRET_FILE", "/nonexistent"),
        "set only one",
        "--config",
        both.toString());

    Path misspelt =
        Files.writeString(
            temp.resolve("misspelt.yaml"),
            "slack:\n  urll: https://hooks.slack.com/services/" + secret("misspelt-url") + "\n");
    expectStartupError("misspelt", Map.of(), "unknown key", "--config", misspelt.toString());
  }

  void expectStartupError(String name, Map<String, String> env, String expected, String... options)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "watch",
                temp.resolve("logs").toString(),
                "--state-dir",
                temp.resolve("state-" + name).toString(),
                "--http",
                "127.0.0.1:0"));
    args.addAll(List.of(options));
    Process p = start(name, env, args.toArray(String[]::new));
    try {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(name + " stops at start-up").isTrue();
    } finally {
      p.destroyForcibly();
    }
    collect(name);
    assertThat(p.exitValue()).as(name + ": " + said.get(name + ".err")).isEqualTo(2);
    assertThat(said.get(name + ".err")).as(name).contains(expected);
  }

  Process start(String name, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("plateau.jar", "target/plateau.jar"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(temp.resolve(name + ".out").toFile())
            .redirectError(temp.resolve(name + ".err").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("PLATEAU_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  void collect(String name) throws IOException {
    said.put(name + ".out", Files.readString(temp.resolve(name + ".out")));
    said.put(name + ".err", Files.readString(temp.resolve(name + ".err")));
  }

  void record(String what, HttpResponse<String> response) {
    said.put(what, response.statusCode() + " " + response.headers().map() + "\n" + response.body());
  }

  static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void awaitStatus(String url, int status) {
    await(url + " answering " + status)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> get(url, null).statusCode() == status);
  }

  /** Sinks that have had a delivery attempt (every sink is listed from the start, at 0). */
  static long sinksWithOutcomes(String metrics) {
    Matcher m =
        Pattern.compile(
                "plateau_deliveries_total\\{outcome=\"[^\"]+\",sink=\"([^\"]+)\"} ([0-9.eE+]+)")
            .matcher(metrics);
    return m.results()
        .filter(r -> Double.parseDouble(r.group(2)) > 0)
        .map(r -> r.group(1))
        .distinct()
        .count();
  }
}
