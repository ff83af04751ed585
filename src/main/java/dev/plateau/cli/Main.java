package dev.plateau.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code plateau} command line. Wires everything; nothing depends on this package. */
@Command(
    name = "plateau",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Watches TensorBoard logdirs and tells when training has converged.",
      "",
      "Exit codes: 0 success, 1 see the command, 2 error (bad arguments, unreadable input)."
    },
    subcommands = {
      DumpCommand.class,
      CheckCommand.class,
      ReplayCommand.class,
      TuneCommand.class,
      WatchCommand.class,
      ConfigCommand.class,
      HealthCommand.class,
      BenchCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final OutputStream stdout;

  private Main(OutputStream stdout) {
    this.stdout = stdout;
  }

  public static void main(String[] args) {
    OutOfMemory.exitOnAnyThread();
    System.exit(
        run(new FileOutputStream(FileDescriptor.out), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs the command line and returns its exit code.
   *
   * @param stdout where commands write their data (not closed)
   * @param stderr where messages and usage go
   */
  public static int run(OutputStream stdout, PrintWriter stderr, String... args) {
    try {
      return commandLine(stdout, stderr).execute(args);
    } catch (OutOfMemoryError e) {
      stderr.println(OutOfMemory.message());
      stderr.flush();
      return OutOfMemory.EXIT;
    }
  }

  /**
   * The command line as {@link #run} parses it. A single-valued option given again takes its last
   * value (options that collect values, such as {@code --webhook}, keep every one): the container
   * image's default command carries flags ({@code --http 0.0.0.0:9321}) that the arguments of
   * {@code docker run} or of a Pod must be able to override.
   */
  static CommandLine commandLine(OutputStream stdout, PrintWriter stderr) {
    CommandLine commandLine = new CommandLine(new Main(stdout));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine.setParameterExceptionHandler(new ArgumentErrors());
    commandLine.setExecutionExceptionHandler(new ObjectStoreRefusals());
    commandLine.setErr(stderr);
    commandLine.setOut(
        new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
    return commandLine;
  }

  /** The stream commands write their data to. */
  OutputStream stdout() {
    return stdout;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
  }
}
