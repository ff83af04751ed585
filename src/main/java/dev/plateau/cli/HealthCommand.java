package dev.plateau.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code plateau health}: asks a running daemon's /healthz, for container health checks. */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Asks a running `plateau watch` whether its main loop is alive (GET /healthz), for "
          + "container health checks that have no curl.",
      "Exit codes: 0 healthy; 1 unhealthy or unreachable."
    })
final class HealthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:9321/healthz",
      description = "Default: ${DEFAULT-VALUE}.")
  String url;

  @Override
  public Integer call() {
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(3))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString());
      spec.commandLine().getOut().print(response.body());
      spec.commandLine().getOut().flush();
      return response.statusCode() == 200 ? 0 : 1;
    } catch (Exception e) {
      spec.commandLine().getErr().println("plateau health: " + url + ": " + e);
      return 1;
    }
  }
}
