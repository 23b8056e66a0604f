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
environment override them) and its time-dependent agents pick GENIUS's nearest bid (bid=nearest),
so that the comparison is like for like."""
import json
import os
import subprocess
import sys

NAMES = {"boulware": "boulware:bid=nearest", "conceder": "conceder:bid=nearest",
         "agentk": "agentk", "hardheaded": "hardheaded2011", "cuhkagent": "cuhkagent",
         "gahboninho": "gahboninho", "agentlg": "agentlg", "omacagent": "omacagent",
         "agents.anac.y2010.Nozomi.Nozomi": "nozomi",
         "agents.anac.y2010.Southampton.IAMhaggler": "iamhaggler2010",
         "agents.anac.y2012.MetaAgent.MetaAgent": "metaagent",
         "agents.anac.y2016.caduceus.Caduceus": "caduceus",
         "agents.anac.y2016.yxagent.YXAgent": "yxagent",
         "agents.anac.y2011.Gahboninho.Gahboninho": "gahboninho",
         "agents.anac.y2012.AgentLG.AgentLG": "agentlg",
         "agents.anac.y2012.OMACagent.OMACagent": "omacagent",
         "agents.anac.y2011.TheNegotiator.TheNegotiator": "thenegotiator",
         "agents.anac.y2011.BramAgent.BRAMAgent": "bramagent",
         "agents.anac.y2013.TheFawkes.TheFawkes": "thefawkes",
         "agents.anac.y2010.Yushu.Yushu": "yushu",
         "agents.anac.y2010.AgentFSEGA.AgentFSEGA": "agentfsega",
         "agents.anac.y2017.ponpokoagent.PonPokoAgent": "ponpokoagent",
         "agents.anac.y2018.agreeableagent2018.AgreeableAgent2018": "agreeableagent",
         "agents.anac.y2015.Atlas3.Atlas3": "atlas3",
         "agents.anac.y2015.ParsAgent.ParsAgent": "parsagent",
         "agents.anac.y2015.RandomDance.RandomDance": "randomdance"}
TOL = 0.05


def truce_run(binary, root, scenario, pair, repeat):
    d = f"{root}/{scenario}/{scenario}"
    out = subprocess.run([binary, "negotiate", "--agents", ",".join(NAMES[a] for a in pair),
                          "--repetitions", str(repeat),
                          "--clock", os.environ.get("TRUCE_CLOCK", "genius"),
                          "--ties", os.environ.get("TRUCE_TIES", "genius"), "--json", f"{d}-domain.xml",
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
                          "rounds": sorted(x["rounds"] for x in s)}}


def main():
    binary, genius_file, root = sys.argv[1:4]
    repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    rows, within = [], 0
    for g in genius_pairs(genius_file):
        pair = g["agents"]
        if any(a not in NAMES for a in pair):
            continue
        t = truce_run(binary, root, g["scenario"], pair, repeat)
        diffs = [abs(g["agreement_rate"] - t["agreement_rate"])] + [
            abs(x - y) for x, y in zip(g["mean_utilities"], t["mean_utilities"])]
        ok = all(x <= TOL for x in diffs)
        within += ok
        rows.append({"scenario": g["scenario"], "agents": pair,
                     "genius": {"runs": g["runs"], "agreement_rate": g["agreement_rate"],
                                "mean_utilities": g["mean_utilities"],
                                "mean_rounds": g.get("mean_rounds"),
                                **({"spread": g["spread"]} if "spread" in g else {})},
                     "truce": {"runs": t["runs"], "agreement_rate": t["agreement_rate"],
                               "mean_utilities": t["mean_utilities"], "mean_rounds": t.get("mean_rounds")},
                     "max_difference": max(diffs), "within_0.05": ok})
    print(json.dumps({"comparison": "genius-10.4 vs truce", "tolerance": TOL, "pairs": len(rows),
                      "within": within, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
