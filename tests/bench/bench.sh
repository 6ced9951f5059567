#!/usr/bin/env bash
# ./cosmos bench: build, size and boot figures for CosmosKernel beside the Linux-guest peer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
exec python3 tests/bench/bench.py "$@"
