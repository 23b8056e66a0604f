#!/usr/bin/env python3
"""genius_fingerprint.py: one agent, GENIUS 10.4's and truce's, against constant offers: a table.

    bench/genius_fingerprint.py BUILD/truce GENIUS_AGENT TRUCE_AGENT FOLDER... [options]

For every FOLDER (NAME-domain.xml, NAME-prof1.xml, NAME-prof2.xml; bench/genius_scenario.py writes
such folders), seat and level x, bench/genius_walk.py plays the agent against a hand-made opponent
offering, every round, the bid worth x to the agent (best for itself among those), GENIUS's agent
REPEAT times and truce's with seeds 1..REPEAT; printed for each session: the first round it offers
something other than its first bid (and what that bid is worth to it), the least it offers and
when, and the round it accepts (- if never). This is the "fingerprint against constant offers" of
anac-fid25 and the probes of anac-fid26 and anac-fid27 (docs/anac-agents.md), one command for a
grid of them. Options:

    --seats 0,1        the agent's seats (default both)
    --x 0.2,0.4,0.6    the opponent's levels, utilities to the agent (default 0.2,0.4,0.6,0.8)
    --repeat N         sessions of each (default 1; GENIUS's agents draw unseeded random numbers)
    --rounds N         the deadline of both sides (default 100)
    --json FILE        also write every session's summary there

GENIUS set up as ../shared/tools/genius/README.md says; each session takes GENIUS a few seconds.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    sys.exit(f"genius_fingerprint: {msg}")


def summary(path, seat):
    """The agent's first move off its first bid, its least bid and its acceptance, from a trace."""
    rows = [json.loads(l) for l in open(path) if l.strip()]
    # GENIUS's traces name a party by its index, truce's by its name (the start line's parties)
    parties = next((r["parties"] for r in rows if r.get("type") == "start"), None)
    me = parties[seat] if parties else seat
    mine = [r for r in rows if r.get("actor") == me and r.get("type") in ("offer", "accept")]
    offers = [r for r in mine if r["type"] == "offer"]
    out = {"first_move": None, "least": None, "accept": None}
    if offers:
        first = json.dumps(offers[0]["outcome"], sort_keys=True)
        for r in offers:
            if json.dumps(r["outcome"], sort_keys=True) != first:
                out["first_move"] = [r["round"], round(float(r["utilities"][seat]), 4)]
                break
        low = min(offers, key=lambda r: (float(r["utilities"][seat]), r["round"]))
        out["least"] = [low["round"], round(float(low["utilities"][seat]), 4)]
    taken = [r for r in mine if r["type"] == "accept"]
    if taken:
        out["accept"] = taken[0]["round"]
    return out


def show(s):
    fm = f"r{s['first_move'][0]} ({s['first_move'][1]:.3f})" if s["first_move"] else "-"
    lo = f"{s['least'][1]:.3f} (r{s['least'][0]})" if s["least"] else "-"
    ac = f"r{s['accept']}" if s["accept"] else "-"
    return f"{fm:<15} {lo:<16} {ac:<6}"


def floats(text, what):
    try:
        return [float(v) for v in text.split(",") if v]
    except ValueError:
        fail(f"{what} takes numbers separated by commas, not '{text}'")


def main(argv):
    if len(argv) < 5 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    truce, g_agent, t_agent = argv[1:4]
    folders, seats, xs, repeat, rounds, out_json = [], [0, 1], [0.2, 0.4, 0.6, 0.8], 1, 100, None
    args = argv[4:]
    while args:
        a = args.pop(0)
        if a in ("--seats", "--x", "--repeat", "--rounds", "--json"):
            if not args:
                fail(f"{a} needs a value")
            v = args.pop(0)
            if a == "--seats":
                seats = [int(x) for x in v.split(",") if x in ("0", "1")]
                if not seats or len(seats) != len(v.split(",")):
                    fail(f"--seats takes 0 and/or 1 separated by a comma, not '{v}'")
            elif a == "--x":
                xs = floats(v, a)
                if not xs:
                    fail("--x needs at least one level")
            elif a == "--json":
                out_json = v
            else:
                try:
                    n = int(v)
                except ValueError:
                    fail(f"{a} takes a whole number, not '{v}'")
                if n < 1:
                    fail(f"{a} is at least 1")
                repeat, rounds = (n, rounds) if a == "--repeat" else (repeat, n)
        elif a.startswith("--"):
            fail(f"unknown option {a}")
        else:
            folders.append(a)
    if not folders:
        fail("name at least one FOLDER")
    walk = os.path.join(HERE, "genius_walk.py")
    results = []
    print(f"{'scenario':<16} {'seat':<4} {'x':<5} {'side':<7} "
          f"{'first move':<15} {'least offered':<16} {'takes':<6}")
    for folder in folders:
        name = os.path.basename(os.path.normpath(folder))
        for seat in seats:
            for x in xs:
                for k in range(repeat):
                    with tempfile.TemporaryDirectory() as keep:
                        env = dict(os.environ, KEEP=keep, SEED=str(k + 1), ROUNDS=str(rounds))
                        p = subprocess.run([sys.executable, "-B", walk, truce, folder, str(seat),
                                            g_agent, t_agent, str(x)],
                                           env=env, capture_output=True, text=True)
                        if p.returncode:
                            fail(f"genius_walk.py failed on {folder}, seat {seat}, x = {x}: "
                                 f"{(p.stderr or p.stdout).strip()[-400:]}")
                        g = summary(os.path.join(keep, "genius.jsonl"), seat)
                        t = summary(os.path.join(keep, "truce.jsonl"), seat)
                    for side, s in (("GENIUS", g), ("truce", t)):
                        print(f"{name:<16} {seat:<4} {x:<5g} {side:<7} {show(s)}", flush=True)
                        results.append(dict(scenario=name, seat=seat, x=x, session=k + 1,
                                            side=side, rounds=rounds, **s))
    if out_json:
        with open(out_json, "w") as f:
            json.dump({"genius_agent": g_agent, "truce_agent": t_agent, "sessions": results}, f,
                      indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
