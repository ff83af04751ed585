package dev.plateau.sink;

/** What became of one run of a hook's command. */
sealed interface HookRun {

  /**
   * The command exited by itself.
   *
   * @param code its exit status (128 + n when a signal n ended it)
   * @param output the end of what it wrote
   */
  record Exited(int code, String output) implements HookRun {}

  /**
   * The command ran past its timeout and was killed with its process group.
   *
   * @param output the end of what it wrote before
   */
  record TimedOut(String output) implements HookRun {}

  /**
   * The command could not be started (no such program, not executable).
   *
   * @param reason why, as the operating system said it
   */
  record NotStarted(String reason) implements HookRun {}
}
