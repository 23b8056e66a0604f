# bench_overhead.py: what calling libtruce from Python costs per negotiation: the same runs through
# the C command line (truce negotiate --repeat) and through the binding in its ways; prints JSON.
"""Usage: PYTHONPATH=bindings/python TRUCE_LIBRARY=build/libtruce.so.0 \\
       python3 bindings/python/bench/bench_overhead.py --truce build/truce [--runs 10000]

Every figure is the minimum and the median of --repeat measurements of --runs negotiations
(the machines here are shared and noisy); times are microseconds per negotiation."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import truce

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


class PyBoulware(truce.Agent):
    """A Boulware agent in Python (target r + (1 - r)(1 - t^5)), for the callback path."""

    name = "pyboulware"

    def on_start(self, setup):
        if not hasattr(self, "ranked"):  # the tables survive across runs
            outcomes = list(self.scenario.outcomes())
            self.ranked = sorted(zip(self.scenario.utilities(outcomes, self.party), outcomes))
            self.reservation = self.scenario.parties[self.party].reservation

    def act(self, turn):
        target = self.reservation + (1 - self.reservation) * (1 - turn.time ** 5)
        if turn.offer is not None and turn.offer_utility >= target:
            return truce.ACCEPT
        return next((o for u, o in self.ranked if u >= target), self.ranked[-1][1])


def timed(job, runs, repeat):
    """Minimum and median microseconds per negotiation over `repeat` measurements."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        job(runs)
        samples.append((time.perf_counter() - start) / runs * 1e6)
    return {"min_us": round(min(samples), 3), "median_us": round(statistics.median(samples), 3)}


def cli(binary, scenario, agents, runs, repeat):
    samples, result = [], None
    for _ in range(repeat):
        out = subprocess.run([binary, "negotiate", "--json", "--agents", ",".join(agents),
                              "--repeat", str(runs), scenario], capture_output=True, text=True,
                             check=True).stdout
        result = json.loads(out)
        samples.append(1e6 / result["negotiations_per_second"])
    return {"min_us": round(min(samples), 3), "median_us": round(statistics.median(samples), 3),
            "mean_rounds": result["mean_rounds"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truce", default=os.path.join(ROOT, "build", "truce"))
    ap.add_argument("--scenario", default=os.path.join(ROOT, "examples", "genius", "ceasefire"))
    ap.add_argument("--agents", default="boulware,conceder")
    ap.add_argument("--runs", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    agents = a.agents.split(",")
    sc = truce.load(a.scenario)
    figures = {}

    figures["c_cli_repeat"] = cli(a.truce, a.scenario, agents, a.runs, a.repeat)

    with truce.Negotiation(sc, agents) as ng:
        def reuse(n):
            for seed in range(n):
                ng.run(seed)
        figures["python_negotiation_run"] = timed(reuse, a.runs, a.repeat)

    with truce.Negotiation(sc, agents, trace=True) as ng:
        def traced(n):
            for seed in range(n):
                ng.run(seed)
        figures["python_negotiation_run_traced"] = timed(traced, a.runs, a.repeat)

    def one_shot(n):
        for seed in range(n):
            truce.negotiate(sc, agents, seed=seed, trace=False)
    figures["python_negotiate_call"] = timed(one_shot, a.runs, a.repeat)

    agent = PyBoulware()
    py_runs = max(1, a.runs // 10)
    with truce.Negotiation(sc, [agent, agents[1]]) as ng:
        rounds = []

        def python_agent(n):
            for seed in range(n):
                rounds.append(ng.run(seed).rounds)
        figures["python_agent_vs_c_agent"] = timed(python_agent, py_runs, a.repeat)
        figures["python_agent_vs_c_agent"]["runs"] = py_runs
        figures["python_agent_vs_c_agent"]["mean_rounds"] = statistics.mean(rounds)
        figures["python_agent_vs_c_agent"]["per_python_turn_us"] = round(
            figures["python_agent_vs_c_agent"]["min_us"] / statistics.mean(rounds), 3)

    c = figures["c_cli_repeat"]["min_us"]
    overhead = {k: round(v["min_us"] - c, 3) for k, v in figures.items()
                if k.startswith("python_negotiat")}
    print(json.dumps({
        "benchmark": "python_binding_overhead",
        "scenario": sc.name,
        "agents": agents,
        "runs": a.runs,
        "repeat": a.repeat,
        "python": sys.version.split()[0],
        "library": truce.library_path,
        "figures": figures,
        "overhead_us_per_negotiation": overhead,
    }, indent=2))


if __name__ == "__main__":
    main()
