#!/usr/bin/env bash
# Memory and hot-swap soak: serves BUNDLE with a fixed heap, committed from the start (-Xms512m -Xmx512m
# -XX:+AlwaysPreTouch, so that RSS shows native memory rather than the heap growing), polling every second; warms
# up with 20,000 calls, then sends CALLS more (Recommend and Score, half each, concurrency 8) in SEGMENTS segments
# (default 10; a large model's version takes minutes to load, so fewer and longer segments suit it). During each
# segment a new version is copied into the repository with a plain `cp -r`, which a poll may meet half-copied (it
# is refused, then loaded once the copy completes) and which then replaces the serving version; a segment's calls go
# on until the new version serves, and a tenth of a segment after, so that every swap happens under load. Prints, per
# segment, the calls, the errors, the server's RSS and the version serving. Usage: soak.sh BUNDLE_DIR [CALLS=1000000]
# Environment: JAVA_OPTS (the heap, sized for two versions of the model at once), SEGMENTS, READY_SECONDS.
set -euo pipefail
calls="${2:-1000000}"
segments="${SEGMENTS:-10}"
export JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch}" NCF_POLL_INTERVAL=1s
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" "$1"
bench() { "$root/bin/ncf" bench --target "localhost:$port" --bundle "$bundle" --mix recommend=1,score=1 -c 8 "$@"; }
bench -n 20000 -d 120 --warmup 2 2>/dev/null
echo "server RSS after 20,000 warm-up calls: $(ps -o rss= -p "$server" | tr -d ' ') KiB"
failed=0
for segment in $(seq 1 "$segments"); do
  version=$(( segment + 1 ))
  ( sleep 2; cp -r "$bundle" "$repo/bench/$version" ) &
  copier=$!
  out="$(bench -n $(( calls / segments )) -d 3600 --warmup 0 2>/dev/null)" || true
  wait "$copier"
  errors="$(sed -E 's/.*errors (.*)$/\1/' <<< "$out")"
  summary="$(sed -E 's/.*: ([0-9,]+ calls in [0-9.]+ s = [0-9,]+\/s).*/\1/' <<< "$out")"
  # a large model's version can take longer to load than the segment's calls: calls go on, a tenth of a segment at
  # a time, until the new version serves, and one tenth more after, so that every swap happens under load
  swapped=0
  extra=0
  while (( swapped < 2 && extra < 100 )); do
    extra=$(( extra + 1 ))
    grep -q "loaded model bench version $version " "$log" && swapped=$(( swapped + 1 ))
    (( swapped == 2 )) && break
    more="$(bench -n $(( calls / segments / 10 )) -d 3600 --warmup 0 2>/dev/null)" || true
    more_errors="$(sed -E 's/.*errors (.*)$/\1/' <<< "$more")"
    [[ "$more_errors" == none ]] || errors="$errors; $more_errors"
    summary="$summary, then $(sed -E 's/.*: ([0-9,]+) calls in .*/\1/' <<< "$more")"
  done
  (( swapped == 2 )) || { errors="$errors; version $version never served"; }
  [[ "$errors" == none ]] || failed=1
  serving="$(grep -o "loaded model bench version [0-9]*" "$log" | tail -1 | awk '{print $NF}')"
  refused="$(grep -c "refused model bench" "$log" || true)"
  closed="$(grep -c "closed model bench" "$log" || true)"
  echo "segment $segment: $summary, errors $errors; RSS $(ps -o rss= -p "$server" | tr -d ' ') KiB; serving version $serving (versions closed so far: $closed; met half-copied and refused: $refused)"
done
exit $failed
