#!/usr/bin/env python3
"""Replay GENIUS sessions against truce's agents: for each GENIUS 10.4 trace (genius_bench.sh
TRACE=FILE, named SCENARIO-A-B[-anything].jsonl, A in the first seat), each seat in turn is
truce's version of that agent and the other seat replays, offer for offer and acceptance for
acceptance, what GENIUS's other agent did (`replay:TRACE:actor=K:accept=trace`). Then the agent
under test meets exactly the opponent GENIUS's version met, and any difference is its own:

- `same_end`: the share of truce's seeds whose session ends as GENIUS's did (same round, same
  acceptor, same agreement), and the round and acceptor of each; `same_deal`: the share ending
  with the same agreement (or none), in any round;
- `first_diff`: the first round where truce's agent (seed 1) offers a bid whose utility to itself
  differs from GENIUS's agent's offer of that round by more than --gap (default 0.02), or where one
  of them accepts and the other does not; null when they agree to the end;
- `same_bids`: the share of the rounds where both offered (seed 1) in which truce's agent offers
  the very same bid as GENIUS's (not only one of the same utility: this is where an agent's
  opponent model and its choice among bids of one level show), and `first_bid_diff`, the first
  round whose bid (or acceptance) differs.

    genius_replay.py [--seeds N] [--gap G] [--json] TRUCE SCENARIOS TRACE...

SCENARIOS holds NAME/NAME-domain.xml, -prof1.xml, -prof2.xml (genius_replay.sh makes it with
genius_scenarios.sh); traces of other scenarios are skipped with a note. Uses GENIUS's clock
and tie order, 100 rounds.
"""
import json
import os
import subprocess
import sys
import tempfile

from genius_compare import NAMES

SHORT = {"boulware": "boulware:bid=nearest", "conceder": "conceder:bid=nearest",
         "hardheaded": "hardheaded2011", "iamhaggler": "iamhaggler2010",
         "agreeableagent2018": "agreeableagent", "ponpoko": "ponpokoagent"}


def spec(token):
    t = token.lower()
    if t in SHORT:
        return SHORT[t]
    for v in NAMES.values():
        if v.split(":")[0] == t:
            return v
    return None


def genius_session(path):
    """The GENIUS trace's actions, by (round, actor): the offer's utilities or "accept"; its
    offers' outcomes, by (round, actor); and its end."""
    acts, bids, end = {}, {}, None
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if "type" not in r:
                raise ValueError("a record without a type")
            if r.get("type") == "offer":
                acts[(r["round"], r["actor"])] = r["utilities"][r["actor"]]
                bids[(r["round"], r["actor"])] = r["outcome"]
            elif r.get("type") == "accept":
                acts[(r["round"], r["actor"])] = "accept"
                end = (r["round"], r["actor"], tuple(round(u, 6) for u in r["utilities"]))
    return acts, bids, end


def truce_runs(binary, folder, agents, seeds):
    """Each run's actions by (round, seat), its offers' outcomes by (round, seat) and its end,
    from a trace of `seeds` repetitions."""
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.jsonl")
        name = os.path.basename(folder)
        cmd = [binary, "negotiate", "--agents", ",".join(agents), "--clock", "genius", "--ties",
               "genius", "--rounds", "100", "--repetitions", str(seeds), "--seed", "1",
               "--trace", trace, "--json", *(os.path.join(folder, f"{name}-{x}.xml")
                                             for x in ("domain", "prof1", "prof2"))]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip())
        runs = []
        with open(trace) as f:
            for line in f:
                r = json.loads(line)
                if r["type"] == "start":
                    parties = r["parties"]
                    runs.append(({}, {}, None))
                    continue
                acts, bids, end = runs[-1]
                if r["type"] in ("offer", "accept"):
                    seat = parties.index(r["actor"])
                    acts[(r["round"], seat)] = ("accept" if r["type"] == "accept"
                                                else r["utilities"][seat])
                    if r["type"] == "offer":
                        bids[(r["round"], seat)] = r["outcome"]
                    else:
                        runs[-1] = (acts, bids, (r["round"], seat,
                                                 tuple(round(u, 6) for u in r["utilities"])))
        return runs


def first_diff(g, t, seat, gap):
    for rnd in range(1, 101):
        a, b = g.get((rnd, seat)), t.get((rnd, seat))
        if a is None and b is None:
            return None
        if (a == "accept") != (b == "accept") or (a is None) != (b is None):
            return rnd
        if a != "accept" and a is not None and abs(a - b) > gap:
            return rnd
    return None


def bid_match(g_acts, g_bids, t_acts, t_bids, seat):
    """The share of the rounds where both offered with the very same bid, and the first round
    whose bid or acceptance differs (None: the same to the end)."""
    both = same = 0
    first = None
    for rnd in range(1, 101):
        k = (rnd, seat)
        if k not in g_acts and k not in t_acts:
            break
        if k in g_bids and k in t_bids:
            both += 1
            same += g_bids[k] == t_bids[k]
        if first is None and (g_bids.get(k) != t_bids.get(k) or
                              (g_acts.get(k) == "accept") != (t_acts.get(k) == "accept")):
            first = rnd
    return (same / both if both else None), first


def main(argv):
    seeds, gap, as_json, args = 20, 0.02, False, []
    it = iter(argv)
    for a in it:
        if a == "--seeds":
            seeds = int(next(it))
        elif a == "--gap":
            gap = float(next(it))
        elif a == "--json":
            as_json = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            args.append(a)
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, scenarios, traces = args[0], args[1], args[2:]
    rows, per_agent = [], {}
    for path in traces:
        base = os.path.basename(path)[:-len(".jsonl")]
        parts = base.split("-")
        folder = os.path.join(scenarios, parts[0])
        names = [x if x == "replay" else spec(x) for x in parts[1:3]]
        if len(parts) < 3 or not os.path.isdir(folder) or None in names or \
                names == ["replay", "replay"]:
            print(f"skipped {base}: no scenario folder {parts[0]} or unknown agents",
                  file=sys.stderr)
            continue
        try:
            g_acts, g_bids, g_end = genius_session(path)
        except (ValueError, KeyError) as e:
            print(f"skipped {base}: not a GENIUS trace ({e})", file=sys.stderr)
            continue
        for seat in (0, 1):
            if names[seat] == "replay":
                continue
            agents = list(names)
            agents[1 - seat] = f"replay:{os.path.abspath(path)}:actor={1 - seat}:accept=trace"
            try:
                runs = truce_runs(binary, folder, agents, seeds)
            except RuntimeError as e:
                print(f"skipped {base}: {e}", file=sys.stderr)
                break
            same = sum(1 for _, _, e in runs if e == g_end) / len(runs)
            deal = sum(1 for _, _, e in runs
                       if (e and e[2]) == (g_end and g_end[2])) / len(runs)
            share, first_bid = bid_match(g_acts, g_bids, runs[0][0], runs[0][1], seat)
            row = {"trace": base, "agent": names[seat], "seat": seat,
                   "genius_end": g_end, "same_end": same, "same_deal": deal,
                   "truce_ends": sorted({str(e) for _, _, e in runs}),
                   "first_diff": first_diff(g_acts, runs[0][0], seat, gap),
                   "same_bids": share, "first_bid_diff": first_bid}
            rows.append(row)
            pa = per_agent.setdefault(names[seat], [0, 0.0, 0, 0.0, 0.0, 0])
            pa[0] += 1
            pa[1] += same
            pa[2] += row["first_diff"] is None
            pa[3] += deal
            if share is not None:
                pa[4] += share
                pa[5] += 1
    if as_json:
        print(json.dumps({"rows": rows, "agents": {k: {"sessions": v[0], "same_end": v[1] / v[0],
                                                       "same_deal": v[3] / v[0],
                                                       "same_play": v[2] / v[0],
                                                       "same_bids": (v[4] / v[5] if v[5]
                                                                     else None)}
                                                   for k, v in per_agent.items()}}, indent=1))
        return 0
    for r in rows:
        print(f"{r['trace']:<44} seat {r['seat']} {r['agent']:<22} same end {r['same_end']:.2f}"
              f"  same deal {r['same_deal']:.2f}"
              f"  first diff {r['first_diff']}  same bids "
              + ("-" if r["same_bids"] is None else f"{r['same_bids']:.2f}")
              + f" (first {r['first_bid_diff']})  GENIUS {r['genius_end']}")
    print("\nper agent: sessions; shares of seeds ending as GENIUS (same round, acceptor and deal)"
          " and with the same deal (or none) at any round; sessions played alike to the end"
          " (within --gap); mean share of rounds with the very same bid (seed 1):")
    for k, v in sorted(per_agent.items(), key=lambda kv: kv[1][1] / kv[1][0]):
        bids = f"{v[4] / v[5]:.2f}" if v[5] else "-"
        print(f"  {k:<24} {v[0]:>4}  {v[1] / v[0]:.2f}  {v[3] / v[0]:.2f}  {v[2] / v[0]:.2f}"
              f"  {bids}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
