# model.py: the model checks, advice and trade-offs (JSON reports of libtruce, parsed into dicts)
# and mediated talks under the single negotiating text procedure.
"""Checks, advice, trade-offs and mediation."""

import json
import math
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_long, c_size_t, c_uint32
from ctypes import addressof, c_void_p, cast

from . import _lib

_check = _lib.fn("truce_check", c_int, POINTER(c_void_p), c_void_p, POINTER(_lib.CheckOptions),
                 POINTER(_lib.Error))
_advise = _lib.fn("truce_advise", c_int, POINTER(c_void_p), c_void_p, c_size_t,
                  POINTER(c_size_t), c_size_t, POINTER(_lib.CheckOptions), POINTER(_lib.Error))
_tradeoffs = _lib.fn("truce_tradeoffs", c_int, POINTER(c_void_p), c_void_p, POINTER(_lib.Error))
_evaluate = _lib.fn("truce_evaluate", c_int, POINTER(c_void_p), c_void_p, POINTER(c_uint32),
                    POINTER(_lib.CheckOptions), POINTER(_lib.Error))
_mediate = _lib.fn("truce_mediate", c_int, POINTER(c_void_p), c_void_p,
                   POINTER(_lib.MediationOptions), POINTER(_lib.Error))
_mediation_free = _lib.fn("truce_mediation_free", None, c_void_p)
_m_end = _lib.fn("truce_mediation_end", c_char_p, c_void_p)
_m_reason = _lib.fn("truce_mediation_reason", c_char_p, c_void_p)
_m_fault = _lib.fn("truce_mediation_fault", c_long, c_void_p)
_agent_parse = _lib.fn("truce_agent_parse", c_int, POINTER(_lib.AgentSpec), c_char_p,
                       POINTER(_lib.Error))
_m_agreement = _lib.fn("truce_mediation_agreement", c_int, c_void_p)
_m_draft = _lib.fn("truce_mediation_draft", POINTER(c_uint32), c_void_p)
_m_iterations = _lib.fn("truce_mediation_iterations", c_uint32, c_void_p)
_m_utility = _lib.fn("truce_mediation_utility", c_double, c_void_p, c_size_t)
_m_nash_distance = _lib.fn("truce_mediation_nash_distance", c_double, c_void_p)
_m_report = _lib.fn("truce_mediation_report", c_int, c_void_p, POINTER(c_void_p),
                    POINTER(_lib.Error))


_robust = _lib.fn("truce_robust", c_int, POINTER(c_void_p), c_void_p,
                  POINTER(_lib.RobustOptions), POINTER(_lib.Error))
_robust_report = _lib.fn("truce_robust_report", c_int, c_void_p, POINTER(c_void_p),
                         POINTER(_lib.Error))
_robust_free = _lib.fn("truce_robust_free", None, c_void_p)


def _json_call(call, *args):
    out = c_void_p()
    err = _lib.Error()
    _lib.check(call(byref(out), *args, byref(err)), err)
    return json.loads(_lib.take_string(out.value))


def _check_options(time, max_outcomes, max_relaxation, thin_margin=None):
    return _lib.options(_lib.CheckOptions, time=time, max_outcomes=max_outcomes,
                        max_relaxation=max_relaxation, thin_margin=thin_margin)


def check(scenario, time=None, max_outcomes=None, max_relaxation=None, margins=True):
    """`truce check`: channels, agenda deadlocks, zone of agreement with its margin
    (docs/check.md, docs/robustness.md#margins), a dict."""
    opts = _check_options(time, max_outcomes, max_relaxation)
    opts.margins = int(bool(margins))
    return _json_call(_check, scenario._handle, byref(opts))


def advise(scenario, party, acceptable_to=(), time=None, max_outcomes=None, thin_margin=None):
    """`truce advise`: the best outcome for `party` among the feasible ones every party in
    acceptable_to would accept, with every BATNA and the margin the advice clears it by
    (docs/check.md), a dict."""
    opts = _check_options(time, max_outcomes, None, thin_margin)
    others = [scenario.party_index(p) for p in acceptable_to]
    arr = (c_size_t * max(1, len(others)))(*others)
    return _json_call(_advise, scenario._handle, scenario.party_index(party), arr, len(others),
                      byref(opts))


def evaluate(scenario, outcome, time=None, max_outcomes=None, thin_margin=None):
    """`truce evaluate`: one deal (an outcome: indices, labels or {issue: value}) scored against
    the model: utilities, BATNA margins, hard conditions broken, Pareto optimality among
    feasible outcomes, distances to the Nash and Kalai-Smorodinsky points (docs/check.md)."""
    opts = _check_options(time, max_outcomes, None, thin_margin)
    o = (c_uint32 * max(1, len(scenario.issues)))(*scenario.outcome(outcome))
    return _json_call(_evaluate, scenario._handle, o, byref(opts))


class Robustness(dict):
    """The report of `truce robust` (docs/robustness.md) as a dict, with tables of its parts."""

    def clauses(self, point="nash"):
        """The probability of each option of each clause of "nash", "kalai_smorodinsky" or
        "mediation": a pandas DataFrame (issue, option, p, se) when pandas is installed, else a
        list of dicts."""
        rows = [{"issue": c["issue"], "option": o["option"], "p": o["p"], "se": o["se"]}
                for c in self[point]["clauses"] for o in c["options"]]
        return _frame(rows)

    def what_flips(self, conclusion="zone"):
        """The uncertain numbers ranked by how much they move a conclusion ("zone", "nash",
        "kalai_smorodinsky", "advice", "mediation"), as a DataFrame or a list of dicts."""
        for c in self["what_flips"]:
            if c["conclusion"] == conclusion:
                return _frame(c["numbers"])
        raise KeyError(conclusion)


def _frame(rows):
    try:
        import pandas
    except ImportError:
        return rows
    return pandas.DataFrame(rows)


def robust(scenario, samples=None, seed=None, threads=None, time=None, advise=None, level=None,
           max_outcomes=None, mediate=False, sensitivity=True, strategy=None, responders=None,
           agenda=None):
    """`truce robust`: how sure the conclusions are under the scenario's uncertain numbers
    (docs/robustness.md). advise=(party, [parties it must be acceptable to]). With mediate,
    strategy ("informed", "uninformed"), responders ("truthful", "strategic", "exaggerate",
    "anchor") and agenda ("ignore", "follow", "package") choose the mediated talks, as `truce
    robust --mediate --strategy --responders --agenda`. Returns a Robustness (a dict: zone,
    nash, kalai_smorodinsky, advice, mediation, what_flips, tornado)."""
    others = []
    party = -1
    if advise is not None:
        party = scenario.party_index(advise[0])
        targets = advise[1] if isinstance(advise[1], (list, tuple)) else [advise[1]]
        others = [scenario.party_index(p) for p in targets]
    arr = (c_size_t * max(1, len(others)))(*others)
    opts = _lib.options(_lib.RobustOptions, samples=samples, seed=seed, threads=threads,
                        time=time, level=level, max_outcomes=max_outcomes,
                        mediate=int(bool(mediate)), sensitivity=int(bool(sensitivity)),
                        advise_party=party, n_acceptable=len(others))
    opts.acceptable_to = cast(arr, POINTER(c_size_t))
    med = None  # kept alive through the call: the library reads it then
    if strategy is not None or responders is not None or agenda is not None:
        if not mediate:
            raise ValueError("strategy, responders and agenda need mediate=True")
        med = _lib.options(
            _lib.MediationOptions,
            strategy=_STRATEGIES[strategy or "informed"],
            responder=_RESPONDERS[responders or "truthful"],
            agenda=_AGENDA[agenda or "ignore"])
        opts.mediation = addressof(med)
    handle = c_void_p()
    err = _lib.Error()
    _lib.check(_robust(byref(handle), scenario._handle, byref(opts), byref(err)), err)
    try:
        report = _json_call(lambda out, e: _robust_report(handle, out, e))
    finally:
        _robust_free(handle)
    return Robustness(report)


def tradeoffs(scenario):
    """Trade-offs between each pair of linear parties, ranked by joint gain (list of dicts)."""
    return _json_call(_tradeoffs, scenario._handle)


_STRATEGIES = {"informed": 0, "uninformed": 1}
_TARGETS = {"nash": 0, "ks": 1, "kalai-smorodinsky": 1}
_RESPONDERS = {"truthful": 0, "strategic": 1, "exaggerate": 2, "anchor": 3}
_AGENDA = {"ignore": 0, "follow": 1, "package": 2}


class Mediation(_lib.Handle):
    """The result of Scenario.mediate(): `end` ("agreement", "breakdown", "limit" or "fault"),
    `reason` (a sentence; for a fault, what the agent did wrong), `fault` (the party whose
    agent failed, or None), `agreement` (bool), `draft` ({issue: value}) and `draft_indices`,
    `iterations`, `utilities` (every party's, of the last draft), `nash_distance` (None when
    there is no Nash point), `trace` (records as dicts when traced) and report() (the full
    history, docs/mediation.md)."""

    _free = _mediation_free

    def __init__(self, ptr, scenario, trace):
        super().__init__(ptr, scenario)
        h = self._handle
        ni = len(scenario.issues)
        self.scenario = scenario
        self.end = _lib.decode(_m_end(h))
        self.reason = _lib.decode(_m_reason(h))
        fault = _m_fault(h)
        self.fault = scenario.parties[fault].name if fault >= 0 else None
        self.agreement = bool(_m_agreement(h))
        self.draft_indices = tuple(_m_draft(h)[:ni])
        self.draft = scenario.labels(self.draft_indices)
        self.iterations = _m_iterations(h)
        self.utilities = [_m_utility(h, p) for p in range(len(scenario.parties))]
        d = _m_nash_distance(h)
        self.nash_distance = None if math.isnan(d) else d
        self.trace = trace

    def report(self):
        return _json_call(lambda out, err: _m_report(self._handle, out, err))


def mediate(scenario, mediator=None, codrafter=None, strategy="informed", target="nash",
            mediator_interest=None, responders="truthful", max_objections=None,
            max_iterations=None, patience=None, seed=None, max_outcomes=None, trace=False,
            agents=None, agenda="ignore"):
    """Mediated talks under the single negotiating text procedure (docs/mediation.md), with
    the options of `truce mediate`; parties by name or index. agents: {party: spec} giving
    principals an agent spec that reviews the drafts ("lua:review.lua", "proc:COMMAND", as
    `truce mediate --agent PARTY=SPEC`) in place of the responder strategy. agenda: "ignore"
    (default), "follow" or "package", as `truce mediate --agenda`. Returns a Mediation."""
    records = []

    def on_record(record, length, payload):
        import ctypes
        records.append(json.loads(ctypes.string_at(record, length).decode("utf-8")))
        return 0

    opts = _lib.options(
        _lib.MediationOptions,
        mediator=-1 if mediator is None else scenario.party_index(mediator),
        codrafter=-1 if codrafter is None else scenario.party_index(codrafter),
        strategy=_STRATEGIES[strategy], target=_TARGETS[target],
        mediator_interest=mediator_interest, responder=_RESPONDERS[responders],
        max_objections=max_objections, max_iterations=max_iterations, patience=patience,
        seed=seed, max_outcomes=max_outcomes, agenda=_AGENDA[agenda])
    specs = None
    if agents:
        specs = (_lib.AgentSpec * len(scenario.parties))()
        texts = []  # the parsed specs point into these strings
        for party, text in dict(agents).items():
            texts.append(_lib.encode(text))
            err = _lib.Error()
            _lib.check(_agent_parse(byref(specs[scenario.party_index(party)]), texts[-1],
                                    byref(err)), err)
        opts.agents = cast(specs, c_void_p)
    callback = _lib.TRACE_FN(on_record)
    if trace:
        opts.trace = callback
    out = c_void_p()
    err = _lib.Error()
    _lib.check(_mediate(byref(out), scenario._handle, byref(opts), byref(err)), err)
    return Mediation(out.value, scenario, records if trace else None)
