#!/usr/bin/env python3
"""genius_compare.py: truce's ANAC agents side by side with GENIUS 10.4's own.

Reads the summary lines of ../shared/tools/genius/genius_bench.sh (SUMMARY=1) from a file, or its
per-session lines (without SUMMARY; grouped here by scenario and ordered pair, and the spread
between GENIUS's sessions reported: each side's lowest and highest utility, agreements), runs the same pairs on the same scenarios with truce (`truce negotiate --repetitions`), and
prints one JSON document: per scenario and ordered pair, both engines' agreement rate and mean
(discounted) utilities, and whether each differs by at most 0.05. Lines of sessions GENIUS
could not run ("end": "failed", e.g. an agent's initialisation timed out under load) are skipped.

  genius_compare.py TRUCE_BINARY GENIUS_JSONL SCENARIO_ROOT [REPEAT]

SCENARIO_ROOT holds one folder per scenario with NAME-domain.xml, NAME-prof1.xml, NAME-prof2.xml
(as genius_bench.sh wants). GENIUS class names map to truce agents as below. truce runs under
GENIUS's clock and tie order (`--clock genius --ties genius`; TRUCE_CLOCK and TRUCE_TIES in the
environment override them), its time-dependent agents pick GENIUS's nearest bid (bid=nearest), and
the agents whose GENIUS versions accept below their reservation value (BRAMAgent, TheFawkes,
TheNegotiator, Yushu: SmartPhone, reservation 0.6, against CUHKAgent's constant 0.548; Gahboninho,
which gives back and takes bids below it there) play with floor=none, so that the comparison is like for like.
Where all of a pair's GENIUS sessions ended alike (its agents' draws repeat from session to
session, so against deterministic opponents its sessions are one outcome), the row also gives the
share of truce's runs (`truce negotiate --each`) that end as that one outcome did: the same
agreement and both utilities within 0.05 ("truce_share_of_genius_outcome"; null otherwise).
`python3 -m doctest bench/genius_compare.py` checks the helpers."""
import json
import os
import subprocess
import sys

NAMES = {"boulware": "boulware:bid=nearest", "conceder": "conceder:bid=nearest",
         "agentk": "agentk", "hardheaded": "hardheaded2011", "cuhkagent": "cuhkagent",
         "gahboninho": "gahboninho:floor=none", "agentlg": "agentlg", "omacagent": "omacagent",
         "agents.anac.y2010.Nozomi.Nozomi": "nozomi",
         "agents.anac.y2010.Southampton.IAMhaggler": "iamhaggler2010",
         "agents.anac.y2012.MetaAgent.MetaAgent": "metaagent",
         "agents.anac.y2016.caduceus.Caduceus": "caduceus",
         "agents.anac.y2016.yxagent.YXAgent": "yxagent",
         "agents.anac.y2011.Gahboninho.Gahboninho": "gahboninho:floor=none",
         "agents.anac.y2012.AgentLG.AgentLG": "agentlg",
         "agents.anac.y2012.OMACagent.OMACagent": "omacagent",
         "agents.anac.y2011.TheNegotiator.TheNegotiator": "thenegotiator:floor=none",
         "agents.anac.y2011.BramAgent.BRAMAgent": "bramagent:floor=none",
         "agents.anac.y2013.TheFawkes.TheFawkes": "thefawkes:floor=none",
         "agents.anac.y2010.Yushu.Yushu": "yushu:floor=none",
         "agents.anac.y2010.AgentFSEGA.AgentFSEGA": "agentfsega",
         "agents.anac.y2017.ponpokoagent.PonPokoAgent": "ponpokoagent",
         "agents.anac.y2018.agreeableagent2018.AgreeableAgent2018": "agreeableagent",
         "agents.anac.y2015.Atlas3.Atlas3": "atlas3",
         "agents.anac.y2015.ParsAgent.ParsAgent": "parsagent",
         "agents.anac.y2015.RandomDance.RandomDance": "randomdance"}
TOL = 0.05
# two-sided 95% quantiles of Student's t by degrees of freedom (1-30); beyond, the normal's 1.96
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def clearly_off(values, truce_mean, truce_runs, binary=False, tol=TOL):
    """Whether truce's mean differs from GENIUS's by more than tol beyond what GENIUS's few
    sessions can tell: |difference| - tol above the 95% half-width of the difference of two
    means, its spread estimated from GENIUS's sessions (both engines assumed to play alike, the
    claim under test). An agreement rate (binary) takes Agresti and Coull's adjusted rate
    (x + 2) / (n + 4) over n + 4 sessions, so that 8 agreements in 8 sessions still leave
    room, and the normal's 1.96; a utility takes the sessions' sample variance and Student's t with n - 1 degrees of
    freedom (one session tells nothing of the spread: never clearly off).
    >>> clearly_off([1] * 8, 0.5, 50, binary=True)   # 0.45 > 1.96 * 0.1198 = 0.235
    True
    >>> clearly_off([1] * 8, 0.75, 50, binary=True)  # 0.20 < 0.235
    False
    >>> clearly_off([0.5, 0.6, 0.7, 0.6], 0.4, 50)   # 0.15 > 3.182 * 0.04243
    True
    >>> clearly_off([0.5, 0.6, 0.7, 0.6], 0.45, 50)  # 0.10 < 0.135
    False
    >>> clearly_off([0.6] * 4, 0.66, 50)             # no spread: the plain tolerance
    True
    """
    n = len(values)
    mean = sum(values) / n
    if binary:
        p = (sum(values) + 2) / (n + 4)
        var, q, n = p * (1 - p), 1.96, n + 4
    elif n < 2:
        return False
    else:
        var = sum((v - mean) ** 2 for v in values) / (n - 1)
        q = T975[n - 2] if n - 1 <= len(T975) else 1.96
    return abs(mean - truce_mean) - tol > q * (var * (1 / n + 1 / truce_runs)) ** 0.5 + 1e-12


def truce_run(binary, root, scenario, pair, repeat):
    d = f"{root}/{scenario}/{scenario}"
    out = subprocess.run([binary, "negotiate", "--agents", ",".join(NAMES[a] for a in pair),
                          "--repetitions", str(repeat),
                          "--clock", os.environ.get("TRUCE_CLOCK", "genius"),
                          "--ties", os.environ.get("TRUCE_TIES", "genius"), "--each", "--json",
                          f"{d}-domain.xml",
                          f"{d}-prof1.xml", f"{d}-prof2.xml"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def genius_pairs(genius_file):
    """Summary lines as they are; per-session lines (they have "rep") grouped by scenario and pair
    in order of first appearance, with the spread between sessions."""
    groups, order = {}, []
    for line in open(genius_file):
        g = json.loads(line)
        if g.get("end") == "failed":  # GENIUS could not run it (e.g. an agent's init timed out)
            continue
        if "rep" not in g:
            order.append(g)
            continue
        key = (g["scenario"], tuple(g["agents"]))
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(g)
    for item in order:
        if isinstance(item, dict):
            yield item
            continue
        s = groups[item]
        n = len(s)
        yield {"scenario": item[0], "agents": list(item[1]), "runs": n,
               "agreement_rate": sum(x["agreement"] for x in s) / n,
               "mean_utilities": [sum(x["utilities"][i] for x in s) / n for i in range(2)],
               "mean_rounds": sum(x["rounds"] for x in s) / n,
               "spread": {"agreements": sum(x["agreement"] for x in s),
                          "min_utilities": [min(x["utilities"][i] for x in s) for i in range(2)],
                          "max_utilities": [max(x["utilities"][i] for x in s) for i in range(2)],
                          "rounds": sorted(x["rounds"] for x in s)},
               "sessions": {"agreement": [x["agreement"] for x in s],
                            "utilities": [[x["utilities"][i] for x in s] for i in range(2)],
                            "rounds": [x["rounds"] for x in s]}}


def alike(sessions):
    """Whether GENIUS's sessions of a pair (two or more) all ended alike: the same agreement,
    round and utilities (to 1e-9). Its agents draw from generators that repeat from session to
    session, so against deterministic opponents a pair's sessions are one outcome counted
    several times (docs/anac-agents.md, anac-fid29).
    >>> alike({"agreement": [1, 1], "rounds": [97, 97], "utilities": [[0.8, 0.8], [0.6, 0.6]]})
    True
    >>> alike({"agreement": [1, 1], "rounds": [97, 98], "utilities": [[0.8, 0.8], [0.6, 0.6]]})
    False
    >>> alike({"agreement": [1], "rounds": [97], "utilities": [[0.8], [0.6]]})
    False
    """
    n = len(sessions["agreement"])
    return n > 1 and len(set(sessions["agreement"])) == 1 and len(set(sessions["rounds"])) == 1 \
        and all(max(u) - min(u) <= 1e-9 for u in sessions["utilities"])


def share_of(outcome, runs, tol=TOL):
    """The share of truce's runs (--each) that end as GENIUS's one outcome (agreement, both
    utilities): the same agreement and each utility within tol.
    >>> runs = [{"agreement": True, "utilities": [0.80, 0.60]},
    ...         {"agreement": True, "utilities": [0.70, 0.60]},
    ...         {"agreement": False, "utilities": [0.52, 0.52]}]
    >>> share_of((True, [0.78, 0.62]), runs)
    0.3333333333333333
    """
    agreed, u = outcome
    hit = sum(1 for r in runs if bool(r["agreement"]) == bool(agreed) and
              all(abs(a - b) <= tol for a, b in zip(r["utilities"], u)))
    return hit / len(runs) if runs else 0.0


def main():
    binary, genius_file, root = sys.argv[1:4]
    repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    rows, within, clear = [], 0, 0
    for g in genius_pairs(genius_file):
        pair = g["agents"]
        if any(a not in NAMES for a in pair):
            continue
        t = truce_run(binary, root, g["scenario"], pair, repeat)
        diffs = [abs(g["agreement_rate"] - t["agreement_rate"])] + [
            abs(x - y) for x, y in zip(g["mean_utilities"], t["mean_utilities"])]
        ok = all(x <= TOL for x in diffs)
        within += ok
        off = None  # summary lines carry no sessions: no spread to tell by
        one = None  # GENIUS's sessions all alike: the share of truce's runs ending as they did
        if "sessions" in g:
            ss = g["sessions"]
            off = clearly_off(ss["agreement"], t["agreement_rate"], t["runs"], binary=True) or any(
                clearly_off(ss["utilities"][i], t["mean_utilities"][i], t["runs"]) for i in range(2))
            clear += off
            if alike(ss) and "each" in t:
                one = share_of((ss["agreement"][0], [u[0] for u in ss["utilities"]]), t["each"])
        rows.append({"scenario": g["scenario"], "agents": pair,
                     "genius": {"runs": g["runs"], "agreement_rate": g["agreement_rate"],
                                "mean_utilities": g["mean_utilities"],
                                "mean_rounds": g.get("mean_rounds"),
                                **({"spread": g["spread"]} if "spread" in g else {})},
                     "truce": {"runs": t["runs"], "agreement_rate": t["agreement_rate"],
                               "mean_utilities": t["mean_utilities"], "mean_rounds": t.get("mean_rounds")},
                     "max_difference": max(diffs), "within_0.05": ok, "clearly_off": off,
                     "genius_alike": one is not None, "truce_share_of_genius_outcome": one})
    print(json.dumps({"comparison": "genius-10.4 vs truce", "tolerance": TOL, "pairs": len(rows),
                      "within": within, "clearly_off": clear, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
