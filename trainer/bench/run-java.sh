#!/usr/bin/env bash
# Runs a benchmark class of trainer/bench/java with the test classpath and the launcher's settings (one PyTorch
# thread, glibc keeping large blocks). Works from a fresh clone: the modules it needs are compiled in the same
# Maven run that writes the classpath, so nothing has to be installed first. Usage: run-java.sh CLASS [ARGS...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
main="$1"
shift
. "$root/bin/lib/build.sh" # for ncf_locked: one Maven run of the checkout at a time
ncf_locked mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl trainer -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728
java ${JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=1 -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$(cat "$root/trainer/target/bench.classpath"):$root/trainer/target/classes:$root/trainer/target/test-classes" \
  "org.ncf4j.trainer.bench.$main" "$@"
