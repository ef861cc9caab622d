#!/usr/bin/env bash
# Serving benchmark: starts bin/ncf-server on a repository holding one bundle, then load-tests it with `ncf bench`
# from a separate JVM over loopback: the popularity fallback (a call that does not run the model) and Recommend k=10
# (seen items excluded) at concurrency 1, Recommend at 16, Score with 100 pairs at 1; then, in the same run, the
# in-process latencies of the same bundle (model.sh: the ranking graph for one user, naive scoring of all items).
# Each case warms up for 15 s (both JVMs' JIT) and draws its latencies to CHART_DIR/<case>.png. To compare two
# builds side by side, use compare.sh.
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
  "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --warmup 15 --duration "$seconds" \
    --chart "$charts/$name.png" "$@" 2>/dev/null
}
echo "server pid $server, RSS $(ps -o rss= -p $server | tr -d ' ') KiB before"
bench fallback-c1 --mix fallback=1 -k 10 -c 1
bench recommend-c1 --mix recommend=1 -k 10 -c 1
bench recommend-c16 --mix recommend=1 -k 10 -c 16
bench score100-c1 --mix score=1 --pairs 100 -c 1
echo "server RSS $(ps -o rss= -p $server | tr -d ' ') KiB after; latency charts in $charts/"
"$root/server/bench/model.sh" "$bundle" "$seconds" 2>/dev/null | grep -E "^(rank|fused|naive|Score|Recommend)"
