# negotiation.py: negotiations from Python: the shared outcome-space tables, a reusable
# negotiation between built-in and Python agents, its results and its JSON Lines trace.
"""Negotiations under the (stacked) alternating offers protocol."""

import ctypes
import json
import math
import weakref
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_long, c_size_t, c_uint32
from ctypes import c_uint64, c_void_p

from . import _lib
from .agent import Agent, _Binding

_space_create = _lib.fn("truce_space_create", c_int, POINTER(c_void_p), c_void_p,
                        POINTER(_lib.SpaceOptions), POINTER(_lib.Error))
_space_free = _lib.fn("truce_space_free", None, c_void_p)
_agent_parse = _lib.fn("truce_agent_parse", c_int, POINTER(_lib.AgentSpec), c_char_p,
                       POINTER(_lib.Error))
_agent_count = _lib.fn("truce_agent_count", c_size_t)
_agent_name = _lib.fn("truce_agent_name", c_char_p, c_size_t)
_agent_params = _lib.fn("truce_agent_params", c_char_p, c_size_t)
_agent_description = _lib.fn("truce_agent_description", c_char_p, c_size_t)
_agent_year = _lib.fn("truce_agent_year", c_int, c_size_t)
_agent_reference = _lib.fn("truce_agent_reference", c_char_p, c_size_t)


class _AgentParam(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("fallback", c_char_p), ("range", c_char_p),
                ("meaning", c_char_p)]


_param_count = _lib.fn("truce_agent_param_count", c_size_t, c_size_t)
_param_info = _lib.fn("truce_agent_param_info", POINTER(_AgentParam), c_size_t, c_size_t)
_create = _lib.fn("truce_negotiation_create", c_int, POINTER(c_void_p), c_void_p,
                  POINTER(_lib.AgentSpec), c_size_t, POINTER(_lib.NegotiationOptions),
                  POINTER(_lib.Error))
_free = _lib.fn("truce_negotiation_free", None, c_void_p)
_seat_count = _lib.fn("truce_negotiation_seat_count", c_size_t, c_void_p)
_seat_party = _lib.fn("truce_negotiation_seat_party", c_size_t, c_void_p, c_size_t)
_run = _lib.fn("truce_negotiation_run", c_int, c_void_p, c_uint64, POINTER(_lib.Error))
_agreement = _lib.fn("truce_negotiation_agreement", c_int, c_void_p)
_outcome = _lib.fn("truce_negotiation_outcome", POINTER(c_uint32), c_void_p)
_utility = _lib.fn("truce_negotiation_utility", c_double, c_void_p, c_size_t)
_utility_u = _lib.fn("truce_negotiation_utility_undiscounted", c_double, c_void_p, c_size_t)
_rounds = _lib.fn("truce_negotiation_rounds", c_uint64, c_void_p)
_time = _lib.fn("truce_negotiation_time", c_double, c_void_p)
_fault = _lib.fn("truce_negotiation_fault", c_long, c_void_p)
_fault_message = _lib.fn("truce_negotiation_fault_message", c_char_p, c_void_p)
_end = _lib.fn("truce_negotiation_end_reason", c_char_p, c_void_p)
_pareto_distance = _lib.fn("truce_negotiation_pareto_distance", c_double, c_void_p)
_nash_distance = _lib.fn("truce_negotiation_nash_distance", c_double, c_void_p)


def agents():
    """The built-in agents: a list of (name, parameters, description)."""
    return [(_lib.decode(_agent_name(i)), _lib.decode(_agent_params(i)),
             _lib.decode(_agent_description(i))) for i in range(_agent_count())]


def agent_info(name):
    """What truce knows of built-in agent `name` (as `truce agents` lists it): a dict with
    "name", "params" (the parameter text), "description", "year" and "reference" (the ANAC
    year and the published description it was written from; None for the other agents) and
    "parameters": the documented parameters, each a dict with "name", "default", "range" and
    "meaning" (empty for the ANAC agents, whose parameters "params" and docs/anac-agents.md
    give). Raises TruceNotFoundError for an unknown name."""
    for i in range(_agent_count()):
        if _lib.decode(_agent_name(i)) != name:
            continue
        year = _agent_year(i)
        parameters = []
        for k in range(_param_count(i)):
            p = _param_info(i, k)
            if p:
                parameters.append({"name": _lib.decode(p.contents.name),
                                   "default": _lib.decode(p.contents.fallback),
                                   "range": _lib.decode(p.contents.range),
                                   "meaning": _lib.decode(p.contents.meaning)})
        return {"name": name, "params": _lib.decode(_agent_params(i)),
                "description": _lib.decode(_agent_description(i)),
                "year": year or None, "reference": _lib.decode(_agent_reference(i)),
                "parameters": parameters}
    raise _lib.TruceNotFoundError(f"agent_info: no built-in agent named {name!r} (see agents())",
                                  _lib.ENOTFOUND, "", 0, 0, "name")


class Space(_lib.Handle):
    """The per-scenario tables negotiations share (utilities, sorted outcomes, frontier and Nash
    point for scoring). Built once per scenario by Scenario._get_space()."""

    _free = _space_free

    def __init__(self, scenario, max_outcomes=None, analyze=True, ties="index"):
        opts = _lib.options(_lib.SpaceOptions, max_outcomes=max_outcomes, analyze=int(analyze),
                            ties=_lib.choice(_lib.TIES, "ties", ties))
        self.ties = ties
        err = _lib.Error()
        out = c_void_p()
        _lib.check(_space_create(byref(out), scenario._handle, byref(opts), byref(err)), err)
        super().__init__()
        # the scenario caches its space: holding it back would make a reference cycle, and
        # every negotiation on the space holds the scenario anyway
        self._attach(out.value, scenario, keep_parent=False)


def _none_if_nan(x):
    return None if math.isnan(x) else x


class Result:
    """One negotiation's result. `parties` (seat names, in turn order), `agreement` (bool),
    `outcome` ({issue: value} or None), `outcome_indices` (tuple or None), `utilities`
    (discounted as GENIUS does) and `utilities_undiscounted` (per seat), `rounds`, `time`,
    `end` ("agreement", "deadline", "walk-away" or "fault"), `fault` (name of the party at
    fault or None), `fault_message` (what it did wrong: "invalid offer: ...", a Lua script's
    error, "act() raised KeyError: 'x'" for a Python agent; None without fault),
    `pareto_distance` and `nash_distance` (None without agreement), `seed`,
    `exception` (what a Python agent raised, which made it the party at fault, or None) and
    `trace` (the JSON Lines trace as a list of dicts, docs/trace.md; None when not traced)."""

    def __init__(self, negotiation, seed, trace_lines, exception):
        h = negotiation._handle
        sc = negotiation.scenario
        self.seed = seed
        self.parties = list(negotiation.seats)
        n = len(self.parties)
        self.agreement = bool(_agreement(h))
        ptr = _outcome(h)
        ni = len(sc.issues)
        self.outcome_indices = tuple(ptr[:ni]) if ptr else None
        self._scenario = sc
        self._outcome = None
        self.utilities = [_utility(h, k) for k in range(n)]
        self.utilities_undiscounted = [_utility_u(h, k) for k in range(n)]
        self.rounds = _rounds(h)
        self.time = _time(h)
        self.end = _lib.decode(_end(h))
        fault = _fault(h)
        self.fault = self.parties[fault] if fault >= 0 else None
        self.fault_message = _lib.decode(_fault_message(h)) if fault >= 0 else None
        self.pareto_distance = _none_if_nan(_pareto_distance(h))
        self.nash_distance = _none_if_nan(_nash_distance(h))
        self.exception = exception
        self.trace_lines = trace_lines
        self._trace = None

    @property
    def outcome(self):
        if self._outcome is None and self.outcome_indices is not None:
            self._outcome = self._scenario.labels(self.outcome_indices)
        return self._outcome

    @property
    def trace(self):
        if self.trace_lines is None:
            return None
        if self._trace is None:
            self._trace = [json.loads(line) for line in self.trace_lines]
        return self._trace

    def to_dict(self):
        """The object `truce negotiate --json` prints for the same run."""
        return {
            "parties": list(self.parties),
            "agreement": self.agreement,
            "outcome": self.outcome,
            "utilities": list(self.utilities),
            "utilities_undiscounted": list(self.utilities_undiscounted),
            "rounds": self.rounds,
            "time": self.time,
            "end": self.end,
            "pareto_distance": self.pareto_distance,
            "nash_distance": self.nash_distance,
            "fault": self.fault,
            "fault_message": self.fault_message,
        }

    def __repr__(self):
        return "Result(%s after %d rounds, utilities=%r%s)" % (
            "agreement" if self.agreement else self.end, self.rounds, self.utilities,
            ", fault=%r" % self.fault if self.fault else "")


class Negotiation(_lib.Handle):
    """A negotiation between one agent per principal of the scenario, created once and run many
    times (run(seed) is cheap: nothing is rebuilt). Agents are built-in agent specifications
    ("boulware", "conceder:e=3", ("tft", {"d": 0.5})), truce.Agent subclasses or instances
    (one instance per seat). Deadline: `rounds`, or `seconds` of wall-clock time. clock: the
    time agents see under a deadline in rounds, "genius" (round r of N at r/(N+1) for every
    party) or "turn" (each turn its own time, the first at 0); ties: the order among outcomes
    of equal utility, "index" or "genius" (docs/agents.md). trace: False (no trace, fastest),
    True (each Result carries its trace) or a callable given each trace record as a dict while
    the negotiation runs."""

    _free = _free

    def __init__(self, scenario, agents, rounds=100, seconds=None, trace=False, clock="genius",
                 ties="index"):
        super().__init__()
        self._bindings = []  # Python agents: their class structs and callbacks stay alive here
        self._trace_cb = None
        clock_value = _lib.choice(_lib.CLOCKS, "clock", clock)
        space = scenario._get_space(ties)
        self.scenario = scenario
        self._keep = []
        n = len(agents)
        specs = (_lib.AgentSpec * max(1, n))()
        seen = set()
        for k, agent in enumerate(agents):
            self._spec(specs[k], agent, seen)
        self._trace_mode = trace
        self._lines = None
        self._trace_error = None
        opts = _lib.options(_lib.NegotiationOptions,
                            max_rounds=0 if seconds else rounds, max_seconds=seconds or 0.0,
                            clock=clock_value)
        if trace:
            # through a weak reference: a bound method would make a cycle, and the negotiation
            # could then only be freed by the cyclic garbage collector
            this = weakref.ref(self)
            self._trace_cb = _lib.TRACE_FN(lambda r, n, p: this()._on_trace(r, n, p))
            opts.trace = self._trace_cb
        err = _lib.Error()
        out = c_void_p()
        rc = _create(byref(out), space._handle, specs, n, byref(opts), byref(err))
        if rc < 0:
            cause = self._agent_exception()
            self.close()
            raise _lib.error_from(rc, err) from cause
        self._attach(out.value, space)
        self.seats = [scenario.parties[_seat_party(out.value, k)].name
                      for k in range(_seat_count(out.value))]

    def _spec(self, spec, agent, seen):
        if isinstance(agent, type) and issubclass(agent, Agent):
            agent = agent()
        if isinstance(agent, Agent):
            if id(agent) in seen:
                raise ValueError("the same Agent instance plays two seats: give one per seat")
            seen.add(id(agent))
            binding = _Binding(agent, self.scenario)
            self._bindings.append(binding)
            spec.cls = ctypes.pointer(binding.cls)
            spec.params = binding.params
            return
        if isinstance(agent, tuple):
            name, params = agent
            agent = name + "".join(":%s=%s" % kv for kv in params.items())
        if not isinstance(agent, str):
            raise TypeError("an agent is a built-in agent's name, or a truce.Agent, not %r" %
                            (agent,))
        text = agent.encode()
        self._keep.append(text)
        err = _lib.Error()
        _lib.check(_agent_parse(byref(spec), text, byref(err)), err)

    def _on_trace(self, record, length, payload):
        try:
            line = ctypes.string_at(record, length).decode("utf-8")
            if callable(self._trace_mode):
                self._trace_mode(json.loads(line))
            else:
                self._lines.append(line)
            return 0
        except BaseException as e:  # noqa: B902: anything stops the run, reported after it
            self._trace_error = e
            return 1

    def close(self):
        super().close()
        for b in self._bindings:  # the callbacks are no longer needed: break their cycles
            b.release()
        self._bindings = []
        self._trace_cb = None

    def _agent_exception(self):
        for b in self._bindings:
            if b.exception is not None:
                return b.exception
        return None

    def run(self, seed=1):
        """Run once with this seed and return a Result. Raises TruceError for a bad agent
        parameter or a failing trace callback (chained to its exception); a Python agent that
        raises during the run is at fault instead (Result.fault, Result.exception)."""
        h = self._handle
        for b in self._bindings:
            b.exception = None
        self._lines = [] if self._trace_mode is True else None
        self._trace_error = None
        err = _lib.Error()
        rc = _run(h, seed, byref(err))
        cause = self._trace_error or self._agent_exception()
        if isinstance(cause, (KeyboardInterrupt, SystemExit)):
            raise cause
        if rc < 0:
            raise _lib.error_from(rc, err) from cause
        return Result(self, seed, self._lines, self._agent_exception())


def negotiate(scenario, agents, rounds=100, seconds=None, seed=1, trace=True, clock="genius",
              ties="index"):
    """Run one negotiation and return its Result (with its trace unless trace=False). scenario:
    a Scenario or a path truce.load() accepts. See Negotiation for agents and deadlines; to
    run many negotiations, create a Negotiation once and call run(seed) on it."""
    owned = None
    if not hasattr(scenario, "_get_space"):
        from .scenario import load
        scenario = owned = load(scenario)
    try:
        with Negotiation(scenario, agents, rounds=rounds, seconds=seconds, trace=trace,
                         clock=clock, ties=ties) as ng:
            return ng.run(seed)
    finally:
        if owned is not None:
            owned.close()
