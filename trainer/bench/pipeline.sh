#!/usr/bin/env bash
# Times negative sampling of one epoch and evaluation on MovieLens 1M (see PipelineBench).
# Usage: pipeline.sh [DATA_DIR] [REPS]
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../../bin/lib/run-java.sh" trainer PipelineBench "${1:-$here/../../../shared/data/ml-1m-ncf}" "${2:-7}"
