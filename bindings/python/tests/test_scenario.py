# test_scenario.py: loading scenarios from Python (folders, files, YAML), issues and parties as the
# CLI reports them, outcomes and utilities one by one and in batches, errors and handle lifetimes.
"""Scenarios from Python against `truce analyze --json` on the same files."""

import gc
import os
import tempfile
import unittest
import weakref
from array import array

import truce
from support import CEASEFIRE, SEED, assert_same, cli_json, corpus, run_cli


# The worked example of docs/scenario-format.md, its real issue without `steps`.
HAND = """truce: 1
name: hand
issues:
  - id: colour
    options: [red, green, blue]
  - id: count
    type: integer
    range: [2, 6]
  - id: price
    type: real
    range: [0, 10]
parties:
  - id: a
    weights: {colour: 0.5, count: 0.3, price: 0.2}
    values:
      colour: {red: 2, green: 4, blue: 1}
      count: {slope: 0.25, offset: 0}
      price: {slope: 0.1, offset: 0}
    reservation: 0.25
  - id: b
    weights: {colour: 0.6, count: 0.4}
    values:
      colour: {red: 1, green: 0, blue: 0.5}
      count: {slope: -0.5, offset: 1.5}
"""


class Walker(truce.Agent):
    def act(self, turn):
        return truce.END

    def observe(self, event):
        pass


class ScenarioTest(unittest.TestCase):
    def check_against_cli(self, sc, *args):
        want = cli_json("analyze", "--json", *args)
        self.assertEqual(sc.name, want["scenario"])
        self.assertEqual([p.name for p in sc.parties], want["parties"])
        self.assertEqual([i.name for i in sc.issues], want["issues"])
        assert_same(self, [p.reservation for p in sc.parties], want["reservation"])
        self.assertEqual(sc.n_outcomes, int(want["n_outcomes"]))
        product = 1
        for issue in sc.issues:
            product *= len(issue)
        self.assertEqual(sc.n_outcomes, product)
        # the solutions' outcomes, given as the CLI prints them, have the CLI's utilities
        for key in ("nash", "kalai_smorodinsky", "max_welfare"):
            if want[key]:
                assert_same(self, sc.utility(want[key]["outcome"]), want[key]["utilities"], key)
                self.assertEqual(sc.labels(sc.outcome(want[key]["outcome"])),
                                 want[key]["outcome"])

    def test_folder_files_and_yaml_match_the_cli(self):
        with truce.load(CEASEFIRE) as sc:
            self.check_against_cli(sc, CEASEFIRE)
        files = [os.path.join(CEASEFIRE, f) for f in
                 ("ceasefire_domain.xml", "russia.xml", "ukraine.xml")]
        with truce.load(*files) as sc:
            self.check_against_cli(sc, *files)
        with truce.load(files) as sc:  # a list works too
            self.assertEqual([p.name for p in sc.parties], ["russia", "ukraine"])
        with truce.load(SEED) as sc:
            self.check_against_cli(sc, SEED)
            self.assertEqual(len(sc.principals), 2)
            self.assertIn("mediator", [p.role for p in sc.parties])

    def test_geniusweb_folder_and_files_match_the_cli(self):
        path = corpus("geniusweb/Party")
        with truce.load(path) as sc:
            self.check_against_cli(sc, path)
        files = [os.path.join(path, f) for f in ("party.json", "party1.json", "party2.json")]
        with truce.load(*files) as sc:
            self.check_against_cli(sc, *files)

    def test_corpus_scenario_matches_the_cli(self):
        path = corpus("genius/anac/y2011/Energy")
        with truce.load(path) as sc:
            self.check_against_cli(sc, path)

    def test_real_steps_discretise_real_issues_as_the_cli(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "hand.yaml")
            with open(path, "w") as f:
                f.write(HAND)
            sc = truce.load(path, real_steps=5)
            self.check_against_cli(sc, "--real-steps", "5", path)
            price = sc.issue("price")
            self.assertEqual((price.kind, price.values), ("real", [0, 2.5, 5, 7.5, 10]))
            self.assertEqual(sc.issue("count").values, [2, 3, 4, 5, 6])
            # by hand (docs/scenario-format.md): .5*4/4 + .3*.25*(4-2) + .2*.1*7.5
            self.assertAlmostEqual(sc.utility({"colour": "green", "count": 4, "price": 7.5},
                                              "a"), 0.8, places=12)
            self.assertAlmostEqual(sc.utility(("blue", "6", "10"), "a"), 0.625, places=12)
            self.assertEqual(len(truce.load(path).issue("price")), 11)

    def test_outcomes_convert_between_indices_labels_and_dicts(self):
        sc = truce.load(CEASEFIRE)
        o = (1, 2, 3, 10)
        labels = sc.labels(o)
        self.assertEqual(sc.outcome(labels), o)
        self.assertEqual(sc.outcome(list(labels.values())), o)
        self.assertEqual(labels["sanctions relief (percent)"],
                         sc.issue("sanctions relief (percent)").values[10])
        self.assertIsInstance(labels["sanctions relief (percent)"], int)
        with self.assertRaises(IndexError):
            sc.outcome((4, 0, 0, 0))
        with self.assertRaises(ValueError):
            sc.outcome((0, 0, 0))
        with self.assertRaises(KeyError):
            sc.outcome(("no such option", 0, 0, 0))
        self.assertEqual(len(list(sc.outcomes())), sc.n_outcomes)

    def test_batches_equal_single_evaluations(self):
        sc = truce.load(CEASEFIRE)
        outcomes = list(sc.outcomes())
        single = [[sc.utility(o, p) for o in outcomes] for p in range(len(sc.parties))]
        self.assertEqual([list(a) for a in sc.utilities(outcomes)], single)
        self.assertEqual(list(sc.utilities(outcomes, "ukraine")), single[1])
        flat = array("I", [k for o in outcomes for k in o])
        self.assertEqual(list(sc.utilities(flat, 0)), single[0])
        self.assertEqual(list(sc.utilities(flat.tobytes(), 0)), single[0])
        self.assertEqual(sc.utility(outcomes[5]), [single[0][5], single[1][5]])
        try:
            import numpy
        except ImportError:
            return
        grid = numpy.array(outcomes, dtype=numpy.uint32)
        self.assertEqual(list(sc.utilities(grid, 1)), single[1])
        self.assertEqual(list(sc.utilities(grid.astype(numpy.int64), 1)), single[1])

    def test_missing_and_malformed_files_raise_with_the_c_message(self):
        with self.assertRaises(FileNotFoundError):
            truce.load("/no/such/scenario")
        with self.assertRaises(FileNotFoundError):
            truce.load(os.path.join(CEASEFIRE, "ceasefire_domain.xml"), "/no/such/profile.xml")
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.yaml")
            with open(bad, "w") as f:
                f.write("issues:\n  - name: a\n    options: [x, y]\n  - [oops\n")
            with self.assertRaises(truce.TruceParseError) as cm:
                truce.load(bad)
            rc, _, err = run_cli("analyze", bad)
            self.assertEqual(rc, 1)
            self.assertIn(str(cm.exception), err)
            self.assertEqual(cm.exception.file, bad)
            self.assertGreater(cm.exception.line, 0)
            self.assertEqual(cm.exception.code_name, "TRUCE_EPARSE")
            with self.assertRaises(truce.TruceValueError) as cm:
                truce.load(os.path.join(CEASEFIRE, "russia.xml"))
            self.assertIn("not a scenario", str(cm.exception))

    def test_parties_issues_and_helpers(self):
        sc = truce.load(SEED)
        russia = sc.party("russia")
        self.assertEqual(russia.index, sc.party_index("russia"))
        self.assertEqual(russia.reservation_at(0), russia.reservation)
        self.assertTrue(sc.channel("usa", "russia"))
        with self.assertRaises(KeyError):
            sc.party("nobody")
        for p in sc.parties:
            for o in list(sc.outcomes())[:50]:
                hc = sc.violates(o, p.name)
                self.assertTrue(hc is None or hc in p.hard_conditions)
        self.assertAlmostEqual(sc.discount(0.8, 0, 0.5), 0.8 * sc.parties[0].discount ** 0.5)

    def test_generate_gives_equal_scenarios_for_equal_seeds(self):
        a = truce.generate(n_issues=4, n_options=3, seed=5)
        b = truce.generate(n_issues=4, n_options=3, seed=5)
        self.assertEqual(a.n_outcomes, 81)
        self.assertEqual(list(a.utilities(list(a.outcomes()), 0)),
                         list(b.utilities(list(b.outcomes()), 0)))

    def test_save_and_reload_gives_the_same_utilities(self):
        sc = truce.load(CEASEFIRE)
        outcomes = list(sc.outcomes())
        with tempfile.TemporaryDirectory() as tmp:
            sc.save_yaml(os.path.join(tmp, "c.yaml"))
            back = truce.load(os.path.join(tmp, "c.yaml"))
            self.assertEqual(back.utilities(outcomes), sc.utilities(outcomes))
            paths = [os.path.join(tmp, n) for n in ("d.xml", "p1.xml", "p2.xml")]
            sc.save_genius(paths[0], paths[1:])
            self.assertEqual(truce.load(*paths).utilities(outcomes), sc.utilities(outcomes))

    def test_handles_close_deterministically_and_dependents_first(self):
        sc = truce.load(CEASEFIRE)
        a = sc.analyze()
        ng = truce.Negotiation(sc, ["boulware", "conceder"])
        sc.close()
        self.assertTrue(a.closed and ng.closed and sc.closed)
        with self.assertRaises(ValueError):
            sc.utility((0, 0, 0, 0))
        with self.assertRaises(ValueError):
            ng.run(1)
        sc.close()  # idempotent
        with truce.load(CEASEFIRE) as sc:
            pass
        self.assertTrue(sc.closed)
        # dropping the last reference frees at once: no reference cycles hold a scenario
        gc.disable()
        try:
            for agents in (["boulware", "tft"], [Walker, "tft"]):
                s = truce.load(CEASEFIRE)
                gone = weakref.ref(s)
                truce.negotiate(s, agents)
                ng = truce.Negotiation(s, agents, trace=True)
                ng.run(1)
                a = s.analyze()
                del s, ng, a
                self.assertIsNone(gone(), agents)
        finally:
            gc.enable()
        # garbage collection frees them too, children before parents
        for _ in range(200):
            s = truce.load(CEASEFIRE)
            s.analyze()
            truce.Negotiation(s, ["linear", "tft"]).run(3)
            del s
        gc.collect()


if __name__ == "__main__":
    unittest.main()
