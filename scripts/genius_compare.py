#!/usr/bin/env python3
# genius_compare.py: run GENIUS 10.4's time-dependent agents and truce's side by side on GENIUS
# scenario folders and compare each session (agreement, round, utilities, outcome).
"""Side-by-side sessions of GENIUS 10.4 and truce (docs/agents.md#genius-mode).

Usage: scripts/genius_compare.py [--truce BUILD/truce] [--rounds N] [--pairs A,B ...]
                                 [--ties genius|index] [--json] FOLDER...

Needs GENIUS run headless as ../shared/tools/genius/README.md describes (genius-setup.sh puts it
in ../peer beside the project) and, for the agent "linear", a GENIUS TimeDependentAgent with
e = 1 (written and compiled into ../peer/genius-extra by this script when missing). Agents:
boulware (GENIUS agents.TimeDependentAgentBoulware, e = 0.2), conceder (e = 2), linear (e = 1).
truce runs them with bid=nearest:floor=none and the GENIUS clock. Each folder is one GENIUS
scenario: its domain file and the first two profiles in file-name order (the first opens).
Prints one line per session, then a summary; --json prints one JSON object per session and
the summary as JSON.
"""

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEER = os.environ.get("PEER", os.path.join(os.path.dirname(ROOT), "peer"))
JAR = os.path.join(PEER, "external", "genius10.4", "genius-10.4.jar")
DRIVER = os.path.join(PEER, "genius-driver", "classes")
EXTRA = os.path.join(PEER, "genius-extra")
GENIUS_CLASS = {"boulware": "agents.TimeDependentAgentBoulware",
                "conceder": "agents.TimeDependentAgentConceder",
                "linear": "TimeDependentAgentLinear"}
LINEAR_SOURCE = """// A GENIUS TimeDependentAgent with e = 1, for side-by-side runs with truce's linear agent.
public class TimeDependentAgentLinear extends agents.TimeDependentAgent {
    @Override
    public double getE() {
        return 1;
    }

    @Override
    public String getName() {
        return "Linear";
    }
}
"""


def root_element(path):
    with open(path, "rb") as f:
        head = f.read(4096).decode("utf-8", "replace")
    m = re.search(r"<\s*([A-Za-z_][\w.-]*)", re.sub(r"<\?.*?\?>|<!--.*?-->", "", head, flags=re.S))
    return m.group(1) if m else ""


def scenario_files(folder):
    xml = sorted(f for f in os.listdir(folder) if f.endswith(".xml"))
    domains = [f for f in xml if root_element(os.path.join(folder, f)) == "negotiation_template"]
    profiles = [f for f in xml if root_element(os.path.join(folder, f)) == "utility_space"]
    if len(domains) != 1 or len(profiles) < 2:
        return None
    return [os.path.abspath(os.path.join(folder, f)) for f in [domains[0]] + profiles[:2]]


def ensure_linear():
    if os.path.exists(os.path.join(EXTRA, "TimeDependentAgentLinear.class")):
        return
    os.makedirs(EXTRA, exist_ok=True)
    src = os.path.join(EXTRA, "TimeDependentAgentLinear.java")
    with open(src, "w") as f:
        f.write(LINEAR_SOURCE)
    subprocess.run(["javac", "--release", "8", "-nowarn", "-cp", JAR, "-d", EXTRA, src], check=True)


def genius_sessions(files, pairs, rounds):
    args = ["java", "-Djava.awt.headless=true", "-cp", ":".join([EXTRA, DRIVER, JAR]),
            "GeniusBench", "--rounds", str(rounds)]
    for a, b in pairs:
        args += ["--agents", GENIUS_CLASS[a] + "," + GENIUS_CLASS[b]]
    run_dir = os.path.join(PEER, "genius-run")  # GENIUS writes its repository files there
    os.makedirs(run_dir, exist_ok=True)
    out = subprocess.run(args + files, cwd=run_dir, capture_output=True, text=True)
    sessions = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if len(sessions) != len(pairs):
        sys.exit("GENIUS gave %d sessions for %d pairs on %s:\n%s" %
                 (len(sessions), len(pairs), files[0], out.stderr[-2000:]))
    return sessions


def truce_session(truce, files, pair, rounds, ties):
    agents = ",".join("%s:bid=nearest:floor=none" % a for a in pair)
    out = subprocess.run([truce, "negotiate", "--json", "--clock", "genius", "--ties", ties,
                          "--rounds", str(rounds), "--agents", agents] + files,
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit("truce failed on %s: %s" % (files[0], out.stderr.strip()))
    return json.loads(out.stdout)


def same_outcome(g, t):
    if g is None or t is None:
        return g is None and t is None
    return all(str(t.get(k)) == v for k, v in g.items()) and len(g) == len(t)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truce", default=os.path.join(ROOT, "build", "truce"))
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--ties", default="genius", choices=["genius", "index"])
    ap.add_argument("--pairs", nargs="*",
                    default=["%s,%s" % (a, b) for a in ("boulware", "linear", "conceder")
                             for b in ("boulware", "linear", "conceder")])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("folders", nargs="+")
    o = ap.parse_args()
    if not (os.path.exists(JAR) and os.path.isdir(DRIVER)):
        sys.exit("GENIUS is not set up in %s: run ../shared/tools/genius/genius-setup.sh" % PEER)
    pairs = [tuple(p.split(",")) for p in o.pairs]
    for p in pairs:
        if len(p) != 2 or any(a not in GENIUS_CLASS for a in p):
            sys.exit("a pair is two of %s, not %s" % (", ".join(GENIUS_CLASS), ",".join(p)))
    if any("linear" in p for p in pairs):
        ensure_linear()
    total = same_round = same_utilities = same_outcomes = 0
    for folder in o.folders:
        files = scenario_files(folder)
        if not files:
            print("skipped %s: no domain and two profiles" % folder, file=sys.stderr)
            continue
        for pair, g in zip(pairs, genius_sessions(files, pairs, o.rounds)):
            t = truce_session(o.truce, files, pair, o.rounds, o.ties)
            total += 1
            g_rounds = g["rounds"] if g["agreement"] else None
            t_rounds = t["rounds"] if t["agreement"] else None
            rounds_ok = g["agreement"] == t["agreement"] and g_rounds == t_rounds
            utils_ok = rounds_ok and all(abs(a - b) <= 1e-12 for a, b in
                                         zip(g["utilities_undiscounted"],
                                             t["utilities_undiscounted"]))
            outcome_ok = same_outcome(g["outcome"], t["outcome"])
            same_round += rounds_ok
            same_utilities += utils_ok
            same_outcomes += outcome_ok
            row = {"scenario": os.path.basename(os.path.normpath(folder)), "agents": list(pair),
                   "genius": {"agreement": g["agreement"], "round": g_rounds,
                              "utilities": g["utilities_undiscounted"]},
                   "truce": {"agreement": t["agreement"], "round": t_rounds,
                             "utilities": t["utilities_undiscounted"]},
                   "same_round": rounds_ok, "same_utilities": utils_ok,
                   "same_outcome": outcome_ok}
            if o.json:
                print(json.dumps(row))
            else:
                print("%-18s %-18s GENIUS %-5s r=%-4s u=%s | truce %-5s r=%-4s u=%s %s" % (
                    row["scenario"], ",".join(pair), g["agreement"], g_rounds,
                    ["%.4f" % u for u in g["utilities_undiscounted"]], t["agreement"], t_rounds,
                    ["%.4f" % u for u in t["utilities_undiscounted"]],
                    "same" if utils_ok and outcome_ok else
                    "same round and utilities" if utils_ok else "DIFFERENT"))
    summary = {"sessions": total, "same_round": same_round, "same_utilities": same_utilities,
               "same_outcome": same_outcomes, "rounds": o.rounds, "ties": o.ties}
    print(json.dumps({"summary": summary}) if o.json else
          "%d sessions: %d same agreement round, %d same round and utilities, %d same outcome" %
          (total, same_round, same_utilities, same_outcomes))
    return 0 if same_utilities == total else 1


if __name__ == "__main__":
    sys.exit(main())
