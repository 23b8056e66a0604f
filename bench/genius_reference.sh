#!/usr/bin/env bash
# genius_reference.sh: the GENIUS 10.4 sessions truce's ANAC agents are compared with, kept in the
# repository (bench/genius-data/SET.jsonl, one JSON line per GENIUS session as genius_bench.sh
# prints it) so that the comparison (bench/genius_fidelity.sh) needs no GENIUS and no earlier
# session's scratch files.
#
#   bench/genius_reference.sh SET...      SET: laptop-rr camera-rr energy-rr laptop-bc camera-bc energy-bc
#                                               grocery-rr isbt-rr amsterdam-rr englandzimbabwe-rr animal-rr (unseen scenarios: no rule was read off them)
#                                               itex-rr smartphone-rr (tuning sets added 2026-12-07)
#                                               itex-bc smartphone-bc (every agent against Boulware and
#                                               Conceder there, tuning sets added 2026-12-07, thirteenth session)
#
# Needs GENIUS set up as ../shared/tools/genius/README.md says (genius-setup.sh). One GENIUS process
# per ordered pair (an agent that fails to start ends only its own pair); a pair gets only the
# sessions it lacks of REPEAT, so an interrupted run resumes (a pair cut off halfway is topped
# up) and REPEAT above a set's default adds sessions to every pair of a kept set (appended: the
# "GENIUS vs itself" split of genius_fidelity.sh is by file order). Sessions GENIUS could not run
# are kept as its "end":"failed" lines (genius_compare.py skips them); the next run drops them
# and runs them again.
# Environment: REPEAT (sessions per pair; default per set below), NICE (default 0: GENIUS at a
# lower priority on a loaded machine is slow, and its agents time out starting on Energy),
# GENIUS_TOOLS (default ../shared/tools/genius).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TOOLS=${GENIUS_TOOLS:-$ROOT/../shared/tools/genius}
SCEN=${SCENARIOS:-$ROOT/../shared/scenarios/genius/anac/y2011}
DATA=$HERE/genius-data
[ -x "$TOOLS/genius_bench.sh" ] || { echo "genius_reference: no $TOOLS/genius_bench.sh" >&2; exit 2; }
[ -d "$SCEN" ] || { echo "genius_reference: no scenarios at $SCEN" >&2; exit 2; }
[ $# -gt 0 ] || { sed -n '2,18p' "$0" >&2; exit 2; }

. "$HERE/genius_scenarios.sh"
G=$GENIUS_SCENARIOS

A=agents.anac
AGREEABLE=$A.y2018.agreeableagent2018.AgreeableAgent2018 ATLAS3=$A.y2015.Atlas3.Atlas3
FAWKES=$A.y2013.TheFawkes.TheFawkes YUSHU=$A.y2010.Yushu.Yushu NOZOMI=$A.y2010.Nozomi.Nozomi
PONPOKO=$A.y2017.ponpokoagent.PonPokoAgent NEGOTIATOR=$A.y2011.TheNegotiator.TheNegotiator
BRAM=$A.y2011.BramAgent.BRAMAgent PARS=$A.y2015.ParsAgent.ParsAgent FSEGA=$A.y2010.AgentFSEGA.AgentFSEGA
DANCE=$A.y2015.RandomDance.RandomDance HAGGLER=$A.y2010.Southampton.IAMhaggler
META=$A.y2012.MetaAgent.MetaAgent CADUCEUS=$A.y2016.caduceus.Caduceus YX=$A.y2016.yxagent.YXAgent
# agents of the round robins; against Boulware and Conceder: every agent GENIUS 10.4 ships of truce's
RR_LAPTOP="agentk hardheaded gahboninho cuhkagent agentlg $FAWKES $ATLAS3 $AGREEABLE $NOZOMI omacagent $PONPOKO $NEGOTIATOR $YUSHU $BRAM $PARS"
RR_CAMERA="$AGREEABLE $ATLAS3 $FAWKES $YUSHU agentk agentlg cuhkagent gahboninho hardheaded"
RR_ENERGY="$AGREEABLE $FAWKES agentlg hardheaded cuhkagent"
BC_ALL="agentk hardheaded cuhkagent gahboninho agentlg omacagent $NEGOTIATOR $BRAM $FAWKES $YUSHU $FSEGA $PONPOKO $AGREEABLE $ATLAS3 $PARS $DANCE $NOZOMI $HAGGLER $META $CADUCEUS $YX"
BC_ENERGY="hardheaded agentk cuhkagent gahboninho $NEGOTIATOR $FAWKES $NOZOMI $ATLAS3 agentlg $AGREEABLE $YUSHU"

roundrobin() { for a in $1; do for b in $1; do [ "$a" = "$b" ] || echo "$a,$b"; done; done; }
against() { echo "boulware,conceder"; echo "conceder,boulware"
            for a in $1; do for b in boulware conceder; do echo "$a,$b"; echo "$b,$a"; done; done; }

# the pairs of FILE that GENIUS ran (its failed lines dropped, so that those sessions run
# again), as short lower-case names and session counts "a,b N"
done_pairs() {
    python3 - "$1" <<'PY'
import collections, json, sys
short = lambda a: a.rsplit(".", 1)[-1].lower()
lines = [l for l in open(sys.argv[1]) if l.strip()]
kept = [l for l in lines if json.loads(l).get("end") != "failed"]
if len(kept) != len(lines):
    open(sys.argv[1], "w").writelines(kept)
count = collections.Counter(",".join(short(a) for a in json.loads(l)["agents"]) for l in kept)
for p in sorted(count):
    print(p, count[p])
PY
}

run_set() { # SET SCENARIO REPEAT PAIRS...
    local set=$1 scen=$2 rep=${REPEAT:-$3} out=$DATA/$1.jsonl; shift 3
    touch "$out"
    local done n=$# i=0 p key have
    done=$(done_pairs "$out")
    for p in "$@"; do
        i=$((i + 1))
        key=$(echo "$p" | tr 'A-Z' 'a-z' | sed 's/[^,]*\.//g')
        have=$(awk -v k="$key" '$1 == k { print $2 }' <<<"$done")
        have=${have:-0}
        [ "$have" -lt "$rep" ] || continue
        echo "[$set] $i/$n $p ($((rep - have)) of $rep sessions)" >&2
        PAIRS="$p" REPEAT="$((rep - have))" nice -n "${NICE:-0}" "$TOOLS/genius_bench.sh" "$G/$scen" >>"$out" \
            || echo "[$set] $p: genius_bench.sh exited $?" >&2
    done
}

for set in "$@"; do
    case $set in
        laptop-rr) run_set "$set" Laptop 4 $(roundrobin "$RR_LAPTOP") ;;
        camera-rr) run_set "$set" Camera 4 $(roundrobin "$RR_CAMERA") ;;
        energy-rr) run_set "$set" Energy 2 $(roundrobin "$RR_ENERGY") ;;
        laptop-bc) run_set "$set" Laptop 5 $(against "$BC_ALL") ;;
        camera-bc) run_set "$set" Camera 5 $(against "$BC_ALL") ;;
        energy-bc) run_set "$set" Energy 2 $(against "$BC_ENERGY") ;;
        grocery-rr) run_set "$set" Grocery 4 $(roundrobin "$RR_LAPTOP") ;;
        isbt-rr) run_set "$set" IS_BT_Acquisition 4 $(roundrobin "$RR_LAPTOP") ;;
        amsterdam-rr) run_set "$set" Amsterdam 12 $(roundrobin "$RR_LAPTOP") ;;
        englandzimbabwe-rr) run_set "$set" EnglandZimbabwe 12 $(roundrobin "$RR_LAPTOP") ;;
        animal-rr) run_set "$set" Animal 4 $(roundrobin "$RR_LAPTOP") ;;
        itex-rr) run_set "$set" ItexvsCypress 12 $(roundrobin "$RR_LAPTOP") ;;
        smartphone-rr) run_set "$set" SmartPhone 12 $(roundrobin "$RR_LAPTOP") ;;
        itex-bc) run_set "$set" ItexvsCypress 4 $(against "$BC_ALL") ;;
        smartphone-bc) run_set "$set" SmartPhone 4 $(against "$BC_ALL") ;;
        *) echo "genius_reference: unknown set $set" >&2; exit 2 ;;
    esac
done
