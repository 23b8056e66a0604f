#!/usr/bin/env bash
# demo.sh: the main job on the bundled scenario, readable. Called by `make demo`.
set -euo pipefail
truce=${1:-build/truce}
here=$(cd "$(dirname "$0")/.." && pwd)
scenario="$here/examples/genius/ceasefire"

echo "== truce $("$truce" --version | cut -d' ' -f2) =="
echo "Bundled scenario examples/genius/ceasefire: a teaching case shaped on truce"
echo "talks; its values and weights are illustrative assumptions (see the files)."
echo
echo "== 1. Exact analysis =="
"$truce" analyze --points 8 "$scenario"
echo
echo "== 2. A negotiation: Boulware (Russia) against tit-for-tat (Ukraine), 100 rounds =="
"$truce" negotiate --agents boulware,tft --seed 1 "$scenario"
echo
echo "== 3. 1000 negotiations: Conceder against HardHeaded =="
"$truce" negotiate --agents conceder,hardheaded --repeat 1000 "$scenario"
