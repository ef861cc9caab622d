#!/usr/bin/env bash
# Training samples/s of GMF and NeuMF (factor 8, MLP 64-32-16-8) on MovieLens 1M at batch 256 with one thread,
# side by side with the lean PyTorch loop ../shared/bench/torch_ncf.py when Debian's python3-torch is installed
# (apt-get install -y python3-torch). Prints the median over epochs and the ratio ours / PyTorch.
# Usage: throughput.sh [DATA_DIR]   (EPOCHS=2 by default)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-$root/../shared/data/ml-1m-ncf}"
torch_script="$root/../shared/bench/torch_ncf.py"
epochs="${EPOCHS:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
have_torch=0
if [[ -f "$torch_script" ]] && /usr/bin/python3 -c "import torch" 2>/dev/null; then have_torch=1; fi
printf "%-6s %12s %12s %8s\n" model "ncf4j/s" "pytorch/s" ratio
for v in gmf neumf; do
  "$root/bin/ncf-train" --ncf-split "$data" --model "$v" --epochs "$epochs" --threads 1 --no-full-ranking \
    -o "$work/$v" > "$work/$v.log" 2>&1
  ours=$(/usr/bin/python3 -c "import json,sys; print('\n'.join(str(e['samplesPerSecond']) for e in json.load(open(sys.argv[1]))['epochs']))" "$work/$v/report.json" | median)
  theirs=NA; ratio=NA
  if [[ $have_torch == 1 ]]; then
    /usr/bin/python3 "$torch_script" --data "$data" --variant "$v" --epochs "$epochs" --threads 1 > "$work/$v.torch.log" 2>&1
    theirs=$(sed -n 's/.*(\([0-9]*\) samples\/s).*/\1/p' "$work/$v.torch.log" | median)
    ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f", a / b}')
  fi
  printf "%-6s %12.0f %12s %8s\n" "$v" "$ours" "$theirs" "$ratio"
done
