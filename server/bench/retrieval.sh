#!/usr/bin/env bash
# Retrieval against exact ranking, per catalogue: for each BUNDLE_DIR, starts bin/ncf-server on it with retrieval on
# (ncf.retrieval=on: the item index built at load), and prints the load time, the index's build time, the server's
# resident memory, Recommend k=10 (seen items excluded) exact and through retrieval at concurrency 1 (p50, p99) and
# at 16 (throughput), both measured in the same run one after the other, and recall@10 of retrieval against the
# exact top 10 over USERS users for each C of CS (the trade-off curve, with the server's time per user of each).
# Usage: retrieval.sh BUNDLE_DIR... ; environment: SECONDS_EACH (default 10), USERS (1000), CS ("50,100,200,400"),
# READY_SECONDS (600: a million items take minutes to index), JAVA_OPTS for the server.
# Bundles of structured catalogues: trainer/bench/generate.sh with CLUSTERS, then one epoch of ncf-train, e.g.
#   generate.sh 200000 1000000 5000000 c1m.csv 0.8 1 1000 && ncf-train --interactions c1m.csv --header
#   --timestamp-col ts --model neumf --factor 32 --epochs 1 --threads 2 --no-full-ranking --eval-users 2000
#   --export-dir c1m-bundle
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds="${SECONDS_EACH:-10}"
users="${USERS:-1000}"
cs="${CS:-50,100,200,400}"
"$here/../../bin/ncf" --version > /dev/null # builds the client once, outside the timings
for dir in "$@"; do
  (
    export NCF_RETRIEVAL=on READY_SECONDS="${READY_SECONDS:-600}"
    started=$SECONDS
    source "$here/start-server.sh" "$dir"
    echo "== $(basename "$(dirname "$bundle")")/$(basename "$bundle"): $(sed -n 's/.*with \([0-9]*\) users and \([0-9]*\) items.*/\1 users, \2 items/p' "$log" | head -1)"
    echo "ready after $(( SECONDS - started )) s; $(grep -o 'item index built in [0-9]* ms (item term [0-9]* ms, graph [0-9]* MiB)' "$log" | head -1)"
    echo "server RSS $(( $(ps -o rss= -p "$server") / 1024 )) MiB after the load"
    bench() {
      "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --warmup 5 --duration "$seconds" -k 10 \
        --mix recommend=1 "$@" 2>/dev/null | tail -1
    }
    for ranking in exact retrieval; do
      echo "$ranking c1: $(bench --ranking "$ranking" -c 1)"
      echo "$ranking c16: $(bench --ranking "$ranking" -c 16)"
    done
    "$root/bin/ncf" recall --target "localhost:$port" --bundle "$bundle" -n "$users" -k 10 \
      --retrieval-candidates "$cs" 2>/dev/null
    echo "server RSS $(( $(ps -o rss= -p "$server") / 1024 )) MiB at the end"
  )
done
