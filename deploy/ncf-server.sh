#!/usr/bin/env bash
# The image's entry point: the server, with the JDK's vector API when the runtime has that incubating module (the
# fused ranking kernel then computes a vector of items per instruction; without it, its scalar loops serve).
set -euo pipefail
vector=()
java --list-modules 2>/dev/null | grep -q '^jdk.incubator.vector@' && vector=(--add-modules jdk.incubator.vector)
exec java "${vector[@]}" -jar /app/ncf-server.jar "$@"
