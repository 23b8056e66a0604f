# test_negotiation.py: negotiations run from Python give the results and traces of `truce negotiate`
# for the same scenario, agents and seed; repeated runs, deadlines, trace callbacks and errors.
"""Negotiations from Python against the CLI."""

import json
import os
import tempfile
import unittest

import truce
from support import CEASEFIRE, SEED, assert_same, cli_json, corpus, run_cli

PAIRS = [
    ["boulware", "conceder"],
    ["linear", "tft"],
    ["hardheaded", "boulware:e=0.1"],
    ["random:p=0.2", "micro"],
    ["conceder:ac=const:c=0.8", "hardliner"],
]


def cli_run(path, agents, seed, rounds=100):
    """`truce negotiate --json --trace` of one run: (result, trace records)."""
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.jsonl")
        result = cli_json("negotiate", "--json", "--agents", ",".join(agents), "--seed", seed,
                          "--rounds", rounds, "--trace", trace, path)
        with open(trace) as f:
            return result, [json.loads(line) for line in f]


class NegotiationTest(unittest.TestCase):
    def check_against_cli(self, path, agents, seeds, rounds=100):
        with truce.load(path) as sc:
            for seed in seeds:
                want, trace = cli_run(path, agents, seed, rounds)
                r = truce.negotiate(sc, agents, rounds=rounds, seed=seed)
                assert_same(self, r.to_dict(), want, "%s %s seed %d" % (path, agents, seed))
                assert_same(self, r.trace, trace, "trace")
                self.assertEqual(r.seed, seed)
                if r.agreement:
                    assert_same(self, r.utilities_undiscounted,
                                [sc.utility(r.outcome, p) for p in r.parties])

    def test_bilateral_runs_equal_the_cli(self):
        for agents in PAIRS:
            self.check_against_cli(CEASEFIRE, agents, [1, 7])

    def test_corpus_bilateral_and_multilateral_runs_equal_the_cli(self):
        self.check_against_cli(corpus("genius/anac/y2011/Energy"), ["hardheaded", "boulware"],
                               [3], rounds=50)
        self.check_against_cli(corpus("genius/anac/y2015/group2-dinner"),
                               ["micro", "hardheaded", "tft"], [1, 2])

    def test_principals_without_a_channel_cannot_talk_directly(self):
        with self.assertRaises(truce.TruceValueError) as cm:
            truce.negotiate(SEED, ["boulware", "linear"])
        rc, _, err = run_cli("negotiate", "--agents", "boulware,linear", SEED)
        self.assertEqual(rc, 1)
        self.assertIn(str(cm.exception), err)
        self.assertEqual(cm.exception.field, "channels")
        with self.assertRaises(truce.TruceValueError) as cm:
            truce.negotiate(SEED, ["boulware", "linear", "tft"])
        self.assertIn("give one agent per principal", str(cm.exception))

    def test_a_negotiation_runs_many_times_as_the_cli_repeats(self):
        want = cli_json("negotiate", "--json", "--agents", "boulware,tft", "--repetitions", "25",
                        "--seed", "4", CEASEFIRE)
        sc = truce.load(CEASEFIRE)
        with truce.Negotiation(sc, ["boulware", "tft"]) as ng:
            results = [ng.run(seed) for seed in range(4, 29)]
        self.assertIsNone(results[0].trace)
        self.assertEqual(sum(r.agreement for r in results) / 25, want["agreement_rate"])
        assert_same(self, [sum(r.utilities[p] for r in results) / 25 for p in (0, 1)],
                    want["mean_utilities"])
        assert_same(self, sum(r.rounds for r in results) / 25, want["mean_rounds"])
        again = truce.negotiate(sc, ["boulware", "tft"], seed=9, trace=False)
        self.assertEqual(again.to_dict(), results[5].to_dict())

    def test_agent_parameters_as_tuples_and_deadlines_in_seconds(self):
        sc = truce.load(CEASEFIRE)
        a = truce.negotiate(sc, [("boulware", {"e": 0.1}), "conceder"], seed=2)
        b = truce.negotiate(sc, ["boulware:e=0.1", "conceder"], seed=2)
        self.assertEqual(a.to_dict(), b.to_dict())
        self.assertEqual(a.trace[0]["agents"], ["boulware:e=0.1", "conceder"])
        r = truce.negotiate(sc, ["hardliner", "hardliner"], seconds=0.05)
        self.assertEqual(r.end, "deadline")
        self.assertEqual(r.trace[0]["deadline"], {"seconds": 0.05})

    def test_trace_callback_streams_records_and_its_errors_stop_the_run(self):
        sc = truce.load(CEASEFIRE)
        seen = []
        with truce.Negotiation(sc, ["linear", "conceder"], trace=seen.append) as ng:
            r = ng.run(5)
        self.assertIsNone(r.trace)
        self.assertEqual(seen, truce.negotiate(sc, ["linear", "conceder"], seed=5).trace)

        def broken(record):
            raise OSError("disk full")

        with truce.Negotiation(sc, ["linear", "conceder"], trace=broken) as ng:
            with self.assertRaises(truce.TruceIOError) as cm:
                ng.run(1)
        self.assertIsInstance(cm.exception.__cause__, OSError)
        self.assertIn("trace callback failed", str(cm.exception))

    def test_clock_and_ties_as_the_cli(self):
        agents = ["boulware:bid=nearest:floor=none", "conceder:bid=nearest:floor=none"]
        with tempfile.TemporaryDirectory() as tmp, truce.load(CEASEFIRE) as sc:
            for clock, ties in (("turn", "index"), ("genius", "genius")):
                trace = os.path.join(tmp, "trace.jsonl")
                want = cli_json("negotiate", "--json", "--agents", ",".join(agents), "--clock",
                                clock, "--ties", ties, "--rounds", 20, "--trace", trace,
                                CEASEFIRE)
                with open(trace) as f:
                    records = [json.loads(line) for line in f]
                r = truce.negotiate(sc, agents, rounds=20, clock=clock, ties=ties)
                assert_same(self, r.to_dict(), want, "clock %s, ties %s" % (clock, ties))
                assert_same(self, r.trace, records, "trace")
                self.assertEqual(r.trace[1]["time"], 0 if clock == "turn" else 1 / 21)
        with self.assertRaisesRegex(ValueError, "clock must be one of genius, turn"):
            truce.negotiate(CEASEFIRE, agents, clock="wall")
        with self.assertRaisesRegex(ValueError, "ties must be one of genius, index"):
            truce.negotiate(CEASEFIRE, agents, ties="hash")

    def test_bad_agents_raise_the_cli_message(self):
        sc = truce.load(CEASEFIRE)
        for agents, error in ((["nope", "conceder"], truce.TruceNotFoundError),
                              (["boulware:x=1", "conceder"], truce.TruceValueError),
                              (["boulware:e=-1", "conceder"], truce.TruceValueError),
                              (["boulware"], truce.TruceValueError)):
            with self.assertRaises(error) as cm:
                truce.negotiate(sc, agents)
            rc, _, err = run_cli("negotiate", "--agents", ",".join(agents), CEASEFIRE)
            self.assertEqual(rc, 2, err)
            self.assertIn(str(cm.exception), err)
        with self.assertRaises(TypeError):
            truce.negotiate(sc, [42, "conceder"])

    def test_negotiate_takes_a_path_and_lists_agents(self):
        r = truce.negotiate(CEASEFIRE, ["boulware", "conceder"], seed=1)
        self.assertEqual(r.parties, ["russia", "ukraine"])
        names = [name for name, _, _ in truce.agents()]
        self.assertIn("boulware", names)
        rc, out, _ = run_cli("agents")
        for name in names:
            self.assertIn(name, out)

    def test_agent_info_gives_year_reference_and_parameters(self):
        # values from src/agents/anac/registry.c and src/agents/agent.c (docs/agents.md)
        k = truce.agent_info("agentk")
        self.assertEqual(k["year"], 2010)
        self.assertIn("Kawaguchi, Fujita and Ito", k["reference"])
        self.assertEqual(k["params"], "tremor=2")
        self.assertEqual(k["parameters"], [])
        b = truce.agent_info("boulware")
        self.assertIsNone(b["year"])
        self.assertIsNone(b["reference"])
        self.assertEqual([p["name"] for p in b["parameters"]][:3], ["e", "k", "bid"])
        self.assertEqual(b["parameters"][0]["default"], "0.2")
        self.assertEqual(b["parameters"][0]["range"], "0 to 100")
        self.assertEqual(truce.agent_info("conceder")["parameters"][0]["default"], "2")
        with self.assertRaises(truce.TruceNotFoundError) as cm:
            truce.agent_info("no-such-agent")
        self.assertIn("no-such-agent", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
