#!/usr/bin/env bash
# ncf.v1 against the Open Inference Protocol on one server and one bundle: the same work asked both ways, measured
# alternately, case by case and round by round, with `ncf bench` in its own JVM over loopback. Cases: Score of
# PAIRS pairs against ModelInfer on the scoring model (raw tensors, as tritonclient sends them, and typed), and
# Recommend k=10 (seen items excluded) against ModelInfer on the model's .topk form (raw), at concurrency 1 and 16.
# Prints every measurement with the server's CPU time per call (user and system, from /proc, over the measured
# seconds: what a call costs the server, whichever side bounds the throughput), the medians over rounds, and the
# ratios ModelInfer / ncf.v1.
# Usage: protocols.sh BUNDLE_DIR [ROUNDS=3] [SECONDS=10]; PAIRS (100), PREWARM (seconds, 60: the JIT compiles both
# paths first, so that the runs need no warm-up of their own); SERVER_CPUS and CLIENT_CPUS (taskset lists) pin the
# server and the client apart.
set -euo pipefail
rounds="${2:-3}"; seconds="${3:-10}"; pairs="${PAIRS:-100}"
client_pin=()
[[ -n "${CLIENT_CPUS:-}" ]] && client_pin=(taskset -c "$CLIENT_CPUS")
# the server on BUNDLE as model "bench" (pinned to SERVER_CPUS), stopped on exit: sets root, bundle, port, server
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" "$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"; kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$repo"' EXIT
"$root/bin/ncf" --version > /dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
bench() { # bench ARGS... -> "throughput p50 server-CPU-microseconds-per-call"
  local before after line
  before=$(cpu_ticks)
  line=$("${client_pin[@]}" "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --model bench \
    --warmup 0 --duration "$seconds" "$@" 2>/dev/null \
    | sed -E 's/.*: ([0-9,]+) calls in .*= ([0-9,.]+)\/s; latency ms p50 ([0-9.]+).*/\1 \2 \3/; s/,//g')
  after=$(cpu_ticks)
  read -r calls tput p50 <<< "$line"
  echo "$tput $p50 $(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v n="$calls" \
    'BEGIN {printf "%.1f", t / hz * 1e6 / n}')"
}
# each case: NAME:NCF_V1_ARGS:MODELINFER_ARGS
cases=("score-c1:--mix score=1 --pairs $pairs -c 1:--mix infer-score=1 --pairs $pairs -c 1"
       "score-typed-c1:--mix score=1 --pairs $pairs -c 1:--mix infer-score=1 --infer-contents typed --pairs $pairs -c 1"
       "score-c16:--mix score=1 --pairs $pairs -c 16:--mix infer-score=1 --pairs $pairs -c 16"
       "recommend-c1:--mix recommend=1 -k 10 -c 1:--mix infer-topk=1 -k 10 -c 1"
       "recommend-c16:--mix recommend=1 -k 10 -c 16:--mix infer-topk=1 -k 10 -c 16")
prewarm="${PREWARM:-60}"
if (( prewarm > 0 )); then
  "${client_pin[@]}" "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --model bench --warmup 0 \
    --duration "$prewarm" --mix recommend=1,score=1,infer-score=1,infer-topk=1 -k 10 -c 16 > /dev/null 2>&1
fi
printf "%-6s %-15s %-10s %12s %10s %12s\n" round case protocol "calls/s" "p50 ms" "server us" | tee "$work/results"
for r in $(seq 1 "$rounds"); do
  for c in "${cases[@]}"; do
    IFS=: read -r name v1 oip <<< "$c"
    # alternate which goes first, so neither always runs on a machine the other just warmed
    if (( r % 2 )); then order="ncf.v1 oip"; else order="oip ncf.v1"; fi
    for p in $order; do
      args="$v1"; [[ $p == oip ]] && args="$oip"
      # shellcheck disable=SC2086
      read -r tput p50 cpu <<< "$(bench $args)"
      printf "%-6s %-15s %-10s %12s %10s %12s\n" "$r" "$name" "$p" "$tput" "$p50" "$cpu" | tee -a "$work/results"
    done
  done
done
/usr/bin/env python3 - "$work/results" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
med = lambda case, p, col: statistics.median(float(r[col]) for r in rows if r[1] == case and r[2] == p)
print("medians over rounds (ModelInfer / ncf.v1):")
for case in dict.fromkeys(r[1] for r in rows):
    o, v = med(case, "oip", 3), med(case, "ncf.v1", 3)
    po, pv = med(case, "oip", 4), med(case, "ncf.v1", 4)
    co, cv = med(case, "oip", 5), med(case, "ncf.v1", 5)
    print(f"  {case:15s} calls/s {o:9.0f} / {v:9.0f} = {o / v:5.2f}   p50 ms {po:7.3f} / {pv:7.3f} = {po / pv:5.2f}"
          f"   server us/call {co:7.1f} / {cv:7.1f} = {co / cv:5.2f}")
PY
