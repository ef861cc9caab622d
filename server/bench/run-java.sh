#!/usr/bin/env bash
# Runs a benchmark class of server/bench/java with the server's test classpath. Works from a fresh clone: the
# modules it needs are compiled in the same Maven run that writes the classpath. Usage: run-java.sh CLASS [ARGS...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
main="$1"
shift
if [[ "${NCF_SKIP_BUILD:-}" != 1 ]]; then # NCF_SKIP_BUILD=1: reuse the last build (several runs in a row)
  . "$root/bin/lib/build.sh" # for ncf_locked: one Maven run of the checkout at a time
  ncf_locked mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl server -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
fi
java --add-modules jdk.incubator.vector ${JAVA_OPTS:-} -Djava.awt.headless=true \
  -cp "$(cat "$root/server/target/bench.classpath"):$root/server/target/classes:$root/server/target/test-classes" \
  "org.ncf4j.server.bench.$main" "$@"
