#!/usr/bin/env bash
# Serving benchmark of issue 4: starts bin/ncf-server on a repository holding one bundle, then load-tests it with
# `ncf bench` from a separate JVM over loopback: Recommend k=10 (seen items excluded) at concurrency 1 and 16,
# Score with 100 pairs at concurrency 1; then, in the same run, the in-process time of naively scoring all items
# for one user with the scoring graph (trainer/bench ExportBench, same shapes), which Recommend's p50 should beat.
# Each case warms up for 10 s (the server's JIT) and draws its latencies to CHART_DIR/<case>.png.
# Usage: serve.sh BUNDLE_DIR [SECONDS=10] [CHART_DIR=serve-charts]
set -euo pipefail
seconds="${2:-10}"
charts="${3:-serve-charts}"
mkdir -p "$charts"
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" "$1"
"$root/bin/ncf" --version > /dev/null
bench() {
  local name="$1"
  shift
  "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --warmup 10 --duration "$seconds" \
    --chart "$charts/$name.png" "$@" 2>/dev/null
}
echo "server pid $server, RSS $(ps -o rss= -p $server | tr -d ' ') KiB before"
bench recommend-c1 --mix recommend=1 -k 10 -c 1
bench recommend-c16 --mix recommend=1 -k 10 -c 16
bench score100-c1 --mix score=1 --pairs 100 -c 1
echo "server RSS $(ps -o rss= -p $server | tr -d ' ') KiB after; latency charts in $charts/"
"$root/trainer/bench/export.sh" "$root/../shared/data/ml-1m-ncf" 2>/dev/null | grep -E "^(rank|score)"
