#!/usr/bin/env bash
# Replay GENIUS sessions against truce's agents (genius_replay.py says what it reports):
#   bench/genius_replay.sh BUILD/truce [TRACE...] [-- OPTIONS]
# TRACE: GENIUS traces named SCENARIO-A-B[-anything].jsonl (default: every one of
# bench/genius-data/traces on Laptop, Camera, Energy or Grocery); OPTIONS go to genius_replay.py
# (--seeds N, --gap G, --json). The scenarios come from ../shared/scenarios (genius_scenarios.sh);
# skipped with a message when that is absent.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SCEN=${SCENARIOS:-$ROOT/../shared/scenarios/genius/anac/y2011}
[ $# -ge 1 ] || { sed -n '2,7p' "$0" >&2; exit 2; }
[ -f "$1" ] && [ -x "$1" ] || { echo "genius_replay: $1 is not an executable file" >&2; exit 2; }
TRUCE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
[ -d "$SCEN" ] || { echo "genius_replay: skipped, no scenarios at $SCEN" >&2; exit 0; }
traces=() opts=()
while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; opts=("$@"); break; fi
    traces+=("$(realpath "$1")"); shift
done
[ ${#traces[@]} -gt 0 ] || traces=("$HERE"/genius-data/traces/{Laptop,Camera,Energy,Grocery}-*.jsonl)
. "$HERE/genius_scenarios.sh"
cd "$HERE" && python3 genius_replay.py "${opts[@]}" "$TRUCE" "$GENIUS_SCENARIOS" "${traces[@]}"
