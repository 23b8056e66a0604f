#!/usr/bin/env python3
"""genius_walk.py: one agent's bids, GENIUS 10.4's and truce's, against the same hand-made opponent.

    bench/genius_walk.py BUILD/truce FOLDER SEAT GENIUS_AGENT TRUCE_AGENT BASE [R=X | A-B=X ...]

The opponent (the other seat) offers, every round of 100, the outcome worth BASE to the agent in
SEAT (0 or 1) that is best for itself among those within 0.0026 of BASE (else the nearest); R=X
makes round R's offer the one worth X instead, A-B=X rounds A to B; a level X/Y (BASE too) takes,
among the outcomes within 0.0026 of X to the agent, the one nearest Y to the opponent instead of
its best (an opponent that concedes in its own utility, as anac-fid30 needed for AgentLG). It
never accepts. GENIUS's
agent (a class name or a genius_bench.sh alias) meets it through bench/genius_probe.sh, truce's
(a `truce agents` name) through `truce negotiate` with replay:, GENIUS's clock and tie order.
Prints each agent's actions as round:utility where the utility changes (o offer, a accept).
FOLDER holds NAME-domain.xml, NAME-prof1.xml and NAME-prof2.xml (discrete, linear additive).
Environment: FROM (first round printed, default 1), SEED (truce's seed, default 1), KEEP=DIR
(keep the opponent's script and both traces there: script.jsonl, genius.jsonl, truce.jsonl),
ROUNDS=N (the deadline of both sides, default 100; R=X and A-B=X may then name rounds up to N),
COUNT=R (then print, for each side, how many of the agent's offers from round R on were worth
each utility: how anac-fid26 read ParsAgent's random bids over 400 rounds), GENIUS set up
as ../shared/tools/genius/README.md says. This is how anac-fid23 and anac-fid24 probed Atlas3 and
AgentLG (docs/anac-agents.md).
"""
import glob
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))


def profile(path):
    """The profile's utility function and its issues (name, options) in domain order."""
    obj = ET.parse(path).getroot().find("objective")
    issues, weights = [], {}
    for issue in obj.findall("issue"):
        items = {i.get("value"): float(i.get("evaluation")) for i in issue.findall("item")}
        top = max(items.values())
        scaled = {k: v / top for k, v in items.items()}
        issues.append((issue.get("name"), issue.get("index"), scaled))
    for w in obj.findall("weight"):
        weights[w.get("index")] = float(w.get("value"))
    total = sum(weights.values())
    return (lambda o: sum(weights[i] / total * v[o[n]] for n, i, v in issues)), issues


def level(text):
    """X, or X/Y: the offer worth X to the agent, and (with /Y) of those the one nearest Y to the
    opponent (None: the best for the opponent)."""
    x, _, y = text.partition("/")
    return (float(x), float(y) if y else None)


def overrides(args):
    out = {}
    for a in args:
        key, _, value = a.partition("=")
        lo, _, hi = key.partition("-")
        for r in range(int(lo), int(hi or lo) + 1):
            out[r] = level(value)
    return out


def changes(rows, seat):
    out, prev = [], None
    for r in rows:
        if "utilities" not in r:  # an action without an outcome: the agent ended the talks
            out.append(f"{r.get('round', '?')}:{r['type']}")
            prev = None
            continue
        u = f"{float(r['utilities'][seat]):.3f}"
        if r["type"] != "offer" or u != prev:
            out.append(f"{r['round']}:{r['type'][0]}{u}")
        prev = u
    return " ".join(out)


def counts(rows, seat, first):
    """How many of the rows (the agent's offers) from round `first` on were worth each utility."""
    n = {}
    for r in rows:
        if r["type"] == "offer" and r["round"] >= first and "utilities" in r:
            u = f"{float(r['utilities'][seat]):.3f}"
            n[u] = n.get(u, 0) + 1
    return " ".join(f"{u}x{k}" for u, k in sorted(n.items(), reverse=True))


def main(argv):
    if len(argv) < 7 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    truce, folder, seat, g_agent, t_agent, base = argv[1:7]
    if seat not in ("0", "1"):
        sys.exit(f"genius_walk: SEAT is 0 or 1, not '{seat}'")
    seat = int(seat)
    try:
        base = level(base)
        extra = overrides(argv[7:])
    except ValueError:
        sys.exit("genius_walk: BASE and each R=X / A-B=X need numbers, X or X/Y (rounds whole)")
    if not (os.path.isfile(truce) and os.access(truce, os.X_OK)):
        sys.exit(f"genius_walk: {truce} is not an executable file")
    domain = glob.glob(os.path.join(folder, "*-domain.xml"))
    if len(domain) != 1:
        sys.exit(f"genius_walk: no single *-domain.xml in {folder}")
    stem = domain[0][: -len("-domain.xml")]
    try:
        u_agent, issues = profile(f"{stem}-prof{seat + 1}.xml")
        u_other, _ = profile(f"{stem}-prof{2 - seat}.xml")
    except (OSError, ET.ParseError, AttributeError, TypeError, ValueError, KeyError) as e:
        sys.exit(f"genius_walk: cannot read the profiles beside {domain[0]}: {e}")
    outcomes = [dict(zip([n for n, _, _ in issues], c))
                for c in itertools.product(*[list(v) for _, _, v in issues])]
    pick = {}
    def bid(xy):
        x, y = xy
        if xy not in pick:
            pick[xy] = min(outcomes, key=lambda o: (abs(u_agent(o) - x) > 0.0026,
                                                    abs(u_agent(o) - x) if y is None
                                                    else abs(u_other(o) - y),
                                                    -u_other(o) if y is None
                                                    else abs(u_agent(o) - x)))
        return pick[xy]
    try:
        first = int(os.environ.get("FROM", "1"))
        rounds = int(os.environ.get("ROUNDS", "100"))
        count_from = int(os.environ["COUNT"]) if os.environ.get("COUNT") else None
    except ValueError:
        sys.exit("genius_walk: FROM, ROUNDS and COUNT are whole numbers")
    if rounds < 1 or any(r < 1 or r > rounds for r in extra):
        sys.exit(f"genius_walk: ROUNDS is at least 1 and every R=X within 1..{rounds}")
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "script.jsonl")
        with open(script, "w") as f:
            for r in range(1, rounds + 1):
                o = bid(extra.get(r, base))
                u = [0.0, 0.0]
                u[seat], u[1 - seat] = u_agent(o), u_other(o)
                f.write(json.dumps({"type": "offer", "round": r, "turn": 1,
                                    "time": r / (rounds + 1), "actor": 1 - seat, "outcome": o,
                                    "utilities": u}) + "\n")
        g_out = os.path.join(tmp, "genius.jsonl")
        env = dict(os.environ, REPEAT="1", TRACE_OUT=g_out, ROUNDS=str(rounds))
        p = subprocess.run([os.path.join(HERE, "genius_probe.sh"), script, str(1 - seat), g_agent,
                            folder], env=env, capture_output=True, text=True)
        if p.returncode or not os.path.exists(g_out):
            sys.exit(f"genius_walk: genius_probe.sh failed: {p.stderr.strip()[-400:]}")
        rows = [json.loads(l) for l in open(g_out) if l.strip()]
        g_rows = [r for r in rows if r.get("actor") == seat]
        print("GENIUS:", changes([r for r in g_rows if r.get("round", 0) >= first], seat))
        t_out = os.path.join(tmp, "truce.jsonl")
        replay = f"replay:{script}:actor={1 - seat}:accept=trace"
        agents = f"{t_agent},{replay}" if seat == 0 else f"{replay},{t_agent}"
        p = subprocess.run([truce, "negotiate", "--agents", agents, "--clock", "genius", "--ties",
                            "genius", "--rounds", str(rounds),
                            "--seed", os.environ.get("SEED", "1"), "--trace", t_out, "--json",
                            f"{stem}-domain.xml", f"{stem}-prof1.xml", f"{stem}-prof2.xml"],
                           capture_output=True, text=True)
        if p.returncode:
            sys.exit(f"genius_walk: truce failed: {p.stderr.strip()[-400:]}")
        rows = [json.loads(l) for l in open(t_out) if l.strip()]
        parties = next(r["parties"] for r in rows if r["type"] == "start")
        t_rows = [r for r in rows
                  if r["type"] in ("offer", "accept") and r["actor"] == parties[seat]]
        print("truce: ", changes([r for r in t_rows if r["round"] >= first], seat))
        if count_from is not None:
            print(f"GENIUS's offers from round {count_from}:", counts(g_rows, seat, count_from))
            print(f"truce's offers from round {count_from}: ", counts(t_rows, seat, count_from))
        keep = os.environ.get("KEEP")
        if keep:
            os.makedirs(keep, exist_ok=True)
            for name in ("script.jsonl", "genius.jsonl", "truce.jsonl"):
                shutil.copy(os.path.join(tmp, name), os.path.join(keep, name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
