#!/usr/bin/env bash
# Large-model benchmark: writes a synthetic bundle of random weights (graph's SyntheticBundles, any size, in
# seconds), starts bin/ncf-server on it, and prints the bundle's size, the load time, the server's resident memory
# after the load and after serving load (VmRSS and VmHWM of /proc/PID/status: Score calls of many pairs spread over
# every part of the user and item ranges, then Recommend), Recommend p50 at concurrency 1 (k=10, seen items
# excluded, ranked the model's default way: through retrieval from 20,000 items on) and Score p50 (100 pairs), and
# what the resident memory after serving is: the mapped data file, the JVM's heap (committed and used) and the rest
# (the JVM's own and ONNX Runtime's native memory; the JVM's part by category with
# JAVA_OPTS=-XX:NativeMemoryTracking=summary). Checks free memory first.
# Usage: big-bundle.sh VARIANT USERS ITEMS FACTOR LAYERS [SECONDS=20] [WORK_DIR=a temporary directory]
# (a bundle already in WORK_DIR/repo/big/1 is served as it is: trainer/bench/big-model.sh exports one there)
# e.g. big-bundle.sh neumf 200000 1000000 32 64,32,16,8
# Environment: JAVA_OPTS for the server; KEEP=1 keeps the bundle.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bin/lib/serving.sh"
variant="$1"; users="$2"; items="$3"; factor="$4"; layers="$5"; seconds="${6:-20}"
work="${7:-$(mktemp -d)}"
mkdir -p "$work/repo/big"
bundle="$work/repo/big/1"
server=""
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; [[ "${KEEP:-}" == 1 ]] || rm -rf "$work/repo"' EXIT
status() { grep -E "^$2:" "/proc/$1/status" | awk '{printf "%.0f MiB", $2 / 1024}'; }

if [[ ! -f "$bundle/card.json" ]]; then
  # what writing it needs: the weights and the ranking graph's item sides, as float arrays, twice over for safety
  layer0="${layers%%,*}"
  need_mb=$(( ( (users + items) * (factor + layer0 / 2) + items * (factor + layer0) ) * 4 * 2 / 1048576 ))
  avail_mb=$(( $(awk '/^MemAvailable:/ {print $2}' /proc/meminfo) / 1024 ))
  if (( avail_mb < need_mb + 4096 )); then
    echo "big-bundle.sh: writing the bundle needs about $need_mb MiB, and $avail_mb MiB is available (need + 4 GiB)" >&2
    exit 1
  fi
  t0=$(date +%s.%N)
  JAVA_OPTS="-Xmx$(( need_mb + 1024 ))m" "$root/bin/lib/run-java.sh" graph org.ncf4j.graph.SyntheticBundles \
    "$bundle" "$variant" "$users" "$items" "$factor" "$layers" 20 >&2
  echo "bundle written in $(echo "$(date +%s.%N) - $t0" | bc) s"
fi
echo "bundle: $(du -sm "$bundle" | cut -f1) MiB ($(du -m "$bundle/weights.bin" | cut -f1) MiB weights.bin)"

port="$(ncf_free_port $(( 20000 + RANDOM % 20000 )))"
http="$(ncf_free_port $(( port + 1 )))"
log="$work/server.log"
t0=$(date +%s.%N)
NCF_REPOSITORY="$work/repo" GRPC_SERVER_PORT="$port" HTTP_PORT="$http" NCF_EXECUTION_PROVIDER=cpu \
  NCF_POLL_INTERVAL=0s "$root/bin/ncf-server" > "$log" 2>&1 &
server=$!
ncf_await_ready "the server" "$port" "$http" 1800 kill -0 "$server" || { cat "$log"; exit 1; }
echo "loaded and ready in $(echo "$(date +%s.%N) - $t0" | bc) s (including the JVM's start); its log:"
grep -E "model big version 1|ready in" "$log" | sed -E 's/^.*(model big|ready in)/  \1/'
pid="$(pgrep -P "$server" java || echo "$server")"
echo "after the load: VmRSS $(status "$pid" VmRSS), VmHWM $(status "$pid" VmHWM)"

"$root/bin/ncf" --version > /dev/null
bench() {
  "$root/bin/ncf" bench --target "localhost:$port" --users "$bundle/users.txt" --items "$bundle/items.txt" "$@" \
    2>/dev/null | grep -E "latency" | sed -E 's/^/  /'
}
echo "Score, 100 random pairs a call, concurrency 2, $seconds s (touches users and items all over their ranges):"
bench --mix score=1 --pairs 100 -c 2 --warmup 5 --duration "$seconds"
echo "Recommend k=10 (the model's default ranking: through retrieval from 20,000 items on), concurrency 1, $seconds s:"
bench --mix recommend=1 -k 10 -c 1 --warmup 5 --duration "$seconds"
echo "Score of 100 pairs, concurrency 1, $seconds s:"
bench --mix score=1 --pairs 100 -c 1 --warmup 5 --duration "$seconds"
echo "after serving: VmRSS $(status "$pid" VmRSS), VmHWM $(status "$pid" VmHWM); bundle $(du -sm "$bundle" | cut -f1) MiB"
# what is resident: file-backed pages (the mapped weights.bin, the JVM's and ONNX Runtime's code) and anonymous
# memory (the heap, the JVM's and ONNX Runtime's native allocations)
awk '/^(Rss|Anonymous):/ {v[$1] = $2} END {printf "  resident: %.0f MiB file-backed, %.0f MiB anonymous\n",
  (v["Rss:"] - v["Anonymous:"]) / 1024, v["Anonymous:"] / 1024}' "/proc/$pid/smaps_rollup"
awk -v f="$(realpath "$bundle/weights.bin")" '/^[0-9a-f]+-[0-9a-f]+ / {inside = ($6 == f); next}
  inside && /^Rss:/ {n += $2; m++} END {printf "  of which weights.bin: %.0f MiB in %d mappings\n", n / 1024, m}' \
  "/proc/$pid/smaps"
if command -v jcmd > /dev/null; then
  jcmd "$pid" GC.heap_info 2> /dev/null | grep -E "total [0-9]+K, used" | head -1 | sed -E 's/^ */  heap: /'
  jcmd "$pid" VM.native_memory summary 2> /dev/null | grep -E "^(Total|-) " | sed -E 's/^/  NMT /' || true
fi
