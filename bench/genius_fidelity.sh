#!/usr/bin/env bash
# genius_fidelity.sh: truce's ANAC agents against GENIUS 10.4's own, on the GENIUS sessions kept in
# bench/genius-data (bench/genius_reference.sh made them; no GENIUS needed here).
#
#   bench/genius_fidelity.sh TRUCE_BINARY [SET...]     default: every bench/genius-data/*.jsonl
#
# For each set, bench/genius_compare.py runs every ordered pair with truce (REPEAT seeds, default
# 50; 20 on Energy) under GENIUS's clock and tie order and writes OUT/SET.json (OUT default
# ./genius-fidelity; GENIUS_DATA: another folder of SET.jsonl files). Printed: per set, the pairs
# within 0.05 of GENIUS's agreement rate and both mean utilities, beside the pairs GENIUS
# reproduces within 0.05 itself (the first half of a pair's sessions against the second half:
# its agents draw unseeded random numbers, so with this few sessions even GENIUS against itself
# misses some); "clearly off": the pairs whose difference exceeds 0.05 by more than GENIUS's
# sessions can account for (95%: bench/genius_compare.py's clearly_off), the misses that are not
# down to GENIUS's few sessions; then, per agent, how many of its pairs are within 0.05 and how
# many clearly off; then, for the pairs whose GENIUS sessions all ended alike (its agents' draws
# repeat from session to session: one outcome, not a sample), how often truce's runs end as that
# outcome did. OUT/fidelity.svg pictures
# it pair by pair (bench/genius_plot.py: GENIUS's value across, truce's up).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SCEN=${SCENARIOS:-$ROOT/../shared/scenarios/genius/anac/y2011}
OUT=${OUT:-genius-fidelity}
DATA=${GENIUS_DATA:-$HERE/genius-data}
[ $# -ge 1 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
[ -f "$1" ] && [ -x "$1" ] || { echo "genius_fidelity: $1 is not an executable file" >&2; exit 2; }
TRUCE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
[ -d "$SCEN" ] || { echo "genius_fidelity: skipped, no scenarios at $SCEN" >&2; exit 0; }
[ $# -gt 0 ] || set -- $(cd "$DATA" && ls *.jsonl | sed 's/\.jsonl$//')
. "$HERE/genius_scenarios.sh"
G=$GENIUS_SCENARIOS
mkdir -p "$OUT"
for set in "$@"; do
    f=$DATA/$set.jsonl
    [ -s "$f" ] || { echo "genius_fidelity: no data for $set ($f)" >&2; exit 2; }
    case $set in energy-*) rep=${REPEAT:-20} ;; *) rep=${REPEAT:-50} ;; esac
    python3 "$HERE/genius_compare.py" "$TRUCE" "$f" "$G" "$rep" >"$OUT/$set.json"
done
python3 - "$OUT" "$DATA" "$@" <<'PY'
import json, sys, collections
out, data, sets = sys.argv[1], sys.argv[2], sys.argv[3:]
per_agent = collections.defaultdict(lambda: [0, 0, 0])


def halves(path):
    """GENIUS against itself: pairs whose first and second half of sessions (its agents draw
    unseeded random numbers) agree within 0.05, of the pairs with 2 sessions or more."""
    groups = collections.defaultdict(list)
    for line in open(path):
        g = json.loads(line)
        if g.get("end") != "failed" and "rep" in g:
            groups[(g["scenario"], tuple(g["agents"]))].append(g)
    mean = lambda s: [sum(x["agreement"] for x in s) / len(s)] + [
        sum(x["utilities"][i] for x in s) / len(s) for i in range(2)]
    ok = n = 0
    for s in groups.values():
        h = len(s) // 2
        if h:
            n += 1
            ok += max(abs(a - b) for a, b in zip(mean(s[:h]), mean(s[h:2 * h]))) <= 0.05
    return ok, n


print(f"{'set':<18} {'pairs':>5} {'within 0.05':>11} {'clearly off':>11}   GENIUS vs itself (half its sessions each)")
for s in sets:
    d = json.load(open(f"{out}/{s}.json"))
    ok, n = halves(f"{data}/{s}.jsonl")
    print(f"{s:<18} {d['pairs']:>5} {d['within']:>11} {d.get('clearly_off', '-'):>11}   {ok} of {n}")
    for r in d["rows"]:
        for a in set(x.rsplit('.', 1)[-1].lower() for x in r["agents"]):
            per_agent[a][0] += r["within_0.05"]
            per_agent[a][1] += 1
            per_agent[a][2] += bool(r.get("clearly_off"))
print("\npairs whose GENIUS sessions all ended alike (one outcome; bench/genius_compare.py): how"
      "\noften truce's runs end so (same agreement, both utilities within 0.05)")
print(f"{'set':<18} {'alike':>5} {'>= 1/2':>7} {'1/10-1/2':>9} {'< 1/10':>7}   clearly off: >= 1/10, < 1/10")
tot = [0] * 6
for s in sets:
    d = json.load(open(f"{out}/{s}.json"))
    shares = [(r["truce_share_of_genius_outcome"], bool(r.get("clearly_off"))) for r in d["rows"]
              if r.get("truce_share_of_genius_outcome") is not None]
    row = [len(shares), sum(x >= 0.5 for x, _ in shares), sum(0.1 <= x < 0.5 for x, _ in shares),
           sum(x < 0.1 for x, _ in shares), sum(x >= 0.1 and c for x, c in shares),
           sum(x < 0.1 and c for x, c in shares)]
    tot = [a + b for a, b in zip(tot, row)]
    print(f"{s:<18} {row[0]:>5} {row[1]:>7} {row[2]:>9} {row[3]:>7}   {row[4]:>11}, {row[5]}")
print(f"{'all':<18} {tot[0]:>5} {tot[1]:>7} {tot[2]:>9} {tot[3]:>7}   {tot[4]:>11}, {tot[5]}")
print("\nper agent (every set): within / pairs, clearly off")
for a, (w, n, c) in sorted(per_agent.items(), key=lambda kv: kv[1][0] / kv[1][1]):
    print(f"  {a:<20} {w:>4} / {n:<4} {c:>4}")
PY
python3 "$HERE/genius_plot.py" "$OUT" "$@" >"$OUT/fidelity.svg"
echo "pair by pair: $OUT/fidelity.svg"
