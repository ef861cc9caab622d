#!/usr/bin/env bash
# In-process latencies of a bundle (see ModelBench): the ranking graph for one user, a Recommend through the
# service without gRPC, naive scoring of every item, and Score of 100 pairs
# (scoring graph and fused kernel). Usage: model.sh BUNDLE_DIR [SECONDS]
exec "$(dirname "${BASH_SOURCE[0]}")/../../bin/lib/run-java.sh" server ModelBench "$@"
