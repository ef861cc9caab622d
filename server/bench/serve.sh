#!/usr/bin/env bash
# Serving benchmark of issue 4: starts bin/ncf-server on a repository holding one bundle, then load-tests it with
# `ncf bench` from a separate JVM over loopback: Recommend k=10 (seen items excluded) at concurrency 1 and 16,
# Score with 100 pairs at concurrency 1; then, in the same run, the in-process time of naively scoring all items
# for one user with the scoring graph (trainer/bench ExportBench), which Recommend's p50 should beat.
# Usage: serve.sh BUNDLE_DIR [SECONDS=10]
set -euo pipefail
seconds="${2:-10}"
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" "$1"
"$root/bin/ncf" --version > /dev/null
bench() { "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --duration "$seconds" "$@" 2>/dev/null; }
echo "server pid $server, RSS $(ps -o rss= -p $server | tr -d ' ') KiB before"
bench --mix recommend=1 -k 10 -c 1
bench --mix recommend=1 -k 10 -c 16
bench --mix score=1 --pairs 100 -c 1
echo "server RSS $(ps -o rss= -p $server | tr -d ' ') KiB after"
"$root/trainer/bench/export.sh" "$root/../shared/data/ml-1m-ncf" 2>/dev/null | grep -E "^(rank|score)"
