# bench_overhead.py: what calling libtruce from Python costs per negotiation: the same runs
# through the C command line (truce negotiate --repetitions) and through the binding in its ways,
# and a whole tournament run by `truce tournament` and by truce.tournament(); prints JSON.
"""Usage: PYTHONPATH=bindings/python TRUCE_LIBRARY=build/libtruce.so.0 \\
       python3 bindings/python/bench/bench_overhead.py --truce build/truce [--runs 10000]

Every figure is the minimum and the median of --repeat measurements of --runs negotiations
(the machines here are shared and noisy); times are microseconds per negotiation. The
tournament figures are seconds for the whole tournament (--tournament-repetitions of every
ordered pair of --tournament-agents on the scenario, into a fresh database each time): the CLI
as a process (start included), truce.tournament() inside a running interpreter, and reading
the results back with to_records()."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
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
                              "--repetitions", str(runs), scenario], capture_output=True,
                             text=True, check=True).stdout
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
    ap.add_argument("--tournament-agents", default="boulware,conceder,tft,hardheaded")
    ap.add_argument("--tournament-repetitions", type=int, default=500)
    ap.add_argument("--threads", type=int, default=0, help="tournament threads (0: all cores)")
    ap.add_argument("--only", choices=("negotiation", "tournament"),
                    help="measure only one of the two")
    a = ap.parse_args()
    agents = a.agents.split(",")
    sc = truce.load(a.scenario)
    if a.only != "negotiation":
        tournament = tournament_figures(a)
        if a.only == "tournament":
            print(json.dumps({"benchmark": "python_binding_overhead", "python":
                              sys.version.split()[0], "library": truce.library_path,
                              "tournament": tournament}, indent=2))
            return
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
        "tournament": tournament,
    }, indent=2))


def tournament_figures(a):
    """The same tournament through the CLI and through truce.tournament(), in seconds."""
    agents = a.tournament_agents.split(",")
    reps = a.tournament_repetitions
    cli_s, py_s, py_c_s, read_s, jobs = [], [], [], [], None
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.repeat):
            db = os.path.join(tmp, "cli%d.db" % i)
            start = time.perf_counter()
            subprocess.run([a.truce, "tournament", "--quiet", "--db", db, "--agents",
                            ",".join(agents), "--repetitions", str(reps), "--threads",
                            str(a.threads or os.cpu_count() or 1), a.scenario], check=True)
            cli_s.append(time.perf_counter() - start)
            db = os.path.join(tmp, "py%d.db" % i)
            start = time.perf_counter()
            res = truce.tournament(agents=agents, scenarios=[a.scenario], repetitions=reps,
                                   db=db, threads=a.threads or None)
            py_s.append(time.perf_counter() - start)
            py_c_s.append(res.status.seconds)
            jobs = res.status.total
            start = time.perf_counter()
            records = res.to_records()
            read_s.append(time.perf_counter() - start)
    figures = {
        "negotiations": jobs,
        "seat_records": len(records),
        "cli_process_s": {"min": round(min(cli_s), 4),
                          "median": round(statistics.median(cli_s), 4)},
        "python_tournament_s": {"min": round(min(py_s), 4),
                                "median": round(statistics.median(py_s), 4)},
        "python_run_inside_c_s": {"min": round(min(py_c_s), 4),
                                  "median": round(statistics.median(py_c_s), 4)},
        "python_to_records_s": {"min": round(min(read_s), 4),
                                "median": round(statistics.median(read_s), 4)},
    }
    figures["python_minus_cli_s"] = round(figures["python_tournament_s"]["min"] -
                                          figures["cli_process_s"]["min"], 4)
    figures["python_setup_and_callback_s"] = round(figures["python_tournament_s"]["min"] -
                                                   figures["python_run_inside_c_s"]["min"], 4)
    return figures


if __name__ == "__main__":
    main()
