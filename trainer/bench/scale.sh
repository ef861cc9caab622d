#!/usr/bin/env bash
# Training cost against catalogue size and threads: NeuMF (factor 8, MLP 64-32-16-8) and GMF (factor 8), batch
# 256, the default optimizer, on two synthetic files of the same size, one with MovieLens 1M's user
# and item counts (6,040 x 3,706) and one with MovieLens 20M's (138,493 x 26,744), with one thread and with every
# core. GMF's arithmetic is small on any machine, so it shows on a slow machine what NeuMF shows on a fast one: how
# much of a step is memory traffic over tables that outgrow the caches. Prints samples/s, peak resident memory,
# and per model the ratios 20M-counts / 1M-counts and N threads / 1 thread. Each run trains EPOCHS epochs (default
# 4) and the figure is the median of the second to the last: the first also pays for the JIT's compilation (seconds
# of a core at these sizes), which runs on a free core beside one training thread but takes time from the training
# threads when every core trains, so that a first epoch of GMF (a few seconds) shows the compiler, not the training
# step; and one epoch of GMF at these sizes lasts a few seconds, which a shared machine's swings of 20% (seen from
# epoch to epoch on a 2-core VM) would set alone.
# Usage: scale.sh [INTERACTIONS=1000000] [EXTRA ncf-train FLAGS...]   (e.g. scale.sh 1000000 --optimizer lazy-adam)
# Environment: MODELS (default "neumf gmf"), EPOCHS (default 4, at least 2), NCF_BENCH_DATA.
# The files are generated once (generate.sh) into $NCF_BENCH_DATA (default /tmp/ncf4j-bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
size="${1:-1000000}"
shift || true
data="${NCF_BENCH_DATA:-/tmp/ncf4j-bench}"
threads="$(nproc)"
epochs="${EPOCHS:-4}"
if ! [[ "$epochs" =~ ^[0-9]+$ ]] || (( epochs < 2 )); then
  echo "scale.sh: EPOCHS must be a whole number of at least 2 (the first epoch is not counted), got '$epochs'" >&2
  exit 2
fi
mkdir -p "$data"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
declare -A counts=([ml-1m]="6040 3706" [ml-20m]="138493 26744")
for name in ml-1m ml-20m; do
  file="$data/$name-counts-$size.csv"
  [[ -f "$file" ]] || "$root/trainer/bench/generate.sh" ${counts[$name]} "$size" "$file" >&2
done
"$root/bin/ncf-train" --help > /dev/null # builds the trainer once, outside the timings
models="${MODELS:-neumf gmf}"
printf "%-6s %-8s %-8s %12s %10s %8s\n" model counts threads "samples/s" "peak MB" "load s"
declare -A rate
for model in $models; do
for name in ml-1m ml-20m; do
  for t in 1 "$threads"; do
    out="$work/$model-$name-$t"
    "$root/bin/ncf-train" --interactions "$data/$name-counts-$size.csv" --header --timestamp-col ts \
      --model "$model" --epochs "$epochs" --threads "$t" --no-full-ranking --no-export -o "$out" "$@" > "$out.log" 2>&1 \
      || { cat "$out.log" >&2; exit 1; }
    r=$(/usr/bin/python3 -c "import json, statistics, sys
print(statistics.median(e['samplesPerSecond'] for e in json.load(open(sys.argv[1]))['epochs'][1:]))" "$out/report.json")
    peak=$(sed -n 's/^peak memory (resident): \([0-9,]*\) MB/\1/p' "$out.log" | tr -d ,)
    load=$(sed -n 's/.*(read in \([0-9.]*\) s).*/\1/p' "$out.log")
    rate[$model-$name-$t]=$r
    printf "%-6s %-8s %-8s %12.0f %10s %8s\n" "$model" "$name" "$t" "$r" "${peak:-NA}" "${load:-NA}"
  done
done
done
for model in $models; do
  for t in 1 "$threads"; do
    awk -v a="${rate[$model-ml-20m-$t]}" -v b="${rate[$model-ml-1m-$t]}" -v t="$t" -v m="$model" \
      'BEGIN {printf "%s, threads %s: samples/s at 20M counts / at 1M counts = %.2f\n", m, t, a / b}'
  done
  for name in ml-1m ml-20m; do
    awk -v a="${rate[$model-$name-$threads]}" -v b="${rate[$model-$name-1]}" -v t="$threads" -v n="$name" \
      -v m="$model" 'BEGIN {printf "%s, %s counts: %s threads / 1 thread = %.2f\n", m, n, t, a / b}'
  done
done
