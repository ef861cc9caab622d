#!/usr/bin/env bash
# Writes a seeded synthetic interactions file (user,item,ts) for ncf-train --interactions; see SyntheticInteractions.
# Usage: generate.sh USERS ITEMS INTERACTIONS OUT.csv [SKEW=0.8] [SEED=1] [CLUSTERS=0]
#   CLUSTERS > 0: items in that many latent clusters, users drawing mostly from theirs, every item occurring once at
#   least (needs INTERACTIONS >= ITEMS); 0 draws by popularity alone, the same files as before the option existed.
#   MovieLens 1M's counts:  generate.sh 6040 3706 1000209 ml1m-like.csv
#   MovieLens 20M's counts: generate.sh 138493 26744 20000000 ml20m-like.csv
#   A structured catalogue: generate.sh 200000 1000000 5000000 structured.csv 0.8 1 1000
exec "$(dirname "${BASH_SOURCE[0]}")/../../bin/lib/run-java.sh" trainer SyntheticInteractions "$@"
