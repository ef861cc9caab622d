#!/usr/bin/env bash
# ncf.v1 against the Open Inference Protocol on one server and one bundle: the same work asked both ways, with
# `ncf bench` in its own JVM over loopback. Cases: Score of PAIRS pairs against ModelInfer on the scoring model
# (raw tensors, as tritonclient sends them, and typed), and Recommend k=10 (seen items excluded) against ModelInfer
# on the model's .topk form (raw).
# - At concurrency 1 the two are one mix in one client: calls of either protocol one after another, in a random
#   order, so that both see the same client, server and machine at the same time (this VM's speed swings by 2x
#   within the hour), and `ncf bench` reports each one's p50.
# - At concurrency 16 (throughput) each protocol has a run of its own, alternating which goes first, with the
#   server's CPU time per call from /proc (what a call costs the server, whichever side bounds the throughput).
# Every client warms up for WARMUP seconds first (10): a fresh JVM compiles the client's code as it goes, and
# measured from its start it spent half its CPU in the JIT compiler, more for the protocol with more classes.
# Prints every measurement, the medians over rounds and the ratios ModelInfer / ncf.v1.
# Usage: protocols.sh BUNDLE_DIR [ROUNDS=3] [SECONDS=10]; PAIRS (100), PREWARM (seconds, 60: the server's JIT
# compiles both paths first), WARMUP (10); SERVER_CPUS and CLIENT_CPUS (taskset lists) pin the server and the
# client apart.
set -euo pipefail
rounds="${2:-3}"; seconds="${3:-10}"; pairs="${PAIRS:-100}"; warmup="${WARMUP:-10}"
client_pin=()
[[ -n "${CLIENT_CPUS:-}" ]] && client_pin=(taskset -c "$CLIENT_CPUS")
# the server on BUNDLE as model "bench" (pinned to SERVER_CPUS), stopped on exit: sets root, bundle, port, server
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" "$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"; kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$repo"' EXIT
"$root/bin/ncf" --version > /dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
ncf_bench() { # ARGS... -> ncf bench's report
  ${client_pin[@]+"${client_pin[@]}"} "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" \
    --model bench --warmup "$warmup" --duration "$seconds" "$@" 2>/dev/null
}
alone() { # ARGS... -> "throughput p50 server-CPU-microseconds-per-call" of a run of one call
  local before after line calls tput p50
  before=$(cpu_ticks)
  line=$(ncf_bench "$@" | sed -nE 's/.*: ([0-9,]+) calls in .*= ([0-9,.]+)\/s; latency ms p50 ([0-9.]+).*/\1 \2 \3/p' \
    | tr -d ,)
  after=$(cpu_ticks)
  read -r calls tput p50 <<< "$line"
  # the server's CPU over the warm-up and the measured time, per call of the measured time's rate
  echo "$tput $p50 $(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v n="$calls" -v s="$seconds" \
    -v w="$warmup" 'BEGIN {printf "%.1f", t / hz * 1e6 / (n * (s + w) / s)}')"
}
mixed() { # V1_CALL OIP_CALL ARGS... -> "p50-of-v1 p50-of-oip", measured together
  local v1="$1" oip="$2"; shift 2
  ncf_bench --mix "$v1=1,$oip=1" "$@" | awk -v v1="$v1" -v oip="$oip" '
    $1 == v1 ":" || $1 == oip ":" { for (i = 1; i <= NF; i++) if ($i == "p50") p[$1] = $(i + 1) }
    END { print p[v1 ":"], p[oip ":"] }'
}
# each case: NAME:HOW:NCF_V1_CALL:MODELINFER_CALL:ARGS (HOW: mixed, or alone for a run per protocol)
cases=("score-c1:mixed:score:infer-score:--pairs $pairs -c 1"
       "score-typed-c1:mixed:score:infer-score:--infer-contents typed --pairs $pairs -c 1"
       "score-c16:alone:score:infer-score:--pairs $pairs -c 16"
       "recommend-c1:mixed:recommend:infer-topk:-k 10 -c 1"
       "recommend-c16:alone:recommend:infer-topk:-k 10 -c 16")
prewarm="${PREWARM:-60}"
if (( prewarm > 0 )); then
  ${client_pin[@]+"${client_pin[@]}"} "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" \
    --model bench --warmup 0 --duration "$prewarm" --mix recommend=1,score=1,infer-score=1,infer-topk=1 -k 10 \
    -c 16 > /dev/null 2>&1
fi
printf "%-6s %-15s %-10s %12s %10s %12s\n" round case protocol "calls/s" "p50 ms" "server us" | tee "$work/results"
for r in $(seq 1 "$rounds"); do
  for c in "${cases[@]}"; do
    IFS=: read -r name how v1 oip args <<< "$c"
    if [[ $how == mixed ]]; then
      # shellcheck disable=SC2086
      read -r p_v1 p_oip <<< "$(mixed "$v1" "$oip" $args)"
      printf "%-6s %-15s %-10s %12s %10s %12s\n" "$r" "$name" ncf.v1 - "$p_v1" - | tee -a "$work/results"
      printf "%-6s %-15s %-10s %12s %10s %12s\n" "$r" "$name" oip - "$p_oip" - | tee -a "$work/results"
      continue
    fi
    # alternate which goes first, so neither always runs on a machine the other just warmed
    if (( r % 2 )); then order="ncf.v1 oip"; else order="oip ncf.v1"; fi
    for p in $order; do
      call="$v1"; [[ $p == oip ]] && call="$oip"
      # shellcheck disable=SC2086
      read -r tput p50 cpu <<< "$(alone --mix "$call=1" $args)"
      printf "%-6s %-15s %-10s %12s %10s %12s\n" "$r" "$name" "$p" "$tput" "$p50" "$cpu" | tee -a "$work/results"
    done
  done
done
/usr/bin/env python3 - "$work/results" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
def med(case, p, col):
    values = [float(r[col]) for r in rows if r[1] == case and r[2] == p and r[col] != "-"]
    return statistics.median(values) if values else None
def ratio(label, o, v, form):
    return f"   {label} {o:{form}} / {v:{form}} = {o / v:5.2f}" if o is not None and v is not None else ""
print("medians over rounds (ModelInfer / ncf.v1):")
for case in dict.fromkeys(r[1] for r in rows):
    print(f"  {case:15s}" + ratio("calls/s", med(case, "oip", 3), med(case, "ncf.v1", 3), "9.0f")
          + ratio("p50 ms", med(case, "oip", 4), med(case, "ncf.v1", 4), "7.3f")
          + ratio("server us/call", med(case, "oip", 5), med(case, "ncf.v1", 5), "7.1f"))
PY
