# served_agents.py: truce.Agent classes the tournament tests play as served programs (a file of
# their own, as truce/serve.py loads agents from the file that defines them).
"""Python agents for test_tournament.py."""

import truce


class Steady(truce.Agent):
    """Offers its best outcome; accepts an offer worth at least threshold - 0.5 t
    (threshold from its parameters, default 0.9). Deterministic."""

    def on_start(self, setup):
        self.threshold = 0.9
        for item in filter(None, self.params.split(":")):
            key, value = item.split("=")
            if key == "threshold":
                self.threshold = float(value)
        outcomes = list(self.scenario.outcomes())
        utilities = self.scenario.utilities(outcomes, self.party)
        self.best = max(zip(utilities, outcomes))[1]
        self.seen = 0

    def act(self, turn):
        if turn.offer is not None and turn.offer_utility >= self.threshold - 0.5 * turn.time:
            return truce.ACCEPT
        return self.best

    def observe(self, event):
        self.seen += 1


class Broken(truce.Agent):
    """Fails in its third round."""

    def act(self, turn):
        if turn.round >= 3:
            return {}["missing"]
        return tuple(0 for _ in self.scenario.issues)
