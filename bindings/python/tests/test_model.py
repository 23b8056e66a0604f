# test_model.py: checks, advice, trade-offs and mediated talks from Python give the JSON documents
# `truce check`, `truce advise`, `truce analyze` and `truce mediate` print for the same inputs.
"""Model checks and mediation from Python against the CLI."""

import json
import os
import tempfile
import unittest

import truce
from support import CEASEFIRE, EXAMPLES, SEED, assert_same, cli_json


class ModelTest(unittest.TestCase):
    def test_check_advise_and_tradeoffs_equal_the_cli(self):
        sc = truce.load(SEED)
        assert_same(self, sc.check(), cli_json("check", "--json", SEED))
        assert_same(self, sc.check(time=0.5), cli_json("check", "--json", "--time", "0.5", SEED))
        assert_same(self, sc.advise("russia", ["usa"]),
                    cli_json("advise", "--json", "--party", "russia", "--acceptable-to", "usa",
                             SEED))
        assert_same(self, truce.advise(sc, 1, ["russia", "usa"]),
                    cli_json("advise", "--json", "--party", "ukraine", "--acceptable-to",
                             "russia,usa", SEED))
        ceasefire = truce.load(CEASEFIRE)
        assert_same(self, ceasefire.tradeoffs(),
                    cli_json("analyze", "--json", CEASEFIRE)["tradeoffs"])
        with self.assertRaises(KeyError):
            sc.advise("nobody", ["usa"])

    def test_robust_equals_the_cli(self):
        sc = truce.load(SEED)
        self.assertGreater(sc.n_uncertain, 0)
        r = sc.robust(samples=500, seed=3, threads=1, advise=("russia", ["usa"]))
        assert_same(self, dict(r), cli_json("robust", "--json", "--samples", "500", "--seed", "3",
                                            "--advise", "russia:usa", SEED))
        clauses = r.clauses("nash")
        rows = clauses.to_dict("records") if hasattr(clauses, "to_dict") else clauses
        territory = [x for x in rows if x["issue"] == "territory"]
        self.assertEqual(len(territory), 4)
        self.assertAlmostEqual(sum(x["p"] for x in territory), r["nash"]["exists"]["p"])
        flips = r.what_flips("zone")
        first = flips.to_dict("records")[0] if hasattr(flips, "to_dict") else flips[0]
        self.assertEqual(first["number"], "ukraine.reservation.0")
        self.assertEqual(sc.check(margins=False)["zone"].get("margin"), None)

    def test_robust_with_mediation_options_equals_the_cli(self):
        sc = truce.load(SEED)
        r = sc.robust(samples=40, seed=2, threads=1, sensitivity=False, mediate=True,
                      strategy="uninformed", responders="anchor", agenda="follow")
        assert_same(self, dict(r), cli_json("robust", "--json", "--samples", "40", "--seed", "2",
                                            "--no-sensitivity", "--mediate", "--strategy",
                                            "uninformed", "--responders", "anchor", "--agenda",
                                            "follow", SEED))
        with self.assertRaises(ValueError):
            sc.robust(samples=10, agenda="package")

    def test_mediation_equals_the_cli(self):
        sc = truce.load(SEED)
        for options, kwargs in (([], {}),
                                (["--strategy", "uninformed", "--seed", "3"],
                                 {"strategy": "uninformed", "seed": 3}),
                                (["--target", "ks", "--responders", "strategic"],
                                 {"target": "ks", "responders": "strategic"}),
                                (["--agenda", "follow", "--strategy", "uninformed"],
                                 {"agenda": "follow", "strategy": "uninformed"}),
                                (["--agenda", "package"], {"agenda": "package"})):
            with tempfile.TemporaryDirectory() as tmp:
                trace = os.path.join(tmp, "t.jsonl")
                want = cli_json("mediate", "--json", "--trace", trace, *options, SEED)
                with open(trace) as f:
                    records = [json.loads(line) for line in f]
            with sc.mediate(trace=True, **kwargs) as m:
                assert_same(self, m.report(), want)
                self.assertEqual((m.end, m.agreement, m.iterations, m.reason),
                                 (want["end"], want["agreement"], want["iterations"],
                                  want["reason"]))
                self.assertEqual(m.draft, want["outcome"])
                assert_same(self, dict(zip([p.name for p in sc.parties], m.utilities)),
                            want["utilities"])
                assert_same(self, m.trace, records)

    def test_mediation_with_script_agents_equals_the_cli(self):
        sc = truce.load(SEED)
        script = os.path.join(EXAMPLES, "agents", "boulware.lua")
        want = cli_json("mediate", "--json", "--agent", "russia=lua:" + script, SEED)
        with sc.mediate(agents={"russia": "lua:" + script}) as m:
            assert_same(self, m.report(), want)
            self.assertEqual((m.end, m.fault), (want["end"], None))
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.lua")
            with open(bad, "w") as f:
                f.write("function act(turn) return 'accept' end\n"
                        "function review(draft) error('no review today') end\n")
            with sc.mediate(agents={"ukraine": "lua:" + bad}) as m:
                self.assertEqual((m.end, m.fault, m.agreement), ("fault", "ukraine", False))
                self.assertIn("no review today", m.reason)
                self.assertIn("bad.lua:2", m.reason)
        with self.assertRaises(truce.TruceNotFoundError):
            sc.mediate(agents={"russia": "no-such-agent"})


if __name__ == "__main__":
    unittest.main()
