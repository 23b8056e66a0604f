# tournament.py: tournaments from Python: defining one (agent specs x scenarios) or loading its
# YAML file, running it into a resumable SQLite database with a progress callback, and reading
# the results (statistics as dicts, one record per negotiation and seat, a pandas DataFrame).
"""Tournaments and their results databases (docs/results.md)."""

import errno
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import weakref
from collections import namedtuple
from ctypes import POINTER, byref, c_char_p, c_int, c_size_t, c_uint64, c_void_p

from . import _lib
from .agent import Agent

_create = _lib.fn("truce_tournament_create", c_int, POINTER(c_void_p),
                  POINTER(_lib.TournamentDefinition), POINTER(_lib.Error))
_load = _lib.fn("truce_tournament_load", c_int, POINTER(c_void_p), c_char_p, c_void_p,
                POINTER(_lib.Error))
_free = _lib.fn("truce_tournament_free", None, c_void_p)
_job_count = _lib.fn("truce_tournament_job_count", c_uint64, c_void_p)
_scenario_count = _lib.fn("truce_tournament_scenario_count", c_size_t, c_void_p)
_agent_count = _lib.fn("truce_tournament_agent_count", c_size_t, c_void_p)
_definition_json = _lib.fn("truce_tournament_definition_json", c_char_p, c_void_p)
_scenario_path = _lib.fn("truce_tournament_scenario_path", c_char_p, c_void_p, c_size_t)
_skipped_count = _lib.fn("truce_tournament_skipped_count", c_size_t, c_void_p)
_skipped_path = _lib.fn("truce_tournament_skipped_path", c_char_p, c_void_p, c_size_t)
_skipped_code = _lib.fn("truce_tournament_skipped_code", c_char_p, c_void_p, c_size_t)
_skipped_reason = _lib.fn("truce_tournament_skipped_reason", c_char_p, c_void_p, c_size_t)
_run = _lib.fn("truce_tournament_run", c_int, c_void_p, c_char_p,
               POINTER(_lib.TournamentRunOptions), POINTER(_lib.TournamentStatus),
               POINTER(_lib.Error))
_stats = _lib.fn("truce_results_stats", c_int, POINTER(c_void_p), c_char_p, POINTER(_lib.Error))
_csv = _lib.fn("truce_results_csv", c_int, POINTER(c_void_p), c_char_p, c_char_p,
               POINTER(_lib.Error))

Status = namedtuple("Status", "total before ran stopped seconds")
Status.__doc__ = """What one run did: jobs (negotiations) of the tournament, found already done
in the database, run and committed now, whether the progress callback stopped it, and its
wall-clock seconds."""

# The columns of to_records(): those of `truce results --csv negotiations`, in its order.
SEAT_COLUMNS = ("job", "scenario", "repetition", "seed", "seat", "agent", "party", "utility",
                "utility_undiscounted", "agreement", "end_reason", "rounds", "time", "welfare",
                "pareto_distance", "nash_distance", "at_fault", "fault_message", "outcome",
                "outcome_labels")
NEGOTIATION_COLUMNS = ("job", "scenario", "matchup", "repetition", "seed", "agents", "parties",
                       "agreement", "end_reason", "rounds", "time", "outcome", "outcome_labels",
                       "utility",
                       "utility_undiscounted", "welfare", "pareto_distance", "nash_distance",
                       "fault_seat", "fault_message", "elapsed")


def _served_spec(cls, params):
    """The program-agent spec that serves a truce.Agent subclass (truce/serve.py)."""
    import inspect
    from . import serve
    try:
        source = inspect.getsourcefile(cls)
    except TypeError:
        source = None
    name = cls.__qualname__
    if not source or not os.path.isfile(source) or "<locals>" in name:
        raise TypeError(
            "a Python agent class plays in a tournament from the file it is defined in (truce "
            "runs it as a program, one process per negotiation): define %s at the top level "
            "of a .py file, not interactively or inside a function" % cls.__name__)
    parts = [sys.executable, os.path.abspath(serve.__file__), os.path.abspath(source), name]
    for p in parts:
        if not p or any(c in p for c in " :,\t\n"):
            raise ValueError(
                "%r cannot be part of an agent spec (no spaces, colons or commas: the spec is "
                "proc:COMMAND split at spaces): move it to a path without them" % p)
    return "proc:" + " ".join(parts) + "".join(":%s=%s" % kv for kv in (params or {}).items())


def _is_agent_class(agent):
    return isinstance(agent, type) and issubclass(agent, Agent)


def _spec(agent):
    """An agent spec string (as truce_agent_parse takes it) from a spec, (name, params), a
    truce.Agent subclass or (subclass, params)."""
    if isinstance(agent, tuple):
        name, params = agent
        if _is_agent_class(name):
            return _served_spec(name, params)
        return name + "".join(":%s=%s" % kv for kv in params.items())
    if _is_agent_class(agent):
        return _served_spec(agent, None)
    if isinstance(agent, str):
        return agent
    raise TypeError(
        "tournament agents are spec strings ('boulware', 'conceder:e=3', 'lua:agent.lua', "
        "'proc:python3 agent.py'), (name, {params}), or truce.Agent subclasses (served as "
        "programs), not %r%s" % (agent, ": pass the class, not an instance (every negotiation "
        "gets a fresh one)" if isinstance(agent, Agent) else ""))


def _path(scenario):
    if isinstance(scenario, (str, os.PathLike)):
        return os.fsdecode(scenario)
    raise TypeError("tournament scenarios are paths (a .yaml file, a GENIUS folder, a folder of "
                    "scenarios or a glob), not %r: save a generated scenario with "
                    "Scenario.save_yaml() first" % (scenario,))


class Tournament(_lib.Handle):
    """A tournament: every matchup of `agents` (spec strings, (name, {params}) tuples, or
    truce.Agent subclasses, alone or as (class, {params}): each is served as a program agent,
    one process per negotiation, by truce/serve.py) on
    every scenario (paths, folders of scenarios or globs), `repetitions` times, with a deadline
    of `rounds` (clock "genius" or "turn", ties "index" or "genius": see Negotiation), or of
    `seconds` of wall-clock time (GENIUS's relative time: results then depend on the
    machine), every negotiation seeded from `seed` and its job number. permutations: every
    assignment of agents to seats (False: one per set of agents); self_play: agents may meet
    themselves; negotiation_timeout: wall-clock seconds a negotiation with a lua:/proc: agent
    may take before that agent is at fault ("timeout:"); skip_unloadable: leave out scenarios
    that fail to load or that these agents cannot play (Tournament.skipped says which and why)
    instead of refusing the tournament; legacy: also read GENIUS's legacy formats (as
    truce.load). Everything is checked (agents, parameters, scenarios) before any work.
    Tournament.load(path) reads a YAML definition instead (docs/results.md). run(db) runs it."""

    _free = _free

    def __init__(self, agents, scenarios, repetitions=1, rounds=100, seed=1, permutations=True,
                 self_play=False, real_steps=None, name=None, base_dir=None, clock="genius",
                 ties="index", seconds=None, negotiation_timeout=None, skip_unloadable=False,
                 legacy=False):
        super().__init__()
        if isinstance(agents, str) or isinstance(scenarios, (str, os.PathLike)):
            raise TypeError("agents and scenarios are lists (of specs, of paths)")
        if os.environ.get("TRUCE_SERVING"):
            raise RuntimeError(
                "a tournament started inside a served Python agent's process: the file that "
                "defines the agent starts a tournament when it is loaded; put that under "
                "if __name__ == \"__main__\":")
        specs = [_spec(a).encode() for a in agents]
        self._serves = any(_is_agent_class(a) or (isinstance(a, tuple) and
                                                  _is_agent_class(a[0])) for a in agents)
        paths = [_lib.encode(_path(s)) for s in scenarios]
        d = _lib.options(_lib.TournamentDefinition, repetitions=repetitions, rounds=rounds,
                         seed=seed, permutations=int(bool(permutations)),
                         self_play=int(bool(self_play)), real_steps=real_steps,
                         clock=_lib.choice(_lib.CLOCKS, "clock", clock),
                         ties=_lib.choice(_lib.TIES, "ties", ties),
                         seconds=seconds, negotiation_timeout=negotiation_timeout,
                         skip_unloadable=int(bool(skip_unloadable)), legacy=int(bool(legacy)))
        agent_array = (c_char_p * max(1, len(specs)))(*specs)
        path_array = (c_char_p * max(1, len(paths)))(*paths)
        d.agents, d.n_agents = agent_array, len(specs)
        d.scenarios, d.n_scenarios = path_array, len(paths)
        d.name = name.encode() if name is not None else None
        d.base_dir = _lib.encode(base_dir) if base_dir is not None else None
        err = _lib.Error()
        out = c_void_p()
        _lib.check(_create(byref(out), byref(d), byref(err)), err)
        self._attach(out.value)

    @classmethod
    def load(cls, path):
        """The tournament of a YAML definition file (relative paths start at its folder)."""
        self = cls.__new__(cls)
        _lib.Handle.__init__(self)
        self._serves = False
        err = _lib.Error()
        out = c_void_p()
        _lib.check(_load(byref(out), _lib.encode(path), None, byref(err)), err)
        self._attach(out.value)
        return self

    def _serve_scenarios(self):
        """Tell the processes serving Python agents where the scenarios are: a JSON file named
        by TRUCE_SERVE_SCENARIOS while the tournament runs. Returns what undoes it."""
        folder = tempfile.mkdtemp(prefix="truce-serve-")
        listing = os.path.join(folder, "scenarios.json")
        steps = self.definition.get("real_steps")
        with open(listing, "w", encoding="utf-8") as f:
            json.dump([{"path": os.path.abspath(_lib.decode(_scenario_path(self._handle, i))),
                        "real_steps": steps} for i in range(self.n_scenarios)], f)
        before = os.environ.get("TRUCE_SERVE_SCENARIOS")
        os.environ["TRUCE_SERVE_SCENARIOS"] = listing

        def undo():
            if before is None:
                os.environ.pop("TRUCE_SERVE_SCENARIOS", None)
            else:
                os.environ["TRUCE_SERVE_SCENARIOS"] = before
            shutil.rmtree(folder, ignore_errors=True)
        return undo

    @property
    def jobs(self):
        """Number of negotiations."""
        return _job_count(self._handle)

    @property
    def n_scenarios(self):
        return _scenario_count(self._handle)

    @property
    def n_agents(self):
        return _agent_count(self._handle)

    @property
    def skipped(self):
        """The scenarios left out under skip_unloadable: a list of dicts with the path, a
        stable code ("malformed", "too-few-parties", ...: docs/results.md) and the reason."""
        h = self._handle
        return [{"path": _lib.decode(_skipped_path(h, k)),
                 "code": _lib.decode(_skipped_code(h, k)),
                 "reason": _lib.decode(_skipped_reason(h, k))}
                for k in range(_skipped_count(h))]

    @property
    def definition(self):
        """The canonical definition (a dict): a database made for another one is refused."""
        return json.loads(_lib.decode(_definition_json(self._handle)))

    def run(self, db=None, threads=None, limit=None, batch=None, progress=None):
        """Run every negotiation missing from the SQLite database `db` (created when absent;
        None: a temporary one, deleted with the Results) on `threads` worker threads (None:
        one per core) and return its Results (Results.status says what this run did).
        Running again with the same db resumes: only what is missing runs. limit: run at most
        this many negotiations now. batch: rows per transaction. progress(done, total,
        elapsed_seconds) is called about ten times a second and at the end, from this thread;
        a true return value stops the run (finished negotiations are kept). An exception in
        progress (Ctrl-C included) stops the run too, and is raised once the finished
        negotiations are committed. Errors (a database of another tournament, an unwritable
        file) raise TruceError."""
        cleanup = None
        if db is None:
            cleanup = tempfile.mkdtemp(prefix="truce-")
            db = os.path.join(cleanup, "results.db")
        raised = []

        def on_progress(done, total, elapsed, payload):
            try:
                return 1 if progress is not None and progress(done, total, elapsed) else 0
            except BaseException as e:  # noqa: B902: stops the run; raised after it
                raised.append(e)
                return 1

        # a callback even without `progress`: Ctrl-C reaches Python code in it and stops the run
        callback = _lib.PROGRESS_FN(on_progress)
        opts = _lib.options(_lib.TournamentRunOptions, threads=threads or 0, batch=batch or 0,
                            limit=limit or 0)
        opts.progress = callback
        status = _lib.TournamentStatus()
        err = _lib.Error()
        served = self._serve_scenarios() if self._serves else None
        try:
            rc = _run(self._handle, _lib.encode(db), byref(opts), byref(status), byref(err))
            if raised:
                raise raised[0]
            _lib.check(rc, err)
        except BaseException:
            if cleanup:
                shutil.rmtree(cleanup, ignore_errors=True)
            raise
        finally:
            if served:
                served()
        results = Results(db, _cleanup=cleanup)
        results.status = Status(status.total, status.before, status.ran, bool(status.stopped),
                                status.seconds)
        return results


def tournament(agents=None, scenarios=None, *, file=None, db=None, repetitions=None,
               rounds=None, seed=None, threads=None, permutations=None, self_play=None,
               real_steps=None, name=None, base_dir=None, limit=None, batch=None,
               progress=None, clock=None, ties=None, seconds=None, negotiation_timeout=None,
               skip_unloadable=None, legacy=None):
    """Run a tournament and return its Results: `truce tournament` from Python. Define it with
    agents (spec strings: built-in agents with parameters, "lua:SCRIPT", "proc:COMMAND"; or
    truce.Agent subclasses) and scenarios (paths), or give file= a YAML definition file. See
    Tournament for the definition (defaults: repetitions=1, rounds=100, seed=1,
    permutations=True, self_play=False, clock="genius", ties="index"; seconds=S for a
    wall-clock deadline, negotiation_timeout=S for lua:/proc: agents, skip_unloadable=True,
    legacy=True) and
    Tournament.run for db, threads, limit, batch and progress."""
    definition = {k: v for k, v in (("repetitions", repetitions), ("rounds", rounds),
                                    ("seed", seed), ("permutations", permutations),
                                    ("self_play", self_play), ("real_steps", real_steps),
                                    ("name", name), ("base_dir", base_dir), ("clock", clock),
                                    ("ties", ties), ("seconds", seconds),
                                    ("negotiation_timeout", negotiation_timeout),
                                    ("skip_unloadable", skip_unloadable), ("legacy", legacy))
                  if v is not None}
    if file is not None:
        if agents is not None or scenarios is not None or definition:
            raise TypeError("file= holds the whole definition: give no agents, scenarios or %s"
                            % ", ".join(sorted(definition)) if definition else
                            "give either file= or agents and scenarios, not both")
        t = Tournament.load(file)
    else:
        if agents is None or scenarios is None:
            raise TypeError("give agents and scenarios, or file= a tournament definition")
        t = Tournament(agents, scenarios, **definition)
    with t:
        return t.run(db, threads=threads, limit=limit, batch=batch, progress=progress)


def results(db):
    """The Results of an existing tournament database (also while it is being filled)."""
    return Results(db)


def _json_list(text):
    return json.loads(text) if text is not None else None


class Results:
    """The results of a tournament in its SQLite database `db` (docs/results.md). Nothing is
    cached: every call reads the database as it is now.

    stats()          the statistics of `truce results --json` as dicts
    agents           per-agent statistics (stats()["agents"]): cells, mean utility with its
                     95% CI over cells, rank and rank_range, rates, ...
    scenarios        per-scenario statistics (stats()["scenarios"])
    pairwise         Wilcoxon signed-rank tests between agents, Holm-corrected
    warnings         what the statistics warn about
    skipped          the scenarios left out under skip_unloadable: scenario, code, reason
    head_to_head     {agent: {opponent: mean utility of agent against opponent}}
    to_records()     one dict per negotiation and seat (per="negotiation": per negotiation)
    to_dataframe()   the same as a pandas DataFrame
    csv(table)       one table as CSV text, as `truce results --csv TABLE`
    status           what the run that returned these results did (None from truce.results)
    """

    def __init__(self, db, _cleanup=None):
        self.db = os.fsdecode(db)
        self.status = None
        if _cleanup:  # a temporary database: removed with this object
            self._finalizer = weakref.finalize(self, shutil.rmtree, _cleanup, True)
        with self._connect():  # fail now for a missing file or another kind of database
            pass

    def _connect(self):
        if not os.path.exists(self.db):
            raise FileNotFoundError(errno.ENOENT, "no such results database", self.db)
        try:
            con = sqlite3.connect("file:%s?mode=ro" % _uri_path(self.db), uri=True,
                                  timeout=10)
            con.execute("SELECT value FROM meta WHERE key = 'definition'").fetchone()
            return con
        except sqlite3.DatabaseError as e:
            raise _lib.TruceValueError("%s: not a truce results database (%s)" % (self.db, e),
                                       _lib.EINVAL, self.db) from e

    def _read(self, sql):
        con = self._connect()
        try:
            return con.execute(sql).fetchall()
        except sqlite3.DatabaseError as e:
            raise _lib.TruceIOError("%s: results database: cannot read (%s)" % (self.db, e),
                                    _lib.EIO, self.db) from e
        finally:
            con.close()

    def stats(self):
        """Per agent the mean and 95% confidence interval of its utility, agreement rate,
        welfare, distances to the Pareto frontier and Nash point, faults; per scenario; and
        the head-to-head matrix: the JSON of `truce results --json` (docs/results.md)."""
        out = c_void_p()
        err = _lib.Error()
        _lib.check(_stats(byref(out), _lib.encode(self.db), byref(err)), err)
        return json.loads(_lib.take_string(out.value))

    @property
    def agents(self):
        return self.stats()["agents"]

    @property
    def scenarios(self):
        return self.stats()["scenarios"]

    @property
    def pairwise(self):
        """The Wilcoxon signed-rank test of every pair of agents on their paired cells, with
        Holm-adjusted p-values: a list of dicts (a, b, pairs, p, p_holm, significant, better,
        ...; docs/results.md)."""
        return self.stats()["pairwise"]["pairs"]

    @property
    def warnings(self):
        """What the statistics warn about (e.g. the deadline deciding the results)."""
        return self.stats()["warnings"]

    @property
    def skipped(self):
        """The scenarios the tournament left out under skip_unloadable, as stored in its
        definition: a list of dicts with the scenario's file name, a stable code (None in
        databases made before codes) and the reason (stats()["skipped_scenarios"])."""
        return self.stats()["skipped_scenarios"]

    @property
    def head_to_head(self):
        """{agent: {opponent: mean utility}}, only for pairs that met."""
        h = self.stats()["head_to_head"]
        names = h["agents"]
        return {a: {b: h["mean"][i][j] for j, b in enumerate(names) if h["n"][i][j]}
                for i, a in enumerate(names)}

    @property
    def definition(self):
        """The tournament's canonical definition (a dict)."""
        rows = self._read("SELECT value FROM meta WHERE key = 'definition'")
        return json.loads(rows[0][0])

    def __len__(self):
        """Negotiations stored."""
        return self._read("SELECT count(*) FROM negotiations")[0][0]

    def csv(self, table="negotiations"):
        """One table as CSV text: "negotiations" (one row per negotiation and seat), "agents",
        "scenarios" or "head-to-head" (as `truce results --csv TABLE`)."""
        out = c_void_p()
        err = _lib.Error()
        _lib.check(_csv(byref(out), _lib.encode(self.db), table.encode(), byref(err)), err)
        return _lib.take_string(out.value)

    def to_records(self, per="seat"):
        """The negotiations as a list of dicts, in job order.

        per="seat" (default): one dict per negotiation and seat, the rows of `truce results
        --csv negotiations`: job, scenario (name), repetition, seed, seat, agent (spec), party
        (the seat's party), utility (discounted), utility_undiscounted, agreement (bool),
        end_reason, rounds, time, welfare, pareto_distance, nash_distance (None without
        agreement), at_fault (bool: this seat's agent failed), fault_message (the
        negotiation's, None without fault), outcome (option indices, None without
        agreement) and outcome_labels ({issue: option label}, None without agreement or in a
        database made before truce stored labels).

        per="negotiation": one dict per negotiation: job, scenario, matchup, repetition, seed,
        agents and parties (one per seat), agreement, end_reason, rounds, time, outcome,
        outcome_labels, utility and utility_undiscounted (lists, one per seat), welfare, pareto_distance,
        nash_distance, fault_seat (None without fault), fault_message and elapsed (seconds)."""
        if per not in ("seat", "negotiation"):
            raise ValueError("per is 'seat' or 'negotiation', not %r" % (per,))
        con = self._connect()
        try:
            agents = dict(con.execute("SELECT id, spec FROM agents"))
            labels = {}
            if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'options'").fetchone():
                labels = {(sc, issue, option): (name, label) for sc, issue, option, name, label
                          in con.execute("SELECT scenario, issue, option, issue_name, label "
                                         "FROM options")}
            scenarios = {i: (name, json.loads(parties)) for i, name, parties in
                         con.execute("SELECT id, name, parties_json FROM scenarios")}
            rows = con.execute(
                "SELECT job, scenario, matchup, repetition, seed, agents, agreement, end_reason,"
                " rounds, time, outcome, utility, utility_undiscounted, welfare, pareto_distance,"
                " nash_distance, fault_seat, fault_message, elapsed FROM negotiations"
                " ORDER BY job").fetchall()
        except sqlite3.DatabaseError as e:
            raise _lib.TruceIOError("%s: results database: cannot read (%s)" % (self.db, e),
                                    _lib.EIO, self.db) from e
        finally:
            con.close()
        records = []
        for (job, scenario, matchup, repetition, seed, seat_agents, agreement, end, rounds,
             time, outcome, utility, utility_u, welfare, pareto, nash, fault_seat, fault_message,
             elapsed) in rows:
            name, parties = scenarios[scenario]
            ids = json.loads(seat_agents)
            outcome = _json_list(outcome)
            named = None
            if outcome is not None and labels:
                named = dict(labels[(scenario, k, o)] for k, o in enumerate(outcome))
            utility = json.loads(utility)
            utility_u = json.loads(utility_u)
            if per == "negotiation":
                records.append({
                    "job": job, "scenario": name, "matchup": matchup, "repetition": repetition,
                    "seed": int(seed), "agents": [agents[a] for a in ids],
                    "parties": list(parties), "agreement": bool(agreement), "end_reason": end,
                    "rounds": rounds, "time": time, "outcome": outcome, "outcome_labels": named,
                    "utility": utility,
                    "utility_undiscounted": utility_u, "welfare": welfare,
                    "pareto_distance": pareto, "nash_distance": nash, "fault_seat": fault_seat,
                    "fault_message": fault_message, "elapsed": elapsed})
                continue
            for seat, a in enumerate(ids):
                records.append({
                    "job": job, "scenario": name, "repetition": repetition, "seed": int(seed),
                    "seat": seat, "agent": agents[a], "party": parties[seat],
                    "utility": utility[seat], "utility_undiscounted": utility_u[seat],
                    "agreement": bool(agreement), "end_reason": end, "rounds": rounds,
                    "time": time, "welfare": welfare, "pareto_distance": pareto,
                    "nash_distance": nash, "at_fault": fault_seat == seat,
                    "fault_message": fault_message,
                    "outcome": list(outcome) if outcome is not None else None,
                    "outcome_labels": dict(named) if named is not None else None})
        return records

    def to_dataframe(self, per="seat"):
        """to_records(per) as a pandas DataFrame (columns in the order to_records documents).
        Needs pandas: ImportError saying so when it is not installed."""
        try:
            import pandas
        except ImportError as e:
            raise ImportError(
                "Results.to_dataframe() needs pandas, which is not installed (Debian: apt-get "
                "install python3-pandas; or pip install pandas); Results.to_records() gives "
                "the same rows as a list of dicts") from e
        columns = SEAT_COLUMNS if per == "seat" else NEGOTIATION_COLUMNS
        return pandas.DataFrame.from_records(self.to_records(per), columns=list(columns))

    def __repr__(self):
        return "Results(%r)" % self.db


def _uri_path(path):
    """path for a file: URI (absolute, with the characters URIs reserve escaped)."""
    from urllib.parse import quote
    return quote(os.path.abspath(path))
