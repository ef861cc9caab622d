#!/usr/bin/env bash
# Training samples/s against evaluation candidates/s on one interactions file (user,item,ts with a header, as
# generate.sh writes): one epoch of NeuMF on every core, then the per-epoch sampled evaluation (held-out item + 99
# negatives per test user) over all test users (--eval-users 0) unless the flags say otherwise. Prints both rates
# and their ratio (evaluation candidates/s over training samples/s; a candidate is a forward pass, a sample a
# forward and backward pass and an update).
# Usage: eval.sh FILE [EXTRA ncf-train FLAGS...]   e.g. eval.sh big.csv --factor 32 --eval-users 100000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
file="$1"
shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/bin/ncf-train" --interactions "$file" --header --timestamp-col ts --model neumf --epochs 1 \
  --threads "$(nproc)" --no-full-ranking --no-export --eval-users 0 -o "$work/run" "$@" > "$work/log" 2>&1 \
  || { cat "$work/log" >&2; exit 1; }
grep -E "read in|each epoch ranks|^epoch|peak memory" "$work/log" || true
/usr/bin/python3 - "$work/run/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["epochs"][0]
cand = r["evaluation"]["candidates"] + 0
print(f"training   {e['samplesPerSecond']:>12,.0f} samples/s")
print(f"evaluation {cand / e['evalSeconds']:>12,.0f} candidates/s ({r['evaluation']['evaluatedUsers']:,} of "
      f"{r['evaluation']['testUsers']:,} users, {cand:,} candidates in {e['evalSeconds']:.1f} s)")
print(f"ratio      {cand / e['evalSeconds'] / e['samplesPerSecond']:>12.2f}")
PY
