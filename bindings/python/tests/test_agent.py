# test_agent.py: agents written in Python negotiate inside truce through the agent callbacks: a
# Python hardliner reproduces the built-in one, a Boulware-like agent plays built-in opponents,
# and whatever a Python agent raises or returns wrongly makes it the party at fault, not a crash.
"""Python agents through ctypes callbacks."""

import gc
import unittest

import truce
from support import CEASEFIRE, assert_same, corpus


class Hardliner(truce.Agent):
    """The built-in hardliner written again: always offers its best outcome and accepts an
    offer only if it is worth as much and above its reservation value."""

    name = "pyhardliner"

    def on_start(self, setup):
        outcomes = list(self.scenario.outcomes())
        utilities = self.scenario.utilities(outcomes, self.party)
        self.best_u = max(utilities)
        self.best = outcomes[list(utilities).index(self.best_u)]
        self.reservation = self.scenario.parties[self.party].reservation

    def act(self, turn):
        if turn.offer is not None and turn.offer_utility >= self.reservation and \
                turn.offer_utility >= self.best_u:
            return truce.ACCEPT
        return self.best


class Boulware(truce.Agent):
    """Time-dependent concession (Faratin et al. 1998): target utility
    r + (1 - r)(1 - t^(1/e)); accepts an offer at least as good as its target; offers the
    outcome closest above its target. Records what it observes."""

    def on_start(self, setup):
        self.e = float(dict(kv.split("=") for kv in self.params.split(":") if kv).get("e", 0.2))
        outcomes = list(self.scenario.outcomes())
        utilities = self.scenario.utilities(outcomes, self.party)
        self.ranked = sorted(zip(utilities, outcomes))
        self.reservation = self.scenario.parties[self.party].reservation
        self.events = []
        self.offered = []
        self.setup = setup

    def target(self, t):
        return self.reservation + (self.ranked[-1][0] - self.reservation) * (1 - t ** (1 / self.e))

    def act(self, turn):
        target = self.target(turn.time)
        if turn.offer is not None and turn.offer_utility >= target:
            return truce.ACCEPT
        offer = next(o for u, o in self.ranked if u >= target)
        self.offered.append((turn.time, self.utility(offer)))
        return self.scenario.labels(offer)  # dicts of labels work as offers too

    def observe(self, event):
        self.events.append(event)


class Raiser(truce.Agent):
    def __init__(self, when="act", after=0):
        super().__init__()
        self.when, self.after, self.turns = when, after, 0

    def on_start(self, setup):
        if self.when == "start":
            raise RuntimeError("no start")

    def act(self, turn):
        self.turns += 1
        if self.when == "act" and self.turns > self.after:
            raise RuntimeError("boom at turn %d" % self.turns)
        return self.scenario.outcome([0] * len(self.scenario.issues))

    def observe(self, event):
        if self.when == "observe":
            raise KeyError("observing")


class Returns(truce.Agent):
    def __init__(self, value):
        super().__init__()
        self.value = value

    def act(self, turn):
        return self.value


class PythonAgentTest(unittest.TestCase):
    def test_python_hardliner_reproduces_the_builtin_one(self):
        for path in (CEASEFIRE,):
            sc = truce.load(path)
            for opponent in ("boulware", "conceder:e=3", "tft", "hardheaded"):
                for seat in (0, 1):
                    for seed in (1, 2):
                        py = [opponent, opponent]
                        c = [opponent, opponent]
                        py[seat], c[seat] = Hardliner, "hardliner"
                        a = truce.negotiate(sc, py, seed=seed)
                        b = truce.negotiate(sc, c, seed=seed)
                        self.assertEqual(a.to_dict(), b.to_dict(), (opponent, seat, seed))
                        self.assertEqual(a.trace[0]["agents"][seat], "pyhardliner")
                        self.assertEqual(a.trace[1:], b.trace[1:])
                        self.assertIsNone(a.exception)

    def test_python_boulware_plays_builtin_agents(self):
        sc = truce.load(CEASEFIRE)
        for opponent in ("boulware", "conceder", "linear", "tft", "micro", "hardliner"):
            agent = Boulware("e=0.2")
            r = truce.negotiate(sc, [agent, opponent], rounds=60, seed=3)
            self.assertIsNone(r.exception)
            self.assertIsNone(r.fault)
            self.assertIn(r.end, ("agreement", "deadline"))
            # it saw every action, in the trace's order, its own included
            actions = [t for t in r.trace if t["type"] in ("offer", "accept")]
            self.assertEqual(len(agent.events), len(actions))
            for ev, t in zip(agent.events, actions):
                self.assertEqual((ev.kind, sc.parties[ev.actor].name, ev.round),
                                 (t["type"], t["actor"], t["round"]))
                self.assertEqual(sc.labels(ev.offer), t["outcome"])
            # its offers never fall below its target, and the deadline is the setup's
            for t, u in agent.offered:
                self.assertGreaterEqual(u, agent.target(t) - 1e-12)
            self.assertEqual(agent.setup.max_rounds, 60)
            self.assertEqual(agent.setup.party_name, "russia")
            if r.agreement:
                assert_same(self, r.utilities_undiscounted, sc.utility(r.outcome))

    def test_python_agents_play_each_other_and_multilateral(self):
        sc = truce.load(CEASEFIRE)
        r = truce.negotiate(sc, [Boulware("e=0.5"), Boulware], seed=1)
        self.assertTrue(r.agreement)
        self.assertEqual(r.trace[0]["agents"], ["boulware:e=0.5", "boulware"])
        dinner = truce.load(corpus("genius/anac/y2015/group2-dinner"))
        r = truce.negotiate(dinner, [Boulware, "conceder", "tft"], seed=2)
        self.assertIsNone(r.fault)
        self.assertEqual(len(r.utilities), 3)

    def test_an_agent_that_raises_is_at_fault(self):
        sc = truce.load(CEASEFIRE)
        for seat in (0, 1):
            agents = ["conceder", "conceder"]
            agents[seat] = Raiser("act", after=2)
            with truce.Negotiation(sc, agents, trace=True) as ng:
                for seed in (1, 2):  # the negotiation stays usable
                    agents[seat].turns = 0
                    r = ng.run(seed)
                    self.assertEqual(r.end, "fault")
                    self.assertEqual(r.fault, sc.parties[seat].name)
                    self.assertFalse(r.agreement)
                    self.assertIsInstance(r.exception, RuntimeError)
                    self.assertEqual(str(r.exception), "boom at turn 3")
                    self.assertEqual(r.fault_message, "act() raised RuntimeError: boom at turn 3")
                    self.assertEqual(r.trace[-1]["fault"], sc.parties[seat].name)
                    self.assertEqual(r.rounds, 3)
                    # no deal: each gets its reservation value
                    assert_same(self, r.utilities_undiscounted,
                                [p.reservation for p in sc.parties])
        r = truce.negotiate(sc, ["boulware", Raiser("observe")])
        self.assertEqual((r.end, r.fault), ("fault", "ukraine"))
        self.assertIsInstance(r.exception, KeyError)
        self.assertEqual(r.fault_message, "observe() raised KeyError: 'observing'")

    def test_invalid_actions_are_faults(self):
        sc = truce.load(CEASEFIRE)
        for value, error in (((0, 0, 0), ValueError), ((9, 0, 0, 0), IndexError),
                             (("nowhere", 0, 0, 0), KeyError), (None, TypeError),
                             (3.5, TypeError)):
            r = truce.negotiate(sc, ["boulware", Returns(value)])
            self.assertEqual((r.end, r.fault), ("fault", "ukraine"), value)
            self.assertIsInstance(r.exception, error, value)
        # accepting when there is no offer: a fault the protocol finds, no exception
        r = truce.negotiate(sc, [Returns(truce.ACCEPT), "boulware"])
        self.assertEqual((r.end, r.fault, r.exception), ("fault", "russia", None))
        self.assertEqual(r.fault_message, "accepted when there was no offer to accept")
        r = truce.negotiate(sc, ["boulware", Returns(truce.END)])
        self.assertEqual((r.end, r.fault), ("walk-away", None))

    def test_an_agent_failing_to_start_is_an_error_naming_it(self):
        sc = truce.load(CEASEFIRE)
        with self.assertRaises(truce.TruceValueError) as cm:
            truce.Negotiation(sc, ["boulware", Raiser("start")])
        self.assertIn("agent 'raiser' of party 'ukraine' raised RuntimeError: no start",
                      str(cm.exception))
        self.assertIsInstance(cm.exception.__cause__, RuntimeError)
        self.assertEqual(cm.exception.field, "raiser")
        agent = Hardliner()
        with self.assertRaises(ValueError):
            truce.Negotiation(sc, [agent, agent])

    def test_interrupts_in_callbacks_reach_the_caller(self):
        class Interrupt(truce.Agent):
            def act(self, turn):
                raise KeyboardInterrupt

        with self.assertRaises(KeyboardInterrupt):
            truce.negotiate(CEASEFIRE, ["boulware", Interrupt])

    def test_callbacks_stay_alive_while_c_may_call_them(self):
        sc = truce.load(CEASEFIRE)
        ng = truce.Negotiation(sc, [Hardliner(), "boulware"])
        gc.collect()  # nothing but the negotiation holds the agent and its callbacks
        want = truce.negotiate(sc, ["hardliner", "boulware"], seed=4).to_dict()
        for _ in range(3):
            self.assertEqual(ng.run(4).to_dict(), want)
            gc.collect()
        del ng
        gc.collect()


if __name__ == "__main__":
    unittest.main()
