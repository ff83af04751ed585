package dev.plateau.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plateau.detect.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command on a verdict: the operator's program and arguments, as configured, with the alert
 * payload (as stored in the outbox) on its standard input and the verdict in {@code PLATEAU_*}
 * variables ({@link HookEnvironment}), {@code PLATEAU_VERDICT_ID} among them: delivery is at least
 * once, so a command may see a verdict twice (the daemon killed while it ran) and can use the id to
 * act once.
 *
 * <p>Outcomes: exit 0 is done; exit 75 ({@code EX_TEMPFAIL}) and a run past the timeout (killed
 * with its process group) are tried again with the webhooks' backoff; a command that cannot be
 * started or exits with any other status has failed for good, and the reason carries the end of its
 * output with the hook's configured variable values masked. At most {@link CommandSlots#max()}
 * commands run at once across every hook sharing the slots.
 */
public final class HookSink implements AlertSink {
  private static final Logger LOG = LoggerFactory.getLogger(HookSink.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The exit status that asks to be run again later (sysexits.h's EX_TEMPFAIL). */
  public static final int EXIT_TRY_AGAIN = 75;

  private final HookSettings settings;
  private final CommandSlots slots;
  private final Map<String, String> inherited;
  private final Redactor redactor;

  /**
   * @param settings the command and its limits
   * @param slots the slots shared by every hook of the daemon
   * @param inherited the daemon's environment (its {@code PLATEAU_*} variables are left out)
   */
  public HookSink(HookSettings settings, CommandSlots slots, Map<String, String> inherited) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.inherited = Map.copyOf(inherited);
    List<String> secrets = new ArrayList<>(settings.env().values());
    this.redactor = Redactor.ofValues(secrets);
    HookProcess.killsGroups(); // a missing setsid is said now, at start-up
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public boolean accepts(Status status) {
    return settings.filter().accepts(status);
  }

  /** As many as there are slots: a hook that hangs does not hold back the others' verdicts. */
  @Override
  public int parallelism() {
    return slots.max();
  }

  @Override
  public DeliveryOutcome deliver(Alert alert) throws InterruptedException {
    byte[] input;
    try {
      input = JSON.writeValueAsBytes(alert.payload());
    } catch (JsonProcessingException e) {
      return new DeliveryOutcome.Rejected(
          settings.label() + ": the payload cannot be written as JSON: " + e.getOriginalMessage());
    }
    Map<String, String> env = HookEnvironment.of(inherited, settings, alert);
    HookRun run;
    slots.acquire();
    try {
      LOG.debug("{}: running for {}", settings.label(), alert.id());
      run =
          HookProcess.run(
              settings.command(), env, input, settings.timeout(), settings.maxOutputBytes());
    } finally {
      slots.release();
    }
    return outcome(run);
  }

  private DeliveryOutcome outcome(HookRun run) {
    if (run instanceof HookRun.Exited exited) {
      if (exited.code() == 0) {
        return new DeliveryOutcome.Delivered(0);
      }
      String said = said(exited.output());
      if (exited.code() == EXIT_TRY_AGAIN) {
        return new DeliveryOutcome.RetryLater(
            null, settings.label() + ": exit 75 (try again later)" + said);
      }
      return new DeliveryOutcome.Rejected(settings.label() + ": exit " + exited.code() + said);
    }
    if (run instanceof HookRun.TimedOut timedOut) {
      return new DeliveryOutcome.RetryLater(
          null,
          settings.label()
              + ": still running after "
              + settings.timeout()
              + "; killed with its process group"
              + said(timedOut.output()));
    }
    HookRun.NotStarted notStarted = (HookRun.NotStarted) run;
    return new DeliveryOutcome.Rejected(
        settings.label() + ": cannot start: " + redactor.redact(notStarted.reason()));
  }

  private String said(String output) {
    return output.isEmpty() ? "; no output" : "; output: " + redactor.redact(output);
  }

  @Override
  public String toString() {
    return "HookSink[" + settings.label() + "]";
  }
}
