package dev.plateau.cli;

import dev.plateau.objectstore.ObjectStoreException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A command stopped by an object store's refusal (a missing bucket, missing or refused credentials,
 * AccessDenied, a store that cannot be reached) exits 2 with the refusal's message, which names the
 * bucket, the operation and where the credentials came from, and no stack trace. Anything else is
 * left to picocli's default (a stack trace, exit 1).
 */
final class ObjectStoreRefusals implements IExecutionExceptionHandler {
  static final int EXIT = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult)
      throws Exception {
    if (e instanceof ObjectStoreException refused) {
      commandLine
          .getErr()
          .println("plateau " + commandLine.getCommandName() + ": " + refused.getMessage());
      commandLine.getErr().flush();
      return EXIT;
    }
    throw e;
  }
}
