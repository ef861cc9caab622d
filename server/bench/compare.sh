#!/usr/bin/env bash
# Side-by-side serving benchmark of two builds of the server on one bundle: this checkout's and another checkout's
# (for example a worktree of an earlier commit: git worktree add ../base <commit>). Both servers run at once and
# are measured alternately, case by case and round by round, with this checkout's `ncf bench` in its own JVM over
# loopback, so that both see the same machine. Cases: the popularity fallback (Recommend for unknown users: a call
# that does not run the model) and Recommend k=10 (seen items excluded) at concurrency 1, Recommend at 16, Score
# of 100 pairs at 1. Then, in-process on the same bundle, the time for one user of what this build's server ranks
# with (the fused kernel or the ranking graph, model.sh).
# Prints every measurement, the medians over rounds, and the ratios this / base.
# Usage: compare.sh BASE_CHECKOUT BUNDLE_DIR [ROUNDS=3] [SECONDS=10] [WARMUP=15]; PREWARM (seconds, 60): see below
# SERVER_CPUS and CLIENT_CPUS (taskset lists, e.g. 0 and 1) pin the servers and the load generator to separate
# cores, so that a server's figures are not paid for by the client's CPU time, as when they run on different
# machines; unset, all share every core.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base="$(cd "$1" && pwd)"
bundle="$(cd "$2" && pwd)"
rounds="${3:-3}"; seconds="${4:-10}"; warmup="${5:-15}"
work="$(mktemp -d)"
pids=()
server_pin=(); client_pin=()
[[ -n "${SERVER_CPUS:-}" ]] && server_pin=(taskset -c "$SERVER_CPUS")
[[ -n "${CLIENT_CPUS:-}" ]] && client_pin=(taskset -c "$CLIENT_CPUS")
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
mkdir -p "$work/repo/bench"
ln -s "$bundle" "$work/repo/bench/1"
"$root/bin/ncf" --version > /dev/null
. "$root/bin/lib/serving.sh"

start() { # start NAME CHECKOUT FROM_PORT: starts the server, waits until it is ready, sets NAME_port (its gRPC port)
  local port http pid
  port="$(ncf_free_port "$3")"
  http="$(ncf_free_port $(( port + 1 )))"
  NCF_REPOSITORY="$work/repo" GRPC_SERVER_PORT="$port" HTTP_PORT="$http" NCF_EXECUTION_PROVIDER=cpu \
    NCF_POLL_INTERVAL=1h "${server_pin[@]}" "$2/bin/ncf-server" > "$work/$1.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  # its health says when: the other checkout's server answers HTTP /health as this one's does
  ncf_await_ready "the server of $2" "$port" "$http" 180 kill -0 "$pid" || { cat "$work/$1.log"; exit 1; }
  printf -v "$1_port" '%s' "$port"
}
from=$(( 20000 + RANDOM % 20000 ))
start this "$root" "$from"
start base "$base" $(( this_port + 10 ))

bench() { # bench PORT ARGS... -> "throughput p50"
  "${client_pin[@]}" "$root/bin/ncf" bench --target "localhost:$1" --bundle "$bundle" --warmup "$warmup" --duration "$seconds" \
    "${@:2}" 2>/dev/null | sed -E 's/.*= ([0-9,.]+)\/s; latency ms p50 ([0-9.]+).*/\1 \2/; s/,//g'
}
cases=("fallback-c1:--mix fallback=1 -k 10 -c 1" "recommend-c1:--mix recommend=1 -k 10 -c 1"
       "recommend-c16:--mix recommend=1 -k 10 -c 16" "score100-c1:--mix score=1 --pairs 100 -c 1")
# Before the rounds, each server serves PREWARM seconds of mixed load at concurrency 16, unmeasured: on one pinned
# core the JIT takes about a minute to compile a server's serving path (Recommend at 16 went from 700 to 1,470
# calls/s for the base and from 1,800 to 3,100 for this build between 10 and 60 s of load), and rounds that start
# earlier measure how far each build's compilation has got. PREWARM=0 measures from the start.
prewarm="${PREWARM:-60}"
if (( prewarm > 0 )); then
  for p in "$this_port" "$base_port"; do
    "${client_pin[@]}" "$root/bin/ncf" bench --target "localhost:$p" --bundle "$bundle" --warmup 0 \
      --duration "$prewarm" --mix recommend=2,score=1,fallback=1 -k 10 -c 16 > /dev/null 2>&1
  done
fi
printf "%-6s %-14s %-5s %12s %10s\n" round case build "calls/s" "p50 ms" | tee "$work/results"
for r in $(seq 1 "$rounds"); do
  for c in "${cases[@]}"; do
    name="${c%%:*}"; args="${c#*:}"
    # alternate which build goes first, so neither always runs on a machine the other just warmed
    if (( r % 2 )); then order="this base"; else order="base this"; fi
    for b in $order; do
      p=$this_port; [[ $b == base ]] && p=$base_port
      # shellcheck disable=SC2086
      read -r tput p50 <<< "$(bench "$p" $args)"
      printf "%-6s %-14s %-5s %12s %10s\n" "$r" "$name" "$b" "$tput" "$p50" | tee -a "$work/results"
    done
  done
done
# the in-process time of what this build's server ranks with: the fused kernel or the ranking graph (its log says)
kernel="^rank graph"
grep -q "ranking with the fused Java kernel" "$work/this.log" && kernel="^fused ranker"
rank=$("${server_pin[@]}" "$root/server/bench/model.sh" "$bundle" "$seconds" 2>/dev/null | grep "$kernel" | sed -E 's/.*p50 ([0-9.]+) ms.*/\1/')
echo "in-process ranking (${kernel#^}), one user, seen excluded, k=10: p50 $rank ms"
/usr/bin/env python3 - "$work/results" "$rank" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
med = lambda case, build, col: statistics.median(float(r[col]) for r in rows if r[1] == case and r[2] == build)
rank = float(sys.argv[2])
print("medians over rounds (this / base):")
for case in ["fallback-c1", "recommend-c1", "recommend-c16", "score100-c1"]:
    t, b = med(case, "this", 3), med(case, "base", 3)
    pt, pb = med(case, "this", 4), med(case, "base", 4)
    print(f"  {case:14s} calls/s {t:9.0f} / {b:9.0f} = {t / b:5.2f}   p50 ms {pt:7.3f} / {pb:7.3f} = {pt / pb:5.2f}")
fb, rec = med("fallback-c1", "this", 4), med("recommend-c1", "this", 4)
print(f"Recommend c=1 p50 {rec:.3f} ms against fallback p50 + in-process ranking + 0.05 = {fb:.3f} + {rank:.3f} "
      f"+ 0.05 = {fb + rank + 0.05:.3f} ms")
PY
