# Sourced by the serving benchmarks: starts bin/ncf-server on a temporary repository holding BUNDLE as model
# "bench" version 1, waits until it is loaded, and stops it on exit. Sets: root, bundle, port, server.
# Arguments: BUNDLE_DIR; environment: JAVA_OPTS for the server.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bundle="$(cd "$1" && pwd)"
repo="$(mktemp -d)"
mkdir -p "$repo/bench"
ln -s "$bundle" "$repo/bench/1"
port=$(( 20000 + RANDOM % 20000 ))
log="$repo/server.log"
NCF_REPOSITORY="$repo" GRPC_SERVER_PORT="$port" HTTP_PORT=$(( port + 1 )) NCF_EXECUTION_PROVIDER=cpu \
  "$root/bin/ncf-server" > "$log" 2>&1 &
server=$!
trap 'rc=$?; kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$repo"; exit $rc' EXIT
for _ in $(seq 1 120); do
  grep -q "loaded model bench" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
