#!/usr/bin/env bash
# Writes a seeded synthetic interactions file (user,item,ts) for ncf-train --interactions; see SyntheticInteractions.
# Usage: generate.sh USERS ITEMS INTERACTIONS OUT.csv [SKEW=0.8] [SEED=1]
#   MovieLens 1M's counts:  generate.sh 6040 3706 1000209 ml1m-like.csv
#   MovieLens 20M's counts: generate.sh 138493 26744 20000000 ml20m-like.csv
exec "$(dirname "${BASH_SOURCE[0]}")/../../bin/lib/run-java.sh" trainer SyntheticInteractions "$@"
