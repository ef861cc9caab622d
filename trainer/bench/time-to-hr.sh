#!/usr/bin/env bash
# Wall time until NeuMF (factor 8, MLP 64-32-16-8) first reaches a test HR@10 target on MovieLens 1M, ours with
# a chosen batch size and learning rate, and, with TORCH=1, the lean PyTorch loop ../shared/bench/torch_ncf.py at
# the paper's batch 256 (its time is the sum of its per-epoch sampling, training and evaluation times).
# Usage: time-to-hr.sh [TARGET=0.68] [BATCH=256] [LR=0.001] [MAX_EPOCHS=20]; DATA=dir overrides the data.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${DATA:-$root/../shared/data/ml-1m-ncf}"
target="${1:-0.68}"; batch="${2:-256}"; lr="${3:-0.001}"; epochs="${4:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/bin/ncf-train" --ncf-split "$data" --model neumf --batch-size "$batch" --lr "$lr" --epochs "$epochs" \
  --no-full-ranking -o "$work/neumf" > "$work/neumf.log" 2>&1
/usr/bin/python3 - "$work/neumf/report.json" "$target" "$batch" "$lr" <<'PY'
import json, sys
report, target = json.load(open(sys.argv[1])), float(sys.argv[2])
hit = next((e for e in report["epochs"] if e["hitRate"] >= target), None)
if hit:
    print(f"ncf4j   batch {sys.argv[3]} lr {sys.argv[4]}: HR@10 {hit['hitRate']:.4f} >= {target} after epoch {hit['epoch']}, "
          f"{hit['elapsedSeconds']:.1f} s (best HR@10 {report['bestHitRate']:.4f} at epoch {report['bestEpoch']})")
else:
    print(f"ncf4j   batch {sys.argv[3]} lr {sys.argv[4]}: HR@10 never reached {target} (best {report['bestHitRate']:.4f})")
PY
if [[ "${TORCH:-0}" == 1 ]]; then
  /usr/bin/python3 "$root/../shared/bench/torch_ncf.py" --data "$data" --variant neumf --epochs "$epochs" \
    --threads 1 > "$work/torch.log" 2>&1
  awk -v t="$target" '/^epoch/ {
      for (i = 1; i <= NF; i++) { if ($i == "sample") s = $(i+1); if ($i == "train") tr = $(i+1); if ($i == "eval") ev = $(i+1); if ($i == "HR") hr = $(i+1) }
      gsub("s", "", s); gsub("s", "", tr); gsub("s", "", ev); total += s + tr + ev
      if (hr >= t && !done) { printf "pytorch batch 256 lr 0.001: HR@10 %.4f >= %s after epoch %d, %.1f s\n", hr, t, $2 + 1, total; done = 1 } }
    END { if (!done) printf "pytorch: HR@10 never reached %s\n", t }' "$work/torch.log"
fi
