#!/usr/bin/env python3
# genius_loadcheck.py: load every GENIUS domain/profile pair under some folders with GENIUS 10.4
# and with truce, and compare: which files each loads, and the utilities of sample bids.
"""Which GENIUS files truce and GENIUS 10.4 load, and whether their utilities agree.

Usage: scripts/genius_loadcheck.py [--legacy] [--json] [--verbose] FOLDER...

Every folder below the FOLDERs holding GENIUS XML files is searched; each profile (root
<utility_space>) is paired with the domain (root <negotiation_template>) of its folder, or,
when a folder holds several domains, with the domain whose name shares the longest prefix with
the profile's. GENIUS loads each pair as its Repository does (scripts/genius/GeniusLoad.java,
compiled into ../peer/genius-extra) and evaluates up to 400 bids (all of them in smaller
spaces); truce loads the same pair through its Python binding (--legacy: with the legacy
formats allowed) and evaluates the same bids (real issues in GENIUS's 21 steps).

Needs GENIUS set up as ../shared/tools/genius/README.md describes, and libtruce built
(TRUCE_LIBRARY, or build/libtruce.so of the source tree). Exit status 0 when every pair GENIUS
uses loads in truce with the same utilities (to 1e-12), reservation value and discount factor.
"""

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
PEER = os.environ.get("PEER", os.path.join(os.path.dirname(ROOT), "peer"))
JAR = os.path.join(PEER, "external", "genius10.4", "genius-10.4.jar")
EXTRA = os.path.join(PEER, "genius-extra")


def root_element(path):
    try:
        with open(path, "rb") as f:
            head = f.read(65536).decode("utf-8", "replace")
    except OSError:
        return ""
    head = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", head, flags=re.S)
    m = re.search(r"<\s*([A-Za-z_][\w.-]*)", head)
    return m.group(1) if m else ""


def common_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def pairs_in(folders):
    pairs = []
    for top in folders:
        for folder, _, files in sorted(os.walk(top)):
            xml = sorted(f for f in files if f.endswith(".xml"))
            kinds = {f: root_element(os.path.join(folder, f)) for f in xml}
            domains = [f for f in xml if kinds[f] == "negotiation_template"]
            profiles = [f for f in xml if kinds[f] == "utility_space"]
            if not domains:
                continue
            for p in profiles:
                d = max(domains, key=lambda d: (common_prefix(d, p), d == domains[0]))
                pairs.append((os.path.abspath(os.path.join(folder, d)),
                              os.path.abspath(os.path.join(folder, p))))
    return pairs


def genius_results(pairs):
    src = os.path.join(HERE, "genius", "GeniusLoad.java")
    cls = os.path.join(EXTRA, "GeniusLoad.class")
    if not os.path.exists(cls) or os.path.getmtime(cls) < os.path.getmtime(src):
        os.makedirs(EXTRA, exist_ok=True)
        subprocess.run(["javac", "--release", "8", "-nowarn", "-encoding", "UTF-8", "-cp", JAR,
                        "-d", EXTRA, src], check=True)
    run_dir = os.path.join(PEER, "genius-run")
    os.makedirs(run_dir, exist_ok=True)
    text = "".join("%s\t%s\n" % p for p in pairs)
    out = subprocess.run(["java", "-Djava.awt.headless=true", "-cp", EXTRA + ":" + JAR,
                          "GeniusLoad"], input=text, cwd=run_dir, capture_output=True, text=True)
    results = {}
    for line in out.stdout.splitlines():
        r = json.loads(line)
        results[(r["domain"], r["profile"])] = r
    return results


WORST = [0.0]  # the largest utility difference of the pairs found the same


def truce_check(truce, domain, profile, g, legacy):
    """(status, detail): status one of same, differ, refused."""
    try:
        sc = truce.load(domain, profile, real_steps=21, **({"legacy": True} if legacy else {}))
    except Exception as e:  # the C message: file, line, problem
        return "refused", str(e)
    with sc:
        if not g.get("ok"):
            return "loaded", "%d issues" % len(sc.issues)
        if [i.name for i in sc.issues] != g["issues"]:
            return "differ", "issues %s, GENIUS %s" % ([i.name for i in sc.issues], g["issues"])
        relabelled = [i.name for i, labels in zip(sc.issues, g["labels"])
                      if i.kind == "discrete" and i.options != list(dict.fromkeys(labels))]
        worst = 0.0
        where = None
        for bid in g["bids"]:
            outcome = []
            for issue, value, at in zip(sc.issues, bid["values"], bid["at"]):
                if issue.kind == "real":  # the nearest of truce's points
                    value = min(issue.options, key=lambda o: abs(float(o) - value))
                elif issue.kind == "integer":  # by label: an int would be an option index
                    value = str(value)
                elif value not in issue.options:  # decoded otherwise (docs/formats.md)
                    value = at
                outcome.append(value)
            u = sc.utility(outcome, 0)
            if abs(u - bid["u"]) > worst:
                worst, where = abs(u - bid["u"]), (bid["values"], u, bid["u"])
        p = sc.parties[0]
        if abs(p.reservation - g["reservation"]) > 1e-12 or abs(p.discount - g["discount"]) > 1e-12:
            return "differ", "reservation %r discount %r, GENIUS %r %r" % (
                p.reservation, p.discount, g["reservation"], g["discount"])
        if worst > 1e-12:
            return "differ", "utility of %s: truce %r, GENIUS %r" % where
        WORST[0] = max(WORST[0], worst)
        if relabelled:
            return "same but labels", "%d bids; labels of %s differ" % (len(g["bids"]),
                                                                        ", ".join(relabelled))
        return "same", "%d bids" % len(g["bids"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--legacy", action="store_true", help="allow the legacy formats in truce")
    ap.add_argument("--json", action="store_true", help="one JSON object per pair, then a summary")
    ap.add_argument("--verbose", action="store_true", help="print every pair, not only problems")
    ap.add_argument("folders", nargs="+")
    o = ap.parse_args()
    if not os.path.exists(JAR):
        sys.exit("GENIUS is not set up in %s: run ../shared/tools/genius/genius-setup.sh" % PEER)
    import truce
    pairs = pairs_in(o.folders)
    g_all = genius_results(pairs)
    counts = {}
    for d, p in pairs:
        g = g_all.get((d, p), {"ok": False, "error": "GeniusLoad gave no answer"})
        status, detail = truce_check(truce, d, p, g, o.legacy)
        key = ("genius uses, " if g.get("ok") else "genius refuses, ") + (
            "truce " + status)
        counts[key] = counts.get(key, 0) + 1
        row = {"domain": d, "profile": p, "genius": "ok" if g.get("ok") else g.get("error"),
               "truce": status, "detail": detail}
        if o.json:
            print(json.dumps(row))
        elif o.verbose or (g.get("ok") and status != "same") or (not g.get("ok")):
            print("%-16s %s\n    GENIUS: %s\n    truce: %s" % (
                key.replace("genius ", ""), p, row["genius"], detail))
    summary = {"pairs": len(pairs), "counts": counts, "largest_difference": WORST[0]}
    print(json.dumps({"summary": summary}) if o.json else json.dumps(summary, indent=1))
    bad = sum(v for k, v in counts.items() if k.startswith("genius uses") and
              not k.endswith("same"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
