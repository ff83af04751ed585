package dev.plateau.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code plateau bench}: measurements anyone can run on their own machine and files. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures Plateau on your own files and machine.",
    subcommands = {BenchDecodeCommand.class})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
