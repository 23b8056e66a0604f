#!/usr/bin/env python3
"""genius_scenario.py: write a small GENIUS scenario (domain and two linear additive profiles) to
probe an agent with, as anac-fid27 probed Nozomi on one-issue lines (docs/anac-agents.md).

    bench/genius_scenario.py FOLDER NAME SPEC.json
    bench/genius_scenario.py FOLDER NAME --line N STEP [TOP]

writes FOLDER/NAME-domain.xml, NAME-prof1.xml and NAME-prof2.xml (the layout bench/genius_walk.py,
bench/genius_probe.sh and genius_bench.sh read). SPEC.json:

    {"issues": [{"name": "A", "weights": [0.7, 0.3],
                 "values": [["a0", 10, 1], ["a1", 5, 5], ["a2", 1, 10]]}, ...],
     "discount": [1, 1], "reservation": [0, 0]}

each value with its evaluation to party 1 and to party 2 (positive numbers; GENIUS divides each
issue's evaluations by their largest), each issue with its weight to each party; "discount" and
"reservation" are optional (no discount_factor element is written for 1). --line N STEP [TOP]
writes one issue of N values v00, v01, ... worth TOP, TOP - STEP, ... (in hundredths: TOP is a
whole number of them, default 100) to party 1 and the reverse order to party 2: Line1 of
anac-fid27 is `--line 41 1`, each value 0.01 below the one before.
"""
import json
import os
import sys
from xml.sax.saxutils import quoteattr


def fail(msg):
    sys.exit(f"genius_scenario: {msg}")


def num(x):
    """A number as GENIUS's XML carries it: whole numbers without a decimal point."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def line(n, step, top):
    if n < 2 or step <= 0 or top - step * (n - 1) <= 0:
        fail("--line needs N >= 2 values, STEP > 0 and every value worth more than 0")
    values = [[f"v{k:02d}", top - step * k, top - step * (n - 1 - k)] for k in range(n)]
    return {"issues": [{"name": "A", "weights": [1, 1], "values": values}]}


def check(spec):
    issues = spec.get("issues")
    if not isinstance(issues, list) or not issues:
        fail("the spec needs a non-empty list \"issues\"")
    names = set()
    for i, issue in enumerate(issues):
        if not isinstance(issue, dict):
            fail(f"issue {i + 1} must be an object with \"name\", \"weights\" and \"values\"")
        name, weights, values = issue.get("name"), issue.get("weights"), issue.get("values")
        if not isinstance(name, str) or not name:
            fail(f"issue {i + 1}: \"name\" must be a non-empty string")
        if name in names:
            fail(f"issue '{name}' twice")
        names.add(name)
        if (not isinstance(weights, list) or len(weights) != 2 or
                any(not isinstance(w, (int, float)) or w < 0 for w in weights)):
            fail(f"issue '{name}': \"weights\" must be two numbers >= 0 (party 1, party 2)")
        if not isinstance(values, list) or len(values) < 1:
            fail(f"issue '{name}': \"values\" must be a non-empty list")
        seen = set()
        for v in values:
            if (not isinstance(v, list) or len(v) != 3 or not isinstance(v[0], str) or
                    any(not isinstance(e, (int, float)) or e <= 0 for e in v[1:])):
                fail(f"issue '{name}': each value is [name, evaluation 1, evaluation 2], "
                     "both evaluations > 0")
            if v[0] in seen:
                fail(f"issue '{name}': value '{v[0]}' twice")
            seen.add(v[0])
    for p in (0, 1):
        if sum(issue["weights"][p] for issue in issues) <= 0:
            fail(f"party {p + 1}'s weights sum to 0")
    for key, lo, hi in (("discount", 0, 1), ("reservation", 0, 1)):
        pair = spec.get(key, [hi if key == "discount" else lo] * 2)
        if (not isinstance(pair, list) or len(pair) != 2 or
                any(not isinstance(x, (int, float)) or not lo <= x <= hi for x in pair) or
                (key == "discount" and min(pair) <= 0)):
            fail(f"\"{key}\" must be two numbers in {'(0, 1]' if key == 'discount' else '[0, 1]'}")
        spec[key] = pair
    return spec


def write(folder, name, spec):
    issues = spec["issues"]
    dom = ["<negotiation_template>", f'<utility_space number_of_issues="{len(issues)}">',
           '<objective description="" etype="objective" index="0" name="root" type="objective">']
    for i, issue in enumerate(issues, 1):
        dom.append(f'  <issue etype="discrete" index="{i}" name={quoteattr(issue["name"])} '
                   'type="discrete" vtype="discrete">')
        for j, v in enumerate(issue["values"], 1):
            dom.append(f'    <item index="{j}" value={quoteattr(v[0])} cost="0" '
                       f'description={quoteattr(v[0])}></item>')
        dom.append("  </issue>")
    dom += ["</objective>", "</utility_space>", "</negotiation_template>"]
    files = {f"{name}-domain.xml": dom}
    for p in (0, 1):
        out = ["<utility_space>", f'  <reservation value="{num(spec["reservation"][p])}" />']
        if spec["discount"][p] < 1:
            out.append(f'  <discount_factor value="{num(spec["discount"][p])}" />')
        out.append('  <objective index="0" description="" name="root" type="objective" '
                   'etype="objective">')
        for i, issue in enumerate(issues, 1):
            out.append(f'    <issue index="{i}" name={quoteattr(issue["name"])} vtype="discrete" '
                       'type="discrete" etype="discrete">')
            for j, v in enumerate(issue["values"], 1):
                out.append(f'      <item index="{j}" value={quoteattr(v[0])} cost="0.0" '
                           f'evaluation="{num(v[1 + p])}"></item>')
            out.append("    </issue>")
        for i, issue in enumerate(issues, 1):
            out.append(f'    <weight index="{i}" value="{num(issue["weights"][p])}"></weight>')
        out += ["  </objective>", "</utility_space>"]
        files[f"{name}-prof{p + 1}.xml"] = out
    os.makedirs(folder, exist_ok=True)
    for fname, lines in files.items():
        with open(os.path.join(folder, fname), "w") as f:
            f.write("\n".join(lines) + "\n")


def main(argv):
    if len(argv) < 4 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    folder, name = argv[1], argv[2]
    if not name or "/" in name:
        fail(f"NAME '{name}' must be a plain file name stem")
    if argv[3] == "--line":
        try:
            n, step = int(argv[4]), float(argv[5])
            top = float(argv[6]) if len(argv) > 6 else 100.0
        except (IndexError, ValueError):
            fail("--line N STEP [TOP]: N a whole number, STEP and TOP numbers")
        spec = line(n, step, top)
    else:
        try:
            with open(argv[3]) as f:
                spec = json.load(f)
        except (OSError, ValueError) as e:
            fail(f"cannot read {argv[3]}: {e}")
        if not isinstance(spec, dict):
            fail("the spec must be a JSON object")
    write(folder, name, check(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
