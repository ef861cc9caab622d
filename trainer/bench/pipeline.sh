#!/usr/bin/env bash
# Times negative sampling and evaluation on MovieLens 1M (see PipelineBench). Usage: pipeline.sh [DATA_DIR] [REPS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-$root/../shared/data/ml-1m-ncf}"
mvn -q -B -f "$root/pom.xml" -pl trainer -am test-compile -DskipTests >&2
cp_file="$(mktemp)"
mvn -q -B -f "$root/trainer/pom.xml" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728
java -Dai.djl.pytorch.num_threads=1 -Djava.awt.headless=true \
  -cp "$(cat "$cp_file"):$root/trainer/target/classes:$root/trainer/target/test-classes" \
  org.ncf4j.trainer.bench.PipelineBench "$data" "${2:-7}"
rm -f "$cp_file"
