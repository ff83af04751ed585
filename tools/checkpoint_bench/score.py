#!/usr/bin/env python3
"""Scores the checkpoint to keep against each job's test set (issue 23).

  score.py HISTORIES.jsonl [--replay REPLAY.json] [--tau 0.05] [--json]

HISTORIES: from run_jobs.py (per epoch: train_loss, val_loss, test_loss, test_metric).
REPLAY: `plateau replay LOGDIR --format json` of the event files the jobs wrote; the decision is
the verdict of JOB/validation epoch_loss (the series an experiment in the Keras layout is decided
by): it stops at decided_at_step and keeps best_step. A rule that never stops trains to the last
epoch and keeps the checkpoint it names then (its best; Plateau's final best_step).

Per job and rule: stop epoch; test regret of the kept checkpoint = (test_loss[kept] - min
test_loss) / (max - min test_loss), the run's test range; premature = the kept checkpoint's regret
is above tau and the stop came before the epoch of the run's lowest test loss. Printed per dataset
and overall (mean over jobs): mean stop epoch, mean regret, mean test metric of the kept
checkpoint, premature-stop rate, and paired with Keras patience 10 on the same jobs: on how many
jobs the rule's kept checkpoint is worse / better (test regret differing by more than 0.001).

Baselines: Keras EarlyStopping(monitor=val_loss, patience=p, restore_best_weights=True) for p in
5, 10, 20 (min_delta 0), the seed rule (M(n) better than all of M(n+1..n+k): stop at n+k, keep n)
for k 5 and 10, the best validation loss of the whole run, and Plateau's stop keeping the best
measured validation loss before it (what the checkpoint rule would give with the same stops).
"""
import argparse, collections, gzip, json

def keras(v, patience):
    best, best_i, wait = float("inf"), 0, 0
    for i, x in enumerate(v):
        if x < best:
            best, best_i, wait = x, i, 0
        else:
            wait += 1
            if wait >= patience:
                return i, best_i
    return len(v) - 1, best_i

def seed_rule(v, k):
    for n in range(len(v) - k):
        if all(v[n] < w for w in v[n + 1:n + k + 1]):
            return n + k, n
    return len(v) - 1, min(range(len(v)), key=v.__getitem__)

def whole_run(v):
    return len(v) - 1, min(range(len(v)), key=v.__getitem__)

def plateau_rule(verdicts):
    def decide(job, v):
        x = verdicts.get(job["name"])
        if x is None:
            return None
        last = len(v) - 1
        if x.get("decided_at_step") is None:
            best = x.get("best_step")
            return last, best if best is not None else last
        return int(x["decided_at_step"]), int(x["best_step"]) if x.get("best_step") is not None else int(x["decided_at_step"])
    return decide

def score(job, decision, tau):
    test = job["test_loss"]
    lo, hi = min(test), max(test)
    rng = max(hi - lo, 1e-12)
    stop, kept = decision
    regret = (test[kept] - lo) / rng
    best_test_epoch = min(range(len(test)), key=test.__getitem__)
    premature = regret > tau and stop < best_test_epoch
    return stop, regret, job["test_metric"][kept], premature

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("histories")
    ap.add_argument("--replay")
    ap.add_argument("--tau", type=float, default=0.05)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    opener = gzip.open if a.histories.endswith(".gz") else open
    with opener(a.histories, "rt") as f:
        jobs = [json.loads(l) for l in f]
    rules = {f"keras patience={p}": (lambda j, v, p=p: keras(v, p)) for p in (5, 10, 20)}
    rules.update({f"seed rule k={k}": (lambda j, v, k=k: seed_rule(v, k)) for k in (5, 10)})
    rules["best val of whole run"] = lambda j, v: whole_run(v)
    if a.replay:
        verdicts = {}
        for x in json.load(open(a.replay)):
            if x["run"].endswith("/validation") and x["tag"] == "epoch_loss":
                verdicts[x["run"][: -len("/validation")]] = x
        rules["plateau"] = plateau_rule(verdicts)
        decide = rules["plateau"]
        def best_measured(job, v, decide=decide):
            d = decide(job, v)
            return None if d is None else (d[0], min(range(d[0] + 1), key=v.__getitem__))
        rules["plateau stop, best measured"] = best_measured
    rows = collections.defaultdict(list)
    for job in jobs:
        reference = score(job, keras(job["val_loss"], 10), a.tau)[1]
        for name, rule in rules.items():
            d = rule(job, job["val_loss"])
            if d is None:
                continue
            for group in (job["config"]["dataset"], "ALL"):
                rows[(group, name)].append(score(job, d, a.tau) + (reference,))
    out = []
    for (group, name), rs in sorted(rows.items(), key=lambda kv: (kv[0][0] == "ALL", kv[0])):
        n = len(rs)
        out.append({"group": group, "rule": name, "jobs": n,
                    "mean_stop_epoch": sum(r[0] for r in rs) / n,
                    "mean_test_regret": sum(r[1] for r in rs) / n,
                    "mean_test_metric": sum(r[2] for r in rs) / n,
                    "premature_rate": sum(1 for r in rs if r[3]) / n,
                    # paired with Keras patience 10 on the same jobs: regret worse / better by > 0.001
                    "worse_than_keras10": sum(1 for r in rs if r[1] > r[4] + 1e-3),
                    "better_than_keras10": sum(1 for r in rs if r[1] < r[4] - 1e-3)})
    if a.json:
        print(json.dumps(out, indent=1)); return
    print(f"{'group':14} {'rule':28} {'jobs':>5} {'stop':>7} {'regret':>7} {'metric':>7} {'premature':>9}"
          f" {'vs K10 worse/better':>20}")
    for r in out:
        print(f"{r['group'][:14]:14} {r['rule']:28} {r['jobs']:5d} {r['mean_stop_epoch']:7.1f} "
              f"{r['mean_test_regret']:7.4f} {r['mean_test_metric']:7.3f} {100 * r['premature_rate']:8.1f}%"
              f" {r['worse_than_keras10']:>9d} / {r['better_than_keras10']:<9d}")

if __name__ == "__main__":
    main()
