# test_analysis.py: Scenario.analyze() from Python gives the frontier, Nash, Kalai-Smorodinsky and
# max-welfare points of `truce analyze --json`, and a frontier equal to a brute-force one.
"""Analysis from Python against the CLI and brute force."""

import unittest

import truce
from support import CEASEFIRE, SEED, assert_same, cli_json, corpus, run_cli


def brute_force_frontier(sc):
    """Distinct non-dominated utility vectors over every outcome, by the first party's utility
    descending (ties: next party descending), as truce_analysis_pareto_point orders them."""
    points = set(zip(*sc.utilities(list(sc.outcomes()))))
    front = []
    for p in points:
        dominated = any(all(q[i] >= p[i] - 1e-12 for i in range(len(p))) and
                        any(q[i] > p[i] + 1e-12 for i in range(len(p))) for q in points)
        if not dominated:
            front.append(p)
    return sorted(front, reverse=True)


class AnalysisTest(unittest.TestCase):
    def check_against_cli(self, path, *options, **kwargs):
        want = cli_json("analyze", "--json", *options, path)
        with truce.load(path) as sc, sc.analyze(**kwargs) as a:
            got = a.to_dict()
            for key in got:
                assert_same(self, got[key], want[key], key)
            return sc, a, want

    def test_ceasefire_matches_the_cli_and_brute_force(self):
        sc = truce.load(CEASEFIRE)
        a = sc.analyze()
        want = cli_json("analyze", "--json", CEASEFIRE)
        assert_same(self, list(a.nash.utilities), want["nash"]["utilities"])
        assert_same(self, a.nash.value, want["nash"]["value"])
        self.assertEqual(a.nash.labels, want["nash"]["outcome"])
        self.assertEqual(len(a.pareto.points), want["pareto"]["distinct"])
        self.assertEqual(a.pareto.size, want["pareto"]["size"])
        assert_same(self, [list(p) for p in a.pareto.points], want["pareto"]["points"])
        assert_same(self, [list(p) for p in a.pareto.points],
                    [list(p) for p in brute_force_frontier(sc)])
        for k in range(len(a.pareto)):
            assert_same(self, sc.utility(a.pareto.outcome(k)), list(a.pareto[k]))
        # the Nash point maximises the product of gains over reservation values
        best = max(((u0 - 0.35) * (u1 - 0.3) for u0, u1 in zip(*sc.utilities(
            list(sc.outcomes()))) if u0 > 0.35 and u1 > 0.3))
        self.assertAlmostEqual(a.nash.value, best, places=12)
        self.assertIs(a.welfare, a.max_welfare)
        self.assertTrue(a.zopa)
        self.assertFalse(a.approximate)

    def test_seed_yaml_matches_the_cli(self):
        self.check_against_cli(SEED)

    def test_corpus_scenarios_match_the_cli(self):
        self.check_against_cli(corpus("genius/anac/y2011/Energy"))
        self.check_against_cli(corpus("genius/anac/y2015/group2-dinner"))

    def test_nonlinear_corpus_scenario_matches_the_cli(self):
        sc, a, _ = self.check_against_cli(corpus("genius/anac/y2014/10issues"))
        self.assertIn(a.method, ("branch-and-bound", "enumeration"))

    def test_limits_raise_with_the_c_message_and_approximate_is_labelled(self):
        path = corpus("genius/anac/y2014/10issues")
        with truce.load(path) as sc:
            with self.assertRaises(truce.TruceLimitError) as cm:
                sc.analyze(max_outcomes=10, max_nodes=10)
            rc, _, err = run_cli("analyze", "--max-outcomes", "10", "--max-nodes", "10", path)
            self.assertEqual(rc, 1)
            self.assertIn(str(cm.exception), err)
        _, a, _ = self.check_against_cli(path, "--approximate", "--max-outcomes", "10",
                                         "--max-nodes", "10", approximate=True, max_outcomes=10,
                                         max_nodes=10)
        self.assertTrue(a.approximate)


if __name__ == "__main__":
    unittest.main()
