package dev.plateau.cli;

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
    subcommands = {DumpCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests and main). */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
  }
}
