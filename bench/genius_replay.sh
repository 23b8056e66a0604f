#!/usr/bin/env bash
# Replay GENIUS sessions against truce's agents (genius_replay.py says what it reports):
#   bench/genius_replay.sh BUILD/truce [TRACE...] [-- OPTIONS]
# TRACE: GENIUS traces named SCENARIO-A-B[-anything].jsonl (default: every one of
# bench/genius-data/traces on Laptop, Camera, Energy or Grocery); OPTIONS go to genius_replay.py
# (--seeds N, --gap G, --json). The scenarios come from ../shared/scenarios (genius_scenarios.sh);
# skipped with a message when that is absent. A trace of a copy with another discount, named
# after the scenario with D and the factor (CameraD1, GroceryD0.42; D042 is 0.42, D10 is 1.0),
# gets that copy: both profiles with their discount_factor set to the factor. A party named
# `replay` (genius_probe.sh's hand-made opponents) is replayed, never tested.
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
for t in "${traces[@]}"; do
    name=$(basename "$t"); name=${name%%-*}
    [[ $name =~ ^(Laptop|Camera|Energy|Grocery)D([0-9.]+)$ ]] || continue
    base=${BASH_REMATCH[1]} d=${BASH_REMATCH[2]}
    [ -d "$GENIUS_SCENARIOS/$name" ] && continue
    case $d in *.*) ;; ?) ;; *) d=${d:0:1}.${d:1} ;; esac
    mkdir -p "$GENIUS_SCENARIOS/$name"
    ln -s "$(realpath "$GENIUS_SCENARIOS/$base/$base-domain.xml")" \
        "$GENIUS_SCENARIOS/$name/$name-domain.xml"
    for p in prof1 prof2; do
        sed -E "s/(<discount_factor value=\")[^\"]*/\1$d/" "$GENIUS_SCENARIOS/$base/$base-$p.xml" \
            >"$GENIUS_SCENARIOS/$name/$name-$p.xml"
    done
done
cd "$HERE" && python3 genius_replay.py "${opts[@]}" "$TRUCE" "$GENIUS_SCENARIOS" "${traces[@]}"
