#!/usr/bin/env bash
# Memory soak of issue 4: serves BUNDLE with a fixed heap (-Xmx512m), warms up with 20,000 calls, then sends
# CALLS more (Recommend and Score, half each, concurrency 8) and prints the server's RSS before and after, so a
# leak of native tensors would show. Usage: soak.sh BUNDLE_DIR [CALLS=1000000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bundle="$(cd "$1" && pwd)"
calls="${2:-1000000}"
repo="$(mktemp -d)"
mkdir -p "$repo/bench"
ln -s "$bundle" "$repo/bench/1"
port=$(( 20000 + RANDOM % 20000 ))
log="$repo/server.log"
JAVA_OPTS="-Xmx512m" NCF_REPOSITORY="$repo" GRPC_SERVER_PORT="$port" HTTP_PORT=$(( port + 1 )) \
  NCF_EXECUTION_PROVIDER=cpu "$root/bin/ncf-server" > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$repo"' EXIT
for _ in $(seq 1 120); do
  grep -q "loaded model bench" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
bench() { "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --mix recommend=1,score=1 -c 8 "$@"; }
bench -n 20000 -d 120 --warmup 2 2>/dev/null
echo "server RSS after 20,000 warm-up calls: $(ps -o rss= -p $server | tr -d ' ') KiB"
bench -n "$calls" -d 3600 --warmup 0 2>/dev/null
echo "server RSS after $calls more calls: $(ps -o rss= -p $server | tr -d ' ') KiB"
