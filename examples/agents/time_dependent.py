#!/usr/bin/env python3
"""time_dependent.py: a truce agent in Python (standard library only), speaking the JSON Lines
protocol of docs/agent-protocol.md: concedes linearly in time from its best outcome to its
reservation value (exponent e, default 1), offers the outcome closest above its target and
accepts an offer worth at least that target. It keeps to its party's hard conditions: it bids
only outcomes whose options "start" lists as allowed, and never accepts an offer or a draft
marked "vetoed".

Run: truce negotiate --agents 'proc:python3 examples/agents/time_dependent.py:e=0.5',boulware SCENARIO
"""
import itertools
import json
import random
import sys

PROTOCOL = 1


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class Agent:
    def __init__(self, start):
        self.utility = start["utility"]
        self.best = start["best"]
        self.best_utility = start["best_utility"]
        self.reservation = start["reservation"]
        self.e = float(start["params"].get("e", 1))
        self.random = random.Random(start["seed"])
        sizes = [len(issue["options"]) for issue in start["issues"]]
        # the options its own hard conditions allow, per issue (every option without "allowed")
        self.allowed = start.get("allowed") or [list(range(n)) for n in sizes]
        self.bids = None  # every allowed outcome with its utility, best first (small spaces)
        space = 1
        for options in self.allowed:
            space *= len(options)
        if self.utility["kind"] == "additive" and space <= 200000:
            self.bids = sorted(
                ((self.value(o), list(o)) for o in itertools.product(*self.allowed)),
                key=lambda b: -b[0],
            )

    def value(self, outcome):
        if self.utility["kind"] != "additive":
            return None
        total = sum(row[k] for row, k in zip(self.utility["values"], outcome))
        return min(total, 1.0)

    def target(self, time):
        floor = max(self.reservation, 0.0)
        return self.best_utility - (self.best_utility - floor) * time ** (1 / self.e)

    def bid(self, target):
        if not self.bids:
            return self.best  # unknown utility function or too large a space: hold firm
        chosen = self.bids[0][1]
        for u, outcome in self.bids:
            if u < target:
                break
            chosen = outcome
        return chosen

    def turn(self, message):
        target = self.target(message["time"])
        if (
            message["offer"] is not None
            and not message.get("vetoed")
            and message["utility"] >= max(target, self.reservation)
        ):
            return {"action": "accept"}
        return {"action": "offer", "outcome": self.bid(target)}


def main():
    agent = None
    for line in sys.stdin:
        message = json.loads(line)
        kind = message["type"]
        if kind == "start":
            if message["protocol"] != PROTOCOL:
                sys.exit(f"time_dependent.py speaks protocol {PROTOCOL}")
            agent = Agent(message)
            send({"type": "ready", "protocol": PROTOCOL, "name": "time_dependent.py"})
        elif kind == "turn":
            send(agent.turn(message))
        elif kind == "review":
            # mediation: accept a draft worth the current target, else ask for its best options
            if not message.get("vetoed") and message["utility"] >= agent.target(message["time"]):
                send({"answer": "accept"})
            else:
                objections = [
                    {"issue": i, "option": best}
                    for i, (best, now) in enumerate(zip(agent.best, message["draft"]))
                    if best != now
                ]
                send({"answer": "object", "objections": objections[:2]})
        elif kind == "end":
            break


if __name__ == "__main__":
    main()
