# test_tournament.py: tournaments from Python store the same rows as `truce tournament` run with
# the same definition, and read back what `truce results --json/--csv` print; resuming, stopping
# from the progress callback, script and process agents, errors, the pandas DataFrame.
"""Tournaments and their results against the CLI."""

import csv
import io
import json
import os
import sqlite3
import sys
import tempfile
import unittest

import truce
from support import CEASEFIRE, EXAMPLES, assert_same, cli_json, run_cli

AGENTS = ["boulware", "conceder:e=2", "tft"]


def cli_tournament(db, *args):
    rc, out, err = run_cli("tournament", "--quiet", "--db", db, *args)
    if rc != 0:
        raise AssertionError("truce tournament failed (%d): %s" % (rc, err))


def cli_csv_records(db):
    """`truce results DB --csv negotiations` as to_records() gives it (typed values)."""
    rc, out, err = run_cli("results", "--csv", "negotiations", db)
    if rc != 0:
        raise AssertionError("truce results failed: %s" % err)
    rows = []
    for r in csv.DictReader(io.StringIO(out)):
        def real(key):
            return float(r[key]) if r[key] != "" else None
        rows.append({
            "job": int(r["job"]), "scenario": r["scenario"], "repetition": int(r["repetition"]),
            "seed": int(r["seed"]), "seat": int(r["seat"]), "agent": r["agent"],
            "party": r["party"], "utility": real("utility"),
            "utility_undiscounted": real("utility_undiscounted"),
            "agreement": r["agreement"] == "1", "end_reason": r["end_reason"],
            "rounds": int(r["rounds"]), "time": real("time"), "welfare": real("welfare"),
            "pareto_distance": real("pareto_distance"), "nash_distance": real("nash_distance"),
            "at_fault": r["at_fault"] == "1", "fault_message": r["fault_message"] or None,
            "outcome": json.loads(r["outcome"]) if r["outcome"] else None,
            "outcome_labels": json.loads(r["outcome_labels"]) if r["outcome_labels"] else None})
    return rows


def without_elapsed(records):
    return [{k: v for k, v in r.items() if k != "elapsed"} for r in records]


class TournamentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        # a three-party scenario: seats map to parties beyond the bilateral case
        cls.three = os.path.join(cls.dir, "three.yaml")
        with truce.generate(n_issues=3, n_options=4, n_parties=3, seed=5) as sc:
            sc.save_yaml(cls.three)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def db(self, name):
        path = os.path.join(self.dir, name)
        self.assertFalse(os.path.exists(path))
        return path

    def test_rows_and_statistics_equal_the_cli(self):
        py, cli = self.db("py.db"), self.db("cli.db")
        res = truce.tournament(agents=AGENTS, scenarios=[CEASEFIRE, self.three], repetitions=2,
                               rounds=40, seed=7, db=py, threads=2)
        cli_tournament(cli, "--agents", ",".join(AGENTS), "--repetitions", "2", "--rounds",
                       "40", "--seed", "7", "--threads", "2", CEASEFIRE, self.three)
        # ceasefire: 3*2 ordered pairs; three parties: 3*2*1 orders; 2 repetitions each
        jobs = (6 + 6) * 2
        self.assertEqual(res.status, truce.Status(jobs, 0, jobs, False, res.status.seconds))
        self.assertEqual(len(res), jobs)
        records = res.to_records()
        self.assertEqual(len(records), 6 * 2 * 2 + 6 * 2 * 3)
        # the same rows as the CLI's own run, read back by the CLI (exact: %.17g round-trips)
        self.assertEqual(records, cli_csv_records(cli))
        self.assertEqual(records, truce.results(cli).to_records())
        self.assertEqual(without_elapsed(res.to_records("negotiation")),
                         without_elapsed(truce.results(cli).to_records("negotiation")))
        # (run_cli reads text: its line ends are \n)
        self.assertEqual(res.csv().replace("\r\n", "\n"),
                         run_cli("results", "--csv", "negotiations", py)[1])
        # statistics: those `truce results --json` prints, and equal for both databases
        stats = res.stats()
        assert_same(self, stats, cli_json("results", "--json", py))
        assert_same(self, stats, cli_json("results", "--json", cli))
        self.assertEqual(stats["negotiations"], jobs)
        self.assertTrue(stats["complete"])
        self.assertEqual([a["agent"] for a in res.agents], AGENTS)
        self.assertEqual([s["scenario"] for s in res.scenarios],
                         ["ceasefire", "synthetic-3x4-3p-s5"])
        self.assertEqual(res.pairwise, stats["pairwise"]["pairs"])
        self.assertEqual(len(res.pairwise), len(AGENTS) * (len(AGENTS) - 1) // 2)
        self.assertEqual(res.warnings, stats["warnings"])
        for name in ("agents", "scenarios", "head-to-head", "agent-scenario", "pairwise"):
            self.assertEqual(res.csv(name).replace("\r\n", "\n"),
                             run_cli("results", "--csv", name, py)[1])

    def test_records_are_consistent_with_the_negotiations_and_statistics(self):
        res = truce.tournament(agents=AGENTS, scenarios=[CEASEFIRE], repetitions=3, rounds=60,
                               seed=2, db=self.db("consistent.db"))
        sc = truce.load(CEASEFIRE)
        records = res.to_records()
        by_job = res.to_records("negotiation")
        for r in records:
            n = by_job[r["job"]]
            self.assertEqual(r["agent"], n["agents"][r["seat"]])
            self.assertEqual(r["party"], sc.parties[r["seat"]].name)
            self.assertEqual(r["utility"], n["utility"][r["seat"]])
            if r["agreement"]:  # the stored outcome has the stored undiscounted utility
                self.assertAlmostEqual(sc.utility(r["outcome"], r["seat"]),
                                       r["utility_undiscounted"], places=12)
                # and its labels are the scenario's (stored as text)
                self.assertEqual(r["outcome_labels"],
                                 {k: str(v) for k, v in sc.labels(r["outcome"]).items()})
            else:
                self.assertIsNone(r["outcome_labels"])
        # a negotiation rerun alone from its stored seed gives the stored result
        n = by_job[4]
        one = truce.negotiate(sc, n["agents"], rounds=60, seed=n["seed"], trace=False)
        self.assertEqual(one.utilities, n["utility"])
        self.assertEqual(one.rounds, n["rounds"])
        self.assertEqual(one.end, n["end_reason"])
        # head to head: the mean utility of the row agent against the column agent
        h2h = res.head_to_head
        for a in AGENTS:
            for b in AGENTS:
                if a == b:
                    self.assertNotIn(b, h2h[a])
                    continue
                mine = [r["utility"] for r in records if r["agent"] == a and
                        by_job[r["job"]]["agents"][1 - r["seat"]] == b]
                self.assertEqual(len(mine), 2 * 3)
                self.assertAlmostEqual(h2h[a][b], sum(mine) / len(mine), places=12)

    def test_a_yaml_definition_file_runs_as_with_the_cli(self):
        path = os.path.join(self.dir, "cup.yaml")
        with open(path, "w") as f:
            f.write("name: cup\nagents: [boulware, hardheaded, 'conceder:e=3']\n"
                    "scenarios: [three.yaml]\nrepetitions: 2\nrounds: 30\nseed: 11\n"
                    "permutations: no\n")
        with truce.Tournament.load(path) as t:
            self.assertEqual((t.jobs, t.n_agents, t.n_scenarios), (2, 3, 1))
            self.assertEqual(t.definition["name"], "cup")
        res = truce.tournament(file=path, db=self.db("cup.db"))
        cli = self.db("cup-cli.db")
        cli_tournament(cli, path)
        self.assertEqual(res.to_records(), cli_csv_records(cli))
        self.assertEqual(res.definition, truce.results(cli).definition)
        self.assertEqual(res.stats()["tournament"], "cup")

    def test_resume_after_a_limit_gives_the_rows_of_one_run(self):
        whole, parts = self.db("whole.db"), self.db("parts.db")
        kwargs = dict(agents=AGENTS, scenarios=[CEASEFIRE], repetitions=4, rounds=50, seed=3)
        truce.tournament(db=whole, **kwargs)
        first = truce.tournament(db=parts, limit=5, threads=1, **kwargs)
        self.assertEqual(first.status[:4], (24, 0, 5, False))
        self.assertEqual(len(first), 5)
        self.assertFalse(first.stats()["complete"])
        rest = truce.tournament(db=parts, **kwargs)
        self.assertEqual(rest.status[:4], (24, 5, 19, False))
        self.assertEqual(without_elapsed(rest.to_records("negotiation")),
                         without_elapsed(truce.results(whole).to_records("negotiation")))
        again = truce.tournament(db=parts, **kwargs)
        self.assertEqual(again.status[:4], (24, 24, 0, False))

    def big(self):
        # enough negotiations that one thread is still busy at the first progress report
        return truce.Tournament(["boulware", "conceder", "tft", "hardheaded"], [CEASEFIRE],
                                repetitions=500, rounds=1000)

    def test_the_progress_callback_stops_a_run_which_then_resumes(self):
        db = self.db("stopped.db")
        calls = []

        def progress(done, total, elapsed):
            calls.append((done, total, elapsed))
            return True

        with self.big() as t:
            res = t.run(db, threads=1, progress=progress)
            total = t.jobs
            self.assertEqual(total, 12 * 500)
            self.assertTrue(res.status.stopped)
            self.assertLess(res.status.ran, total)
            self.assertEqual(len(res), res.status.ran)  # what ran is committed
            # asked to stop at its first call; called once more at the end of the run
            self.assertEqual([c[1] for c in calls], [total] * len(calls))
            self.assertLessEqual(len(calls), 2)
            before = res.status.ran
            seen = []
            res = t.run(db, threads=2, progress=lambda *a: seen.append(a))
            self.assertEqual(res.status[:4], (total, before, total - before, False))
            self.assertEqual(len(res), total)
            self.assertEqual(seen[-1][:2], (total, total))
            self.assertTrue(all(a[0] <= b[0] for a, b in zip(seen, seen[1:])))

    def test_an_exception_in_the_progress_callback_stops_the_run_and_is_raised(self):
        db = self.db("raised.db")

        def progress(done, total, elapsed):
            raise KeyError("stop here")

        with self.big() as t:
            with self.assertRaises(KeyError):
                t.run(db, threads=1, progress=progress)
            done = len(truce.results(db))
            self.assertLess(done, t.jobs)
            res = t.run(db)
            self.assertEqual(res.status[:3], (t.jobs, done, t.jobs - done))

    def test_script_and_process_agents_play_in_tournaments(self):
        lua = "lua:" + os.path.join(EXAMPLES, "agents", "boulware.lua") + ":e=0.5"
        proc = "proc:%s %s:e=0.5" % (sys.executable,
                                     os.path.join(EXAMPLES, "agents", "time_dependent.py"))
        agents = [lua, proc, "conceder"]
        py, cli = self.db("scripts.db"), self.db("scripts-cli.db")
        res = truce.tournament(agents=agents, scenarios=[CEASEFIRE], rounds=30, db=py,
                               threads=2)
        cli_tournament(cli, "--agents", ",".join(agents), "--rounds", "30", "--threads", "2",
                       CEASEFIRE)
        records = res.to_records()
        self.assertEqual(records, cli_csv_records(cli))
        self.assertEqual({r["agent"] for r in records}, set(agents))
        self.assertFalse(any(r["at_fault"] for r in records), records)

    def test_a_failing_script_agent_is_at_fault_with_its_message(self):
        bad = os.path.join(self.dir, "bad.lua")
        with open(bad, "w") as f:
            f.write("function respond(state, offer) return 'reject' end\n"
                    "function propose(state)\n  error('gave up')\nend\n")
        res = truce.tournament(agents=["lua:" + bad, "boulware"], scenarios=[CEASEFIRE],
                               rounds=10, db=self.db("faults.db"))
        for r in res.to_records():
            self.assertEqual(r["end_reason"], "fault")
            self.assertEqual(r["at_fault"], r["agent"] != "boulware")
            self.assertIn("gave up", r["fault_message"])
            self.assertIn("bad.lua:3", r["fault_message"])
        self.assertEqual([a["faults"] for a in res.agents], [2, 0])

    def test_skipped_scenarios_are_kept_with_their_code_and_reason(self):
        broken = os.path.join(self.dir, "broken.yaml")
        with open(broken, "w") as f:
            f.write("truce: 1\nname: broken\nparties: []\n")
        with self.assertRaises(truce.TruceError):  # off: the broken file refuses the tournament
            truce.Tournament(AGENTS, [CEASEFIRE, broken])
        with truce.Tournament(AGENTS, [CEASEFIRE, broken], skip_unloadable=True) as t:
            self.assertEqual(t.n_scenarios, 1)
            self.assertEqual(len(t.skipped), 1)
            self.assertEqual(t.skipped[0]["path"], broken)
            self.assertEqual(t.skipped[0]["code"], "invalid")
            self.assertIn("broken.yaml:1", t.skipped[0]["reason"])
            reason = t.skipped[0]["reason"]
            res = t.run(self.db("skipped.db"))
        # stored by file name, the folder left out of the reason too
        self.assertEqual(res.skipped, [{"scenario": "broken.yaml", "code": "invalid",
                                        "reason": reason.replace(self.dir + "/", "")}])
        self.assertEqual(res.stats()["skipped_scenarios"], res.skipped)
        # the same through truce.tournament, and as truce results --json shows it
        again = truce.tournament(agents=AGENTS, scenarios=[CEASEFIRE, broken],
                                 skip_unloadable=True, db=res.db)
        self.assertEqual(again.skipped, res.skipped)
        self.assertEqual(cli_json("results", "--json", res.db)["skipped_scenarios"], res.skipped)

    def test_errors_are_truce_errors(self):
        with self.assertRaises(truce.TruceNotFoundError) as cm:
            truce.Tournament(["boulware", "nobody"], [CEASEFIRE])
        self.assertIn("nobody", str(cm.exception))
        with self.assertRaises(truce.TruceValueError):
            truce.Tournament(["boulware", "conceder:e=-1"], [CEASEFIRE])
        with self.assertRaises(truce.TruceError):
            truce.Tournament(["boulware"], [os.path.join(self.dir, "absent.yaml")])
        with self.assertRaises(TypeError) as cm:
            truce.Tournament(["boulware", truce.Agent()], [CEASEFIRE])
        self.assertIn("pass the class", str(cm.exception))
        with self.assertRaises(TypeError) as cm:
            truce.Tournament(["boulware", 3], [CEASEFIRE])
        self.assertIn("proc:", str(cm.exception))
        with self.assertRaises(TypeError):
            truce.tournament(agents=["boulware"])
        with self.assertRaises(TypeError) as cm:
            truce.tournament(file="cup.yaml", rounds=10)
        self.assertIn("rounds", str(cm.exception))
        # a database of another tournament is refused, naming what differs
        db = self.db("other.db")
        truce.tournament(agents=AGENTS, scenarios=[CEASEFIRE], db=db)
        with self.assertRaises(truce.TruceValueError) as cm:
            truce.tournament(agents=AGENTS, scenarios=[CEASEFIRE], rounds=99, db=db)
        self.assertIn("rounds", str(cm.exception))
        with self.assertRaises(FileNotFoundError):
            truce.results(os.path.join(self.dir, "absent.db"))
        foreign = self.db("foreign.db")
        with sqlite3.connect(foreign) as con:
            con.execute("CREATE TABLE t(x)")
        with self.assertRaises(truce.TruceValueError):
            truce.results(foreign)
        with self.assertRaises(truce.TruceValueError) as cm:
            truce.results(db).csv("nothing")
        self.assertIn("unknown table", str(cm.exception))
        with self.assertRaises(ValueError):
            truce.results(db).to_records(per="agent")

    def test_a_temporary_database_goes_with_its_results(self):
        res = truce.tournament(agents=AGENTS, scenarios=[CEASEFIRE])
        path = res.db
        self.assertTrue(os.path.exists(path))
        self.assertEqual(len(res.to_records()), 6 * 2)
        del res
        self.assertFalse(os.path.exists(path))

    def test_to_dataframe(self):
        res = truce.tournament(agents=AGENTS, scenarios=[CEASEFIRE], db=self.db("df.db"))
        saved = sys.modules.get("pandas")
        sys.modules["pandas"] = None  # as if pandas were not installed
        try:
            with self.assertRaises(ImportError) as cm:
                res.to_dataframe()
            self.assertIn("needs pandas", str(cm.exception))
            self.assertIn("to_records()", str(cm.exception))
        finally:
            if saved is None:
                del sys.modules["pandas"]
            else:
                sys.modules["pandas"] = saved
        try:
            import pandas  # noqa: F401
        except ImportError:
            self.skipTest("pandas is not installed: the DataFrame itself is not checked")
        for per in ("seat", "negotiation"):
            records = res.to_records(per)
            df = res.to_dataframe(per)
            self.assertEqual(len(df), len(records))
            self.assertEqual(list(df.columns), list(records[0]))
            for i, r in enumerate(records):
                self.assertEqual(df.iloc[i]["utility"], r["utility"])
                self.assertEqual(df.iloc[i]["agents" if per != "seat" else "agent"],
                                 r["agents" if per != "seat" else "agent"])


class ServedAgentTest(unittest.TestCase):
    """truce.Agent subclasses in tournaments: served as program agents by truce/serve.py."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_python_agent_classes_play_as_in_negotiate(self):
        from served_agents import Steady
        db = os.path.join(self.tmp.name, "served.db")
        res = truce.tournament(agents=[Steady, (Steady, {"threshold": 0.6}), "boulware"],
                               scenarios=[CEASEFIRE], repetitions=1, rounds=30, db=db)
        self.assertEqual(res.status.ran, 6)
        specs = [a["agent"] for a in res.agents]
        self.assertTrue(specs[0].startswith("proc:") and specs[0].endswith(" Steady"))
        self.assertTrue(specs[1].endswith(" Steady:threshold=0.6"))
        self.assertIsNone(os.environ.get("TRUCE_SERVE_SCENARIOS"))  # set only while it runs
        # every negotiation is the one truce.negotiate plays with the class in the process
        in_process = {specs[0]: Steady, specs[1]: ("threshold=0.6", Steady), "boulware":
                      "boulware"}
        sc = truce.load(CEASEFIRE)
        for n in res.to_records("negotiation"):
            self.assertIsNone(n["fault_message"])
            agents = []
            for spec in n["agents"]:
                a = in_process[spec]
                if isinstance(a, tuple):
                    a = a[1](params=a[0])
                agents.append(a)
            one = truce.negotiate(sc, agents, rounds=30, seed=n["seed"], trace=False)
            self.assertEqual(one.end, n["end_reason"])
            self.assertEqual(one.rounds, n["rounds"])
            self.assertEqual(one.utilities, n["utility"])

    def test_a_failing_python_agent_is_at_fault_and_the_tournament_goes_on(self):
        from served_agents import Broken
        db = os.path.join(self.tmp.name, "broken.db")
        res = truce.tournament(agents=[Broken, "boulware", "conceder"], scenarios=[CEASEFIRE],
                               rounds=30, db=db)
        self.assertEqual(res.status.ran, 6)
        for n in res.to_records("negotiation"):
            broken = [k for k, a in enumerate(n["agents"]) if a.startswith("proc:")]
            if broken:
                self.assertEqual(n["end_reason"], "fault")
                self.assertEqual(n["fault_seat"], broken[0])
                self.assertIn("act() raised KeyError: 'missing'", n["fault_message"])
            else:
                self.assertIsNone(n["fault_seat"])

    def test_agents_that_cannot_be_served_are_refused(self):
        class Local(truce.Agent):
            def act(self, turn):
                return truce.END
        with self.assertRaisesRegex(TypeError, "top level of a .py file"):
            truce.Tournament([Local, "boulware"], [CEASEFIRE])
        from served_agents import Steady
        with self.assertRaisesRegex(TypeError, "pass the class, not an instance"):
            truce.Tournament([Steady(), "boulware"], [CEASEFIRE])


if __name__ == "__main__":
    unittest.main()
