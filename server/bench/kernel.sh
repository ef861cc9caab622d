#!/usr/bin/env bash
# The fused ranking kernel's time per user and a Score run of 2,000 pairs, in RUNS fresh JVMs one after another (the
# JIT compiles it differently from one start to the next, so one JVM's figure is not the kernel's).
# Usage: kernel.sh BUNDLE_DIR [RUNS=5] [SECONDS=5]
set -euo pipefail
run_java="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bin/lib/run-java.sh"
"$run_java" server KernelBench "$1" 0.1 > /dev/null # builds once
for ((r = 1; r <= ${2:-5}; r++)); do
  echo "JVM $r: $(NCF_SKIP_BUILD=1 "$run_java" server KernelBench "$1" "${3:-5}")"
done
