#!/usr/bin/env bash
# Latency from a point's flush to its flag file, median and p95 over 200 trials, with file-change
# events and with polling only. Needs `./mvnw -B verify` (or test-compile + package) first.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cp="$here/target/plateau.jar:$here/target/test-classes"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'rules:\n  - tag: val_loss\n    detectors: [divergence, target]\n    target: {value: 0.5}\n' > "$work/target.yaml"
run() {
  rm -rf "$work/logs" "$work/state"; mkdir -p "$work/logs"
  java -jar "$here/target/plateau.jar" watch "$work/logs" --state-dir "$work/state" \
    --config "$work/target.yaml" --http off $1 > "$work/watch.log" 2>&1 &
  local pid=$!
  sleep 2
  printf '%-32s ' "$2:"
  java -cp "$cp" dev.plateau.bench.LatencyHarness "$work/logs" "${TRIALS:-200}" 4000
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run "--poll-interval 2s" "file-change events (poll 2s)"
run "--poll-only --poll-interval 2s" "polling only, every 2s"
run "--poll-only --poll-interval 500ms" "polling only, every 500ms"
