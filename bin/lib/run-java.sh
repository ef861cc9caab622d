#!/usr/bin/env bash
# Runs a class of MODULE's test classpath: a benchmark of MODULE/bench/java by its simple name (KernelBench), or any
# class by its full name, with the JVM settings MODULE's launcher uses (bin/lib/jvm.sh). Works from a fresh clone:
# the modules it needs are compiled in the same Maven run that writes the classpath, so nothing has to be installed
# first. Called by the scripts in server/bench and trainer/bench, and by deploy/check-image.sh.
# Usage: run-java.sh MODULE CLASS [ARGS...]; environment: JAVA_OPTS, NCF_SKIP_BUILD=1 (reuse the last build, for
# several runs in a row).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
module="$1"
main="$2"
shift 2
[[ "$main" == *.* ]] || main="org.ncf4j.$module.bench.$main"
# NCF_SKIP_BUILD=1 reuses the last build's classpath, but builds when there is none yet
if [[ "${NCF_SKIP_BUILD:-}" != 1 || ! -f "$root/$module/target/bench.classpath" ]]; then
  . "$root/bin/lib/build.sh" # for ncf_locked: one Maven run of the checkout at a time
  ncf_locked mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl "$module" -am test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
fi
. "$root/bin/lib/jvm.sh"
ncf_jvm "$module"
if [[ "$module" == trainer ]]; then
  # the trainer's benchmarks time one PyTorch thread (as the paper-table runs train) and print warnings only
  jvm_flags+=(-Dai.djl.pytorch.num_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
fi
target="$root/$module/target"
# ${a[@]+...}: an empty array is "unbound" under set -u in bash before 4.4 (macOS has 3.2)
exec java ${jvm_flags[@]+"${jvm_flags[@]}"} ${JAVA_OPTS:-} \
  -cp "$(cat "$target/bench.classpath"):$target/classes:$target/test-classes" "$main" "$@"
