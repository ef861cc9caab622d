#!/usr/bin/env bash
# A production-sized model from data to answers on one machine: generates a seeded synthetic file (generate.sh, once,
# kept in $NCF_BENCH_DATA), trains one epoch on every core (--no-full-ranking), exports the bundle, then serves it
# (server/bench/big-bundle.sh on the exported bundle). Prints the read time, the epoch's time and samples/s, the
# evaluation's time, the trainer's peak resident memory, and the server's figures: bundle size, load time, resident
# memory after the load and after serving load, Recommend p50 at concurrency 1 (the model's default
# ranking: through retrieval from 20,000 items on) and Score p50.
# Usage: big-model.sh USERS ITEMS INTERACTIONS MODEL FACTOR [LAYERS] [SERVE_SECONDS=20]
#   the issue's sizes: big-model.sh 10000000 1000000 50000000 neumf 16 128,64,32,16
#                      big-model.sh 2500000 100000 7500000 gmf 256
# Environment: NCF_BENCH_DATA (default /tmp/ncf4j-bench), THREADS (default: every core), JAVA_OPTS (the trainer's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
users="$1"; items="$2"; interactions="$3"; model="$4"; factor="$5"; layers="${6:-}"; seconds="${7:-20}"
data="${NCF_BENCH_DATA:-/tmp/ncf4j-bench}"
threads="${THREADS:-$(nproc)}"
mkdir -p "$data"
file="$data/big-$users-$items-$interactions.csv"
[[ -f "$file" ]] || "$root/trainer/bench/generate.sh" "$users" "$items" "$interactions" "$file" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/repo/big"
flags=(--interactions "$file" --header --timestamp-col ts --model "$model" --factor "$factor" --epochs 1
  --threads "$threads" --no-full-ranking --export-dir "$work/repo/big/1" -o "$work/run")
[[ -n "$layers" ]] && flags+=(--layers "$layers")
echo "training: ncf-train ${flags[*]}"
t0=$(date +%s)
"$root/bin/ncf-train" "${flags[@]}" > "$work/train.log" 2>&1 || { tail -20 "$work/train.log" >&2; exit 1; }
echo "trained, evaluated and exported in $(( $(date +%s) - t0 )) s; the trainer's log:"
grep -E "read in|^memory:|^optimizer:|^training |resume state|peak memory|bundle in" "$work/train.log" | sed 's/^/  /'
/usr/bin/python3 - "$work/run/report.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["epochs"][0]
print(f"epoch: {e['trainSeconds']:.1f} s of training at {e['samplesPerSecond']:,.0f} samples/s, "
      f"{e['evalSeconds']:.1f} s of evaluation; HR@10 {e['hitRate']:.4f}")
PY
KEEP=1 "$root/server/bench/big-bundle.sh" "$model" "$users" "$items" "$factor" "${layers:-0}" "$seconds" "$work"
