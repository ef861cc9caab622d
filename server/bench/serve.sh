#!/usr/bin/env bash
# Serving benchmark of issue 4: starts bin/ncf-server on a repository holding one bundle, then load-tests it with
# `ncf bench` from a separate JVM over loopback: Recommend k=10 (seen items excluded) at concurrency 1 and 16,
# Score with 100 pairs at concurrency 1; then, in the same run, the in-process time of naively scoring all items
# for one user with the scoring graph (trainer/bench ExportBench), which Recommend's p50 should beat.
# Usage: serve.sh BUNDLE_DIR [SECONDS=10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bundle="$(cd "$1" && pwd)"
seconds="${2:-10}"
repo="$(mktemp -d)"
mkdir -p "$repo/bench"
ln -s "$bundle" "$repo/bench/1"
port=$(( 20000 + RANDOM % 20000 ))
log="$repo/server.log"
NCF_REPOSITORY="$repo" GRPC_SERVER_PORT="$port" NCF_EXECUTION_PROVIDER=cpu "$root/bin/ncf-server" > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$repo"' EXIT
for _ in $(seq 1 120); do
  grep -q "loaded model bench" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
"$root/bin/ncf" --version > /dev/null
bench() { "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --duration "$seconds" "$@" 2>/dev/null; }
echo "server pid $server, RSS $(ps -o rss= -p $server | tr -d ' ') KiB before"
bench --mix recommend=1 -k 10 -c 1
bench --mix recommend=1 -k 10 -c 16
bench --mix score=1 --pairs 100 -c 1
echo "server RSS $(ps -o rss= -p $server | tr -d ' ') KiB after"
"$root/trainer/bench/export.sh" "$root/../shared/data/ml-1m-ncf" 2>/dev/null | grep -E "^(rank|score)"
