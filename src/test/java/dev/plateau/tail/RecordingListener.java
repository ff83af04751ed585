package dev.plateau.tail;

import dev.plateau.series.ScalarPoint;
import java.util.ArrayList;
import java.util.List;

/** Records everything a tailer reports, in order. */
final class RecordingListener implements TailListener {
  record Reset(String run, String file, String reason) {}

  record Start(String run, String file, long step) {}

  record Tail(String run, String file, long offset, long available) {}

  final List<ScalarPoint> points = new ArrayList<>();
  final List<Reset> resets = new ArrayList<>();
  final List<Start> starts = new ArrayList<>();
  final List<Tail> tails = new ArrayList<>();
  final List<TailProblem> problems = new ArrayList<>();
  final List<Object> events = new ArrayList<>();

  @Override
  public void scalar(ScalarPoint point) {
    points.add(point);
    events.add(point);
  }

  @Override
  public void sessionStart(String run, String file, long step) {
    Start s = new Start(run, file, step);
    starts.add(s);
    events.add(s);
  }

  @Override
  public void fileReset(String run, String file, String reason) {
    Reset r = new Reset(run, file, reason);
    resets.add(r);
    events.add(r);
  }

  @Override
  public void incompleteTail(String run, String file, long offset, long available) {
    Tail t = new Tail(run, file, offset, available);
    tails.add(t);
    events.add(t);
  }

  @Override
  public void problem(TailProblem problem) {
    problems.add(problem);
    events.add(problem);
  }

  List<TailProblem> problems(TailProblem.Kind kind) {
    return problems.stream().filter(p -> p.kind() == kind).toList();
  }

  List<Long> steps(String run, String tag) {
    return points.stream()
        .filter(p -> p.run().equals(run) && p.tag().equals(tag))
        .map(ScalarPoint::step)
        .toList();
  }

  void clear() {
    points.clear();
    resets.clear();
    starts.clear();
    tails.clear();
    problems.clear();
    events.clear();
  }
}
