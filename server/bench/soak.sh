#!/usr/bin/env bash
# Memory soak of issue 4: serves BUNDLE with a fixed heap (-Xmx512m), warms up with 20,000 calls, then sends
# CALLS more (Recommend and Score, half each, concurrency 8) and prints the server's RSS before and after each quarter, so a
# leak of native tensors would show. Usage: soak.sh BUNDLE_DIR [CALLS=1000000]
set -euo pipefail
calls="${2:-1000000}"
export JAVA_OPTS="-Xmx512m"
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" "$1"
bench() { "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --mix recommend=1,score=1 -c 8 "$@"; }
bench -n 20000 -d 120 --warmup 2 2>/dev/null
echo "server RSS after 20,000 warm-up calls: $(ps -o rss= -p $server | tr -d ' ') KiB"
# in quarters, so that a plateau and a steady climb look different
for quarter in 1 2 3 4; do
  bench -n $(( calls / 4 )) -d 3600 --warmup 0 2>/dev/null
  echo "server RSS after $(( quarter * calls / 4 )) more calls: $(ps -o rss= -p $server | tr -d ' ') KiB"
done
