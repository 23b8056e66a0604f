# analysis.py: truce_analyze from Python: the Pareto frontier, the Nash, Kalai-Smorodinsky and
# max-welfare points and the zone of agreement, handed back as plain Python values.
"""Exact analysis of a scenario."""

from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_size_t, c_uint32, c_void_p
from ctypes import create_string_buffer
import weakref

from . import _lib

_analyze = _lib.fn("truce_analyze", c_int, POINTER(c_void_p), c_void_p,
                   POINTER(_lib.AnalysisOptions), POINTER(_lib.Error))
_free = _lib.fn("truce_analysis_free", None, c_void_p)
_approximate = _lib.fn("truce_analysis_is_approximate", c_int, c_void_p)
_method = _lib.fn("truce_analysis_method", c_char_p, c_void_p)
_pareto_count = _lib.fn("truce_analysis_pareto_count", c_int, c_void_p, c_void_p, c_size_t)
_pareto_size = _lib.fn("truce_analysis_pareto_size", c_size_t, c_void_p)
_pareto_point = _lib.fn("truce_analysis_pareto_point", POINTER(c_double), c_void_p, c_size_t)
_pareto_outcome = _lib.fn("truce_analysis_pareto_outcome", c_int, c_void_p, c_size_t,
                          POINTER(c_uint32))
_solution = _lib.fn("truce_analysis_solution", c_int, c_void_p, c_int, POINTER(c_double),
                    POINTER(c_uint32), POINTER(c_double))
_zopa = _lib.fn("truce_analysis_zopa", c_int, c_void_p)
_feasible_count = _lib.fn("truce_analysis_feasible_count", c_int, c_void_p, c_void_p, c_size_t)
_time = _lib.fn("truce_analysis_time", c_double, c_void_p)
_reservation = _lib.fn("truce_analysis_reservation", c_double, c_void_p, c_size_t)
_binds = _lib.fn("truce_analysis_hard_conditions_bind", c_int, c_void_p)
_ignoring = _lib.fn("truce_analysis_ignoring_hard_conditions", c_void_p, c_void_p)
_criterion = _lib.fn("truce_solution_criterion", c_char_p, c_int)

NASH, KALAI_SMORODINSKY, MAX_WELFARE = 0, 1, 2


class Solution:
    """A bargaining solution over the bargainers (the principals) and the feasible outcomes:
    `utilities` (one per party of the scenario), `outcome` (tuple of option indices), `labels`
    ({issue: value}), `value` (the Nash product, the Kalai-Smorodinsky ratio or the welfare
    sum, over the bargainers) and `criterion` (how it is chosen, one sentence)."""

    __slots__ = ("utilities", "outcome", "labels", "value", "criterion")

    def __init__(self, utilities, outcome, labels, value, criterion):
        self.utilities = utilities
        self.outcome = outcome
        self.labels = labels
        self.value = value
        self.criterion = criterion

    def to_dict(self):
        """As `truce analyze --json` prints it."""
        return {"utilities": list(self.utilities), "outcome": self.labels, "value": self.value,
                "criterion": self.criterion}

    def __repr__(self):
        return "Solution(utilities=%r, value=%r)" % (self.utilities, self.value)


class Pareto:
    """The Pareto frontier: `size` (number of Pareto-optimal outcomes, a Python int, exact), and
    the distinct utility vectors `points` (tuples, by the first party's utility, descending).
    len() and indexing go over the points; outcome(k) is one outcome with point k's utilities."""

    def __init__(self, analysis):
        self._analysis = analysis

    @property
    def size(self):
        buf = create_string_buffer(8192)
        _lib.check(_pareto_count(self._analysis._handle, buf, len(buf)), _lib.Error())
        return int(buf.value)

    @property
    def points(self):
        a = self._analysis
        if a._points is None:  # cached by the analysis (no reference cycle through Pareto)
            h = a._handle
            n = len(a.scenario.parties)
            a._points = [tuple(_pareto_point(h, k)[:n]) for k in range(_pareto_size(h))]
        return a._points

    def __len__(self):
        return _pareto_size(self._analysis._handle)

    def __getitem__(self, k):
        return self.points[k]

    def __iter__(self):
        return iter(self.points)

    def outcome(self, k):
        """An outcome (tuple of indices) with the utilities of point k."""
        if not 0 <= k < len(self):
            raise IndexError("frontier point %d out of range" % k)
        out = (c_uint32 * max(1, len(self._analysis.scenario.issues)))()
        _lib.check(_pareto_outcome(self._analysis._handle, k, out), _lib.Error())
        return tuple(out[: len(self._analysis.scenario.issues)])


def analyze(scenario, max_outcomes=None, max_frontier=None, max_nodes=None, approximate=False,
            seed=None, effort=None, time=None, max_work=None):
    """Analyse a scenario exactly over its bargainers (the principals) and feasible outcomes
    (no bargainer's hard condition broken), reservation values read at relative `time` (or,
    with approximate=True, heuristically when the exact method exceeds a limit, and say so in
    `approximate`). The options are those of `truce analyze`. Raises TruceLimitError when
    exact analysis exceeds a limit."""
    opts = _lib.options(_lib.AnalysisOptions, max_outcomes=max_outcomes,
                        max_frontier=max_frontier, max_nodes=max_nodes,
                        approximate=int(bool(approximate)), seed=seed, approx_effort=effort,
                        time=time, max_work=max_work)
    err = _lib.Error()
    out = c_void_p()
    _lib.check(_analyze(byref(out), scenario._handle, byref(opts), byref(err)), err)
    return Analysis(out.value, scenario)


class _Results:
    """What one analysis holds (the feasible one, or the one ignoring hard conditions)."""

    def _read(self):
        self._points = None
        self.nash = self._solution(NASH)
        self.kalai_smorodinsky = self._solution(KALAI_SMORODINSKY)
        self.max_welfare = self._solution(MAX_WELFARE)
        self.zopa = bool(_zopa(self._handle))
        self.approximate = bool(_approximate(self._handle))
        self.method = _lib.decode(_method(self._handle))

    @property
    def pareto(self):
        return Pareto(self)

    welfare = property(lambda self: self.max_welfare)
    ks = property(lambda self: self.kalai_smorodinsky)

    def _solution(self, which):
        np_, ni = len(self.scenario.parties), len(self.scenario.issues)
        u = (c_double * np_)()
        o = (c_uint32 * max(1, ni))()
        value = c_double()
        if _solution(self._handle, which, u, o, byref(value)) != 1:
            return None
        outcome = tuple(o[:ni])
        return Solution(tuple(u), outcome, self.scenario.labels(outcome), value.value,
                        _lib.decode(_criterion(which)))

    def _solutions_dict(self, with_points):
        sol = [s.to_dict() if s else None
               for s in (self.nash, self.kalai_smorodinsky, self.max_welfare)]
        pareto = {"size": self.pareto.size, "distinct": len(self.pareto)}
        if with_points:
            pareto["points"] = [list(p) for p in self.pareto.points]
        return {"zopa": self.zopa, "pareto": pareto, "nash": sol[0], "kalai_smorodinsky": sol[1],
                "max_welfare": sol[2], "approximate": self.approximate, "method": self.method}


class IgnoringHardConditions(_Results):
    """The same analysis over every outcome, ignoring hard conditions (what they cost):
    borrowed from its Analysis, valid while that one is open."""

    def __init__(self, ptr, analysis):
        self._ptr = ptr
        self._owner = weakref.ref(analysis)  # no reference cycle: the parent holds us
        self.scenario = analysis.scenario
        self._read()

    @property
    def _handle(self):
        owner = self._owner()
        if owner is None or owner.closed:
            raise ValueError("the analysis this belongs to is closed")
        return self._ptr

    def to_dict(self):
        return self._solutions_dict(False)


class Analysis(_lib.Handle, _Results):
    """The result of Scenario.analyze(), over the bargainers and feasible outcomes (see
    docs/analysis.md): `pareto` (Pareto), `nash`, `kalai_smorodinsky`, `max_welfare`
    (Solution, or None when it does not exist), `zopa` (bool), `approximate`, `method`,
    `time` (when reservation values were read), `reservation` (per party, at that time),
    `n_feasible` (feasible outcomes, exact), `hard_conditions_bind` and
    `ignoring_hard_conditions` (IgnoringHardConditions, or None when no hard condition binds).
    Solutions are read once, into plain Python objects."""

    _free = _free

    def __init__(self, ptr, scenario):
        super().__init__(ptr, scenario)
        self.scenario = scenario
        self._read()
        self.time = _time(self._handle)
        self.reservation = tuple(_reservation(self._handle, p)
                                 for p in range(len(scenario.parties)))
        buf = create_string_buffer(8192)
        _lib.check(_feasible_count(self._handle, buf, len(buf)), _lib.Error())
        self.n_feasible = int(buf.value)
        self.hard_conditions_bind = bool(_binds(self._handle))
        free = _ignoring(self._handle)
        self.ignoring_hard_conditions = IgnoringHardConditions(free, self) if free else None

    def to_dict(self):
        """The fields of `truce analyze --json` that come from the analysis."""
        d = self._solutions_dict(True)
        d["time"] = self.time
        d["reservation"] = list(self.reservation)
        d["n_feasible"] = self.n_feasible
        d["ignoring_hard_conditions"] = (self.ignoring_hard_conditions.to_dict()
                                         if self.ignoring_hard_conditions else None)
        return d

    def __repr__(self):
        return "Analysis(%r, frontier %d points, nash=%r)" % (
            self.scenario.name, len(self.pareto), self.nash and self.nash.utilities)
