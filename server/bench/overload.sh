#!/usr/bin/env bash
# Overload: what the server answers when calls come faster than it can serve them. For each case, the capacity is
# what 8 closed-loop callers get after a warm-up; then `ncf bench --rate` offers calls at fixed rates whatever the
# answers (an open loop, as perf_analyzer's --request-rate-range and ghz's --rps do): 0.5x, 1x, 2x, 4x and again
# 0.5x the capacity, PHASE seconds each, every call with a DEADLINE. Goodput is OK answers per second over the
# capacity. Meanwhile health_probe.py asks gRPC health and HTTP /health every 100 ms and reads the server's resident
# memory. The server and the client run pinned to different cores (SERVER_CPUS, CLIENT_CPUS).
# Cases: RecommendBatch of 50 users, RecommendBatch of 10, Score of 2,000 pairs, Recommend (k 10).
# A server meeting its first overload spends seconds compiling the paths that refuse calls (on one core, a first 1x
# phase then answered 0.75 of the capacity, and 0.95 after an overload): before the measured phases the server is
# warmed with WARM_OVERLOAD seconds (10; 0 for none) at 4x, as the capacity's callers warmed the paths that serve.
# Usage: overload.sh BUNDLE_DIR [PHASE_SECONDS=10]; WARMUP (seconds, 20), DEADLINE (1s), SERVER_CPUS (0),
# CLIENT_CPUS (1), CASES (names to run, default all), MULTIPLES (of the capacity, default "0.5 1 2 4 0.5"), and any
# NCF_* setting for the server.
set -euo pipefail
phase="${2:-10}"; warmup="${WARMUP:-20}"; deadline="${DEADLINE:-1s}"; warm_overload="${WARM_OVERLOAD:-10}"
export SERVER_CPUS="${SERVER_CPUS:-0}"
client_cpus="${CLIENT_CPUS:-1}"
# the server on BUNDLE as model "bench", pinned, stopped on exit: sets root, bundle, port, http, server
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" "$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"; kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$repo"' EXIT
bench() {
  taskset -c "$client_cpus" "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --model bench \
    --deadline "$deadline" "$@"
}
declare -A how=([RecommendBatch-50]="--mix recommend-batch=1 --batch-users 50"
                [RecommendBatch-10]="--mix recommend-batch=1 --batch-users 10"
                [Score-2000]="--mix score=1 --pairs 2000"
                [Recommend]="--mix recommend=1")
# shellcheck disable=SC2206
multiples=(${MULTIPLES:-0.5 1 2 4 0.5})
printf "%-18s %-5s %9s %10s %9s %8s %12s %12s  %s\n" case load "offered/s" "OK/s" goodput "OK p99" "failed p50" \
  "failed p99" codes
for name in ${CASES:-RecommendBatch-50 RecommendBatch-10 Score-2000 Recommend}; do
  # shellcheck disable=SC2086
  # (ncf bench exits 1 when any call failed: the capacity is what succeeded, and the line says what failed)
  line=$(bench ${how[$name]} -c 8 --warmup "$warmup" --duration "$phase" 2>/dev/null | head -1 || true)
  capacity=$(sed -nE 's/.*= ([0-9,.]+)\/s;.*/\1/p' <<< "$line" | tr -d ,)
  [[ -n "$capacity" ]] || { echo "overload.sh: no capacity measured for $name: $line" >&2; exit 1; }
  [[ "$line" == *"errors none"* ]] || echo "$name: the closed loop had failures: ${line##*; }" >&2
  rates=$(for m in "${multiples[@]}"; do awk -v c="$capacity" -v m="$m" 'BEGIN {printf "%.1f,", c * m}'; done)
  echo "$name: capacity $capacity calls/s (8 closed-loop callers); offering ${rates%,} calls/s" >&2
  if (( warm_overload > 0 )); then
    # shellcheck disable=SC2086
    bench ${how[$name]} -c 8 --warmup 0 --duration "$warm_overload" --rate "$(awk -v c="$capacity" \
      'BEGIN {printf "%.1f", c * 4}')" > /dev/null 2>&1 || true
    echo "$name: the server warmed with ${warm_overload} s at 4x (its refusals compiled)" >&2
  fi
  /usr/bin/python3 "$root/server/bench/health_probe.py" "$port" "$http" "$server" > "$work/probe" 2>&1 &
  probe=$!
  # shellcheck disable=SC2086
  bench ${how[$name]} -c 8 --warmup 5 --duration "$phase" --rate "${rates%,}" 2> /dev/null > "$work/open"
  kill -TERM "$probe"; wait "$probe" || true
  # a phase line: number rate offered ok  okp50 / okp99 / okmax  fp50 / fp99 / fmax  {codes}
  awk -v name="$name" -v cap="$capacity" -v list="${multiples[*]}" '
    BEGIN { split(list, m, " ") }
    $1 ~ /^[0-9]+$/ { codes = ""; for (i = 15; i <= NF; i++) codes = codes (i > 15 ? " " : "") $i
      if ($3 < 0.97 * $2) codes = codes " (the client sent late: client-bound)"
      printf "%-18s %-5s %9.0f %10.0f %9.2f %8s %12s %12s  %s\n", name, m[$1] "x", $3, $4, $4 / cap, $7, $10, $12,
        codes }' "$work/open"
  sed 's/^/  /' "$work/probe"
done
