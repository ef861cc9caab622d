#!/usr/bin/env bash
# Runs a benchmark class of trainer/bench/java with the test classpath and the launcher's settings (one PyTorch
# thread, glibc keeping large blocks). Usage: run-java.sh CLASS [ARGS...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
main="$1"
shift
mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl trainer -am test-compile -DskipTests >&2
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -q -B -Dstyle.color=never -f "$root/trainer/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >&2
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728
java ${JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=1 -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$(cat "$cp_file"):$root/trainer/target/classes:$root/trainer/target/test-classes" \
  "org.ncf4j.trainer.bench.$main" "$@"
