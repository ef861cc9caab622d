# Sourced by the serving benchmarks: starts bin/ncf-server on a temporary repository holding BUNDLE as model
# "bench" version 1, waits until it is ready (its health: bin/lib/serving.sh), and stops it on exit. Sets: root,
# bundle, repo, log, port (gRPC), http, server (its pid). Arguments: BUNDLE_DIR; environment: JAVA_OPTS and any NCF_*
# setting for the server, READY_SECONDS (default 120) to wait for it, SERVER_CPUS (a taskset list) to pin it.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bin/lib/serving.sh"
bundle="$(cd "$1" && pwd)"
repo="$(mktemp -d)"
mkdir -p "$repo/bench"
ln -s "$bundle" "$repo/bench/1"
port="$(ncf_free_port $(( 20000 + RANDOM % 20000 )))"
http="$(ncf_free_port $(( port + 1 )))"
log="$repo/server.log"
pin=()
[[ -n "${SERVER_CPUS:-}" ]] && pin=(taskset -c "$SERVER_CPUS")
NCF_REPOSITORY="$repo" GRPC_SERVER_PORT="$port" HTTP_PORT="$http" NCF_EXECUTION_PROVIDER=cpu \
  ${pin[@]+"${pin[@]}"} "$root/bin/ncf-server" > "$log" 2>&1 &
server=$!
trap 'rc=$?; kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$repo"; exit $rc' EXIT
ncf_await_ready "the server (model bench from $bundle)" "$port" "$http" "${READY_SECONDS:-120}" kill -0 "$server" || { cat "$log"; exit 1; }
