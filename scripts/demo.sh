#!/usr/bin/env bash
# demo.sh: the main job on the bundled seed scenario, readable. Called by `make demo`.
set -euo pipefail
truce=${1:-build/truce}
here=$(cd "$(dirname "$0")/.." && pwd)
seed="$here/examples/seed/truce-talks.yaml"

echo "== truce $("$truce" --version | cut -d' ' -f2): the truce talks of the seed article =="
echo "Scenario: examples/seed/truce-talks.yaml. Parties, channels, the hard condition, the"
echo "threat, the guarantees and the ceasefire-first demand come from the article; every"
echo "weight and value is an illustrative assumption (see the file)."
echo
echo "== 1. Check: channels, agenda deadlocks, zone of agreement =="
"$truce" check "$seed"
echo
echo "== 2. Analysis: Pareto frontier, bargaining points, trade-offs =="
"$truce" analyze --points 5 "$seed"
echo
echo "== 3. Advice: how Russia could align its demands to win US support =="
"$truce" advise --party russia --acceptable-to usa "$seed"
echo
echo "== 4. Evaluate a deal: the compromise the analysis finds when Russia's red line is ignored =="
"$truce" evaluate --outcome "territory=freeze-front-line,ceasefire=immediately,europe-guarantees=treaty,ukraine-security=bilateral-assurances,sanctions=full,army-cap=cap-800k" "$seed"
echo
echo "== 5. Mediated talks: the US carries a single negotiating text =="
"$truce" mediate "$seed" | tail -n 16
echo
echo "== 6. Direct talks are not possible: Russia talks only with the US =="
"$truce" negotiate --agents boulware,tft "$seed" || true
echo
echo "== 7. Robustness: every number above is a guess; how sure are these conclusions? =="
echo "(the seed documents its uncertainty: every number +-0.05, Ukraine's BATNA 0.55 to 0.7,"
echo " Russia's red line real with probability 0.9; 10,000 samples, each solved exactly)"
"$truce" robust --advise russia:usa --top 3 "$seed"
echo
echo "== 8. Report: the analysis, its robustness and the mediated talks as one HTML page =="
out=$(cd "$(dirname "$truce")" && pwd)
"$truce" mediate --trace "$out/seed-talks.jsonl" "$seed" >/dev/null
"$truce" report "$seed" "$out/seed-talks.jsonl" -o "$out/seed-report.html" \
    --svg "$out/seed-report-svg" >/dev/null
echo "Report: $out/seed-report.html"
echo "(open it in a browser; every plot is also a standalone SVG in $out/seed-report-svg)"
