#!/usr/bin/env bash
# Meet a GENIUS 10.4 agent with a recorded opponent: one party's offers (and acceptances) from a
# trace replayed in GENIUS by TruceReplay (bench/genius-replay), the counterpart of truce's
# replay:PATH agent, so that GENIUS's and truce's versions of an agent can face the very same
# opponent, or an opponent written by hand (docs/anac-agents.md, "Replaying GENIUS sessions").
#
#   genius_probe.sh TRACE ACTOR AGENT FOLDER
#
# TRACE: a truce trace (first run) or a GENIUS trace (genius_bench.sh TRACE=); ACTOR: the party to
# replay, its name or index (0 = the first party); it keeps its seat, AGENT (a GENIUS class name or
# genius_bench.sh alias) takes the other. FOLDER holds NAME-domain.xml, -prof1.xml, -prof2.xml.
# Environment: REPEAT (sessions, default 1), TRACE_OUT=FILE (every action of the first session),
# ACCEPT=trace (replay the actor's acceptances too; default never), THEN=hold|end (after the
# script; default hold). Needs GENIUS set up (../shared/tools/genius/README.md).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TOOLS=${GENIUS_TOOLS:-$ROOT/../shared/tools/genius}
PEER=${PEER:-$(cd "$ROOT/.." && pwd)/peer}
[ $# -eq 4 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
trace=$1 actor=$2 agent=$3 folder=$4
[ -f "$trace" ] || { echo "genius_probe: no trace $trace" >&2; exit 2; }
JAR="$PEER/external/genius10.4/genius-10.4.jar"
DRV="$PEER/genius-driver/classes"
[ -f "$JAR" ] && [ -d "$DRV" ] || { echo "genius_probe: set up GENIUS first ($TOOLS/README.md)" >&2; exit 2; }
if [ ! -f "$DRV/TruceReplay.class" ] || [ "$HERE/genius-replay/TruceReplay.java" -nt "$DRV/TruceReplay.class" ]; then
    javac -nowarn -cp "$JAR" -d "$DRV" "$HERE/genius-replay/TruceReplay.java"
fi
script=$(mktemp)
trap 'rm -f "$script"' EXIT
# the actor's steps as TruceReplay's script; prints the actor's seat
seat=$(python3 - "$trace" "$actor" "${ACCEPT:-never}" "$script" <<'PY'
import json, sys
path, actor, accept, out = sys.argv[1:]
parties, steps, issues, started = None, [], None, False
for n, line in enumerate(open(path), 1):
    if not line.strip():
        continue
    r = json.loads(line)
    t = r.get("type")
    if t == "start":
        if started:
            break
        started, parties = True, r.get("parties")
        continue
    if t == "end":
        break
    a = r.get("actor")
    if isinstance(a, str) and actor.isdigit() and parties and int(actor) < len(parties):
        a = parties.index(a) if a in parties else a  # a truce trace, the actor given by index
    if not (str(a) == actor or (isinstance(a, int) and actor.isdigit() and a == int(actor))):
        continue
    if t == "offer":
        o = r["outcome"]
        issues = issues or list(o)
        steps.append("offer\t" + "\t".join(str(o[i]) for i in issues))
    elif t == "accept" and accept == "trace":
        steps.append("accept")
if not issues:
    sys.exit(f"genius_probe: {path} has no offer by actor {actor}")
with open(out, "w") as f:
    f.write("issues\t" + "\t".join(issues) + "\n" + "\n".join(steps) + "\n")
print(int(actor) if actor.isdigit() else parties.index(actor))
PY
)
if [ "$seat" = 0 ]; then pairs="TruceReplay,$agent"; else pairs="$agent,TruceReplay"; fi
TRUCE_REPLAY=$script TRUCE_REPLAY_THEN=${THEN:-hold} PAIRS=$pairs REPEAT=${REPEAT:-1} \
    TRACE=${TRACE_OUT:-} "$TOOLS/genius_bench.sh" "$folder"
