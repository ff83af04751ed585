#!/usr/bin/env python3
"""Sorts the false stops of `plateau replay` on a curve set into the kinds issue 14 names.

  false_stops.py CURVES.jsonl REPLAY.json MAP.json [--tau 0.02] [--list]

Scores as ../shared/tools/detect_eval.py does (imported from beside it, or from $PLATEAU_SHARED/tools),
then sorts each false stop (regret > tau) into the first kind that fits:
  flat within noise    the whole curve's level moves less than 10 point-noise deviations
  not yet learned      at the stop, the level had made under a quarter of its eventual progress
  still improving      the points before the stop trend down significantly (Mann-Kendall, last
                       quarter of the history, one-sided 5%)
  improved later       looked converged by any reading of the past; the run improved afterwards
Prints counts per source and kind, and with --list one line per false stop.
"""
import argparse, json, math, os, sys, collections

here = os.path.dirname(os.path.abspath(__file__))
for d in (os.environ.get("PLATEAU_SHARED", ""), os.path.join(here, "..", "..", "shared")):
    if d and os.path.exists(os.path.join(d, "tools", "detect_eval.py")):
        sys.path.insert(0, os.path.join(d, "tools"))
        break
import detect_eval as de  # noqa: E402


def sigma(v):
    d = sorted(abs(v[k + 1] - v[k]) for k in range(len(v) - 1))
    return d[len(d) // 2] / (0.6745 * math.sqrt(2)) if d else 0.0


def mann_kendall_z(x):
    n = len(x)
    s = sum((x[j] > x[i]) - (x[j] < x[i]) for i in range(n) for j in range(i + 1, n))
    var = n * (n - 1) * (2 * n + 5) / 18.0
    if var <= 0:
        return 0.0
    return (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var) if s < 0 else 0.0


def kind(v, i):
    L = de.level(v)
    lo, hi = min(L), max(L)
    if hi - lo < 10 * sigma(v):
        return "flat within noise"
    best_so_far = min(L[: i + 1])
    eventual = L[0] - lo
    if eventual > 0 and (L[0] - best_so_far) < 0.25 * eventual:
        return "not yet learned"
    tail = v[max(0, i + 1 - max(8, (i + 1) // 4)): i + 1]
    if len(tail) >= 8 and mann_kendall_z(tail) < -1.645:
        return "still improving"
    return "improved later"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("curves"); ap.add_argument("replay"); ap.add_argument("map")
    ap.add_argument("--tau", type=float, default=0.02)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    m = json.load(open(a.map))
    by_key = {(x["run"], x["tag"]): x for x in json.load(open(a.replay))}
    counts = collections.Counter()
    for c in de.load(a.curves):
        v = c["v"]
        if len(v) < 20 or any(math.isnan(x) for x in v):
            continue
        x = by_key.get(tuple(m[c["id"]]))
        if not x or x.get("status") in (None, "training", "stalled", "not_learning") or x.get("decided_at_step") is None:
            continue
        steps = c["steps"]
        i = steps.index(x["decided_at_step"])
        j = steps.index(x["best_step"]) if x.get("best_step") in steps else i
        _, regret, _, _ = de.score(v, (i, j), a.tau)
        if regret <= a.tau:
            continue
        k = kind(v, i)
        src = c["source"].split("/")[0]
        counts[(src, k)] += 1
        if a.list:
            print(f"{src:28} {c['id'][:60]:60} {x['status']:10} stop {i:5d}/{len(v):5d} regret {regret:.3f}  {k}")
    for (src, k), n in sorted(counts.items()):
        print(f"{src:28} {k:20} {n}")
    total = collections.Counter()
    for (src, k), n in counts.items():
        total[k] += n
    print("all:", dict(total))


if __name__ == "__main__":
    main()
