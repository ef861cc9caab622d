#!/usr/bin/env bash
# The image's entry point: the server with the JVM settings bin/ncf-server gives it (bin/lib/jvm.sh, which the
# Dockerfiles copy beside this file: the JDK's vector API where the runtime has that incubating module).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/jvm.sh"
ncf_jvm server
exec java ${jvm_flags[@]+"${jvm_flags[@]}"} -jar /app/ncf-server.jar "$@"
