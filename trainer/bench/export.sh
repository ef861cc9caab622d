#!/usr/bin/env bash
# Export time of NeuMF on MovieLens 1M, and ranking-graph against scoring-graph latency on ONNX Runtime
# (see ExportBench). Usage: export.sh [DATA_DIR] [CHECKPOINT]
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../../bin/lib/run-java.sh" trainer ExportBench "${1:-$here/../../../shared/data/ml-1m-ncf}" ${2:+"$2"}
