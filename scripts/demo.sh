#!/usr/bin/env bash
# demo.sh: the main job on the bundled scenario, readable. Called by `make demo`.
set -euo pipefail
truce=${1:-build/truce}
here=$(cd "$(dirname "$0")/.." && pwd)

echo "== truce $("$truce" --version | cut -d' ' -f2): analysis of the bundled ceasefire scenario =="
echo "   (examples/genius/ceasefire: illustrative values, see the files' headers)"
echo
"$truce" analyze "$here/examples/genius/ceasefire"
