# scenario.py: scenarios from Python: loading (GENIUS folders and files, native YAML, synthetic),
# issues and parties, outcomes as indices or labels, and utilities one at a time or in batches.
"""Scenarios: the outcome space (issues) and the parties with their preferences."""

import errno
import itertools
import math
import operator
import os
import weakref
from array import array
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_long, c_size_t, c_uint32, c_void_p
from ctypes import create_string_buffer

from . import _lib

ISSUE_KINDS = ("discrete", "integer", "real")
PROFILE_KINDS = ("linear", "nonlinear")
ROLES = ("principal", "mediator", "stakeholder")

_load = _lib.fn("truce_scenario_load", c_int, POINTER(c_void_p), c_char_p,
                POINTER(_lib.LoadOptions), POINTER(_lib.Error))
_load_genius = _lib.fn("truce_scenario_load_genius", c_int, POINTER(c_void_p), c_char_p,
                       POINTER(c_char_p), c_size_t, POINTER(_lib.LoadOptions),
                       POINTER(_lib.Error))
_load_geniusweb = _lib.fn("truce_scenario_load_geniusweb", c_int, POINTER(c_void_p), c_char_p,
                          POINTER(c_char_p), c_size_t, POINTER(_lib.LoadOptions),
                          POINTER(_lib.Error))
_generate = _lib.fn("truce_scenario_generate", c_int, POINTER(c_void_p),
                    POINTER(_lib.GenerateOptions), POINTER(_lib.Error))
_free = _lib.fn("truce_scenario_free", None, c_void_p)
_save_genius = _lib.fn("truce_scenario_save_genius", c_int, c_void_p, c_char_p, POINTER(c_char_p),
                       c_size_t, POINTER(_lib.Error))
_save_yaml = _lib.fn("truce_scenario_save_yaml", c_int, c_void_p, c_char_p, POINTER(_lib.Error))
_name = _lib.fn("truce_scenario_name", c_char_p, c_void_p)
_issue_count = _lib.fn("truce_scenario_issue_count", c_size_t, c_void_p)
_party_count = _lib.fn("truce_scenario_party_count", c_size_t, c_void_p)
_issue_name = _lib.fn("truce_issue_name", c_char_p, c_void_p, c_size_t)
_issue_kind = _lib.fn("truce_issue_kind_of", c_int, c_void_p, c_size_t)
_option_count = _lib.fn("truce_issue_option_count", c_uint32, c_void_p, c_size_t)
_option_label = _lib.fn("truce_issue_option_label", c_int, c_void_p, c_size_t, c_uint32, c_void_p,
                        c_size_t)
_outcome_count = _lib.fn("truce_scenario_outcome_count", c_int, c_void_p, c_void_p, c_size_t)
_party_name = _lib.fn("truce_party_name", c_char_p, c_void_p, c_size_t)
_party_label = _lib.fn("truce_party_label", c_char_p, c_void_p, c_size_t)
_party_role = _lib.fn("truce_party_role", c_int, c_void_p, c_size_t)
_profile_kind = _lib.fn("truce_party_profile_kind", c_int, c_void_p, c_size_t)
_reservation = _lib.fn("truce_party_reservation", c_double, c_void_p, c_size_t)
_reservation_at = _lib.fn("truce_party_reservation_at", c_double, c_void_p, c_size_t, c_double)
_discount_factor = _lib.fn("truce_party_discount", c_double, c_void_p, c_size_t)
_hard_count = _lib.fn("truce_party_hard_condition_count", c_size_t, c_void_p, c_size_t)
_hard_id = _lib.fn("truce_hard_condition_id", c_char_p, c_void_p, c_size_t, c_size_t)
_violates = _lib.fn("truce_outcome_violates", c_int, c_void_p, c_size_t, c_void_p)
_channel = _lib.fn("truce_channel", c_int, c_void_p, c_size_t, c_size_t)
_uncertain_count = _lib.fn("truce_scenario_uncertain_count", c_size_t, c_void_p)
_bargainer_count = _lib.fn("truce_scenario_bargainer_count", c_size_t, c_void_p)
_bargainer = _lib.fn("truce_scenario_bargainer", c_long, c_void_p, c_size_t)
_outcome_feasible = _lib.fn("truce_outcome_feasible", c_int, c_void_p, c_void_p)
_feasible_count = _lib.fn("truce_scenario_feasible_count", c_int, c_void_p, c_void_p, c_size_t)
# the outcome is passed as an address (c_void_p) so that batches can walk a buffer cheaply
_utility = _lib.fn("truce_utility", c_double, c_void_p, c_size_t, c_void_p)
_discount = _lib.fn("truce_discount", c_double, c_void_p, c_size_t, c_double, c_double)


class Issue:
    """One issue: its name, kind ("discrete", "integer" or "real", the latter discretised) and its
    options. `options` are the labels as `truce` prints them; `values` the typed values used in
    outcome dicts (str for discrete issues, int for integer ones, float for real ones)."""

    def __init__(self, scenario, index):
        h = scenario._handle
        self.index = index
        self.name = _lib.decode(_issue_name(h, index))
        self.kind = ISSUE_KINDS[_issue_kind(h, index)]
        self._count = _option_count(h, index)
        self._owner = weakref.ref(scenario)  # the scenario holds its issues: no cycle
        self._labels = None
        self._lookup = None

    def __len__(self):
        return self._count

    @property
    def options(self):
        if self._labels is None:
            scenario = _scenario_of(self)
            self._labels = [scenario._label(self.index, k) for k in range(self._count)]
        return self._labels

    @property
    def values(self):
        return [self._typed(label) for label in self.options]

    def _typed(self, label):
        if self.kind == "integer":
            return int(label)
        if self.kind == "real":
            return float(label)
        return label

    def find(self, value):
        """Index of an option given as its label or typed value; KeyError when absent."""
        if self._lookup is None:
            self._lookup = {}
            for k, label in enumerate(self.options):
                self._lookup[label] = k
                self._lookup[self._typed(label)] = k
        try:
            return self._lookup[value]
        except (KeyError, TypeError):
            pass
        if self.kind == "real" and isinstance(value, (int, float)):
            for k, v in enumerate(self.values):
                if math.isclose(v, value, rel_tol=1e-12, abs_tol=1e-12):
                    return k
        raise KeyError("issue '%s' has no option %r" % (self.name, value))

    def __repr__(self):
        return "Issue(%r, %s, %d options)" % (self.name, self.kind, self._count)


class Party:
    """One party: name, display label, role ("principal", "mediator" or "stakeholder"),
    profile kind ("linear" or "nonlinear"), reservation value (utility of no deal), discount
    factor, and the ids of its hard conditions."""

    def __init__(self, scenario, index):
        h = scenario._handle
        self.index = index
        self.name = _lib.decode(_party_name(h, index))
        self.label = _lib.decode(_party_label(h, index))
        self.role = ROLES[_party_role(h, index)]
        self.profile = PROFILE_KINDS[_profile_kind(h, index)]
        self.reservation = _reservation(h, index)
        self.discount = _discount_factor(h, index)
        self.hard_conditions = [_lib.decode(_hard_id(h, index, k))
                                for k in range(_hard_count(h, index))]
        self._owner = weakref.ref(scenario)  # the scenario holds its parties: no cycle

    def reservation_at(self, time):
        """Reservation value at relative time `time` in [0, 1] (time-dependent BATNAs)."""
        return _reservation_at(_scenario_of(self)._handle, self.index, time)

    def __repr__(self):
        return "Party(%r, %s, reservation=%g)" % (self.name, self.role, self.reservation)


def _scenario_of(item):
    scenario = item._owner()
    if scenario is None:
        raise ValueError("the scenario of %r was freed" % item.name)
    return scenario


def _exists(path):
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, "no such file or folder", os.fspath(path))


_COALITIONS = {"as-one": 0, "split": 1}


def _load_options(real_steps, max_issue_values, legacy=False, coalitions="as-one"):
    if coalitions not in _COALITIONS:
        raise ValueError("coalitions must be 'as-one' or 'split', not %r" % (coalitions,))
    return _lib.options(_lib.LoadOptions, real_steps=real_steps, max_issue_values=max_issue_values,
                        legacy=int(bool(legacy)), coalitions=_COALITIONS[coalitions])


def load(path, *profiles, real_steps=None, max_issue_values=None, legacy=False,
         coalitions="as-one"):
    """Load a scenario: a GENIUS or GeniusWeb folder (one domain file and its profiles), a
    native YAML file (*.yaml, *.yml), or a GENIUS (.xml) or GeniusWeb (.json) domain file
    followed by its profile files, one party per profile. A list [domain, profile, ...] works too. real_steps: points each real issue is
    discretised into (default 11). legacy: also read GENIUS formats GENIUS 10.4 refuses
    (docs/formats.md). coalitions: "as-one" (a coalition bargains as one party) or "split" (its
    members bargain; docs/scenario-format.md#coalitions). Raises FileNotFoundError for a missing path, and a TruceError subclass
    with the C message (file, line, field) for bad content."""
    if not profiles and isinstance(path, (list, tuple)):
        path, *profiles = path
    opts = _load_options(real_steps, max_issue_values, legacy, coalitions)
    err = _lib.Error()
    out = c_void_p()
    _exists(path)
    if profiles:
        for p in profiles:
            _exists(p)
        names = (c_char_p * len(profiles))(*[_lib.encode(p) for p in profiles])
        loader = _load_geniusweb if str(path).endswith(".json") else _load_genius
        rc = loader(byref(out), _lib.encode(path), names, len(profiles), byref(opts), byref(err))
    else:
        rc = _load(byref(out), _lib.encode(path), byref(opts), byref(err))
    _lib.check(rc, err)
    return Scenario(out.value)


def generate(n_issues=10, n_options=5, n_parties=2, levels=100, seed=1, hard_rate=0.0):
    """A synthetic linear additive scenario (random weights, integer evaluations 1..levels;
    with hard_rate > 0 each party's hard condition excludes one option on that share of the
    issues); equal arguments give equal scenarios."""
    opts = _lib.options(_lib.GenerateOptions, n_issues=n_issues, n_options=n_options,
                        n_parties=n_parties, levels=levels, seed=seed, hard_rate=hard_rate)
    err = _lib.Error()
    out = c_void_p()
    _lib.check(_generate(byref(out), byref(opts), byref(err)), err)
    return Scenario(out.value)


class Scenario(_lib.Handle):
    """A loaded scenario (immutable). Use truce.load() or truce.generate() to make one; close()
    or a `with` block frees it (and what depends on it) at once, garbage collection otherwise.

    Outcomes are given as a sequence with one entry per issue (an int is an option index, a
    str a label, a float the value of a real issue), or as a dict {issue name: label or
    value}; they come back as tuples of indices, and labels() turns them into dicts as the
    CLI's JSON prints them."""

    _free = _free

    def __init__(self, ptr):
        super().__init__(ptr)
        h = self._handle
        self.name = _lib.decode(_name(h))
        self.issues = [Issue(self, i) for i in range(_issue_count(h))]
        self.parties = [Party(self, p) for p in range(_party_count(h))]
        self._sizes = [len(i) for i in self.issues]
        self._spaces = {}  # ties -> Space

    def __repr__(self):
        return "Scenario(%r, %d issues, parties %s)" % (
            self.name, len(self.issues), [p.name for p in self.parties])

    # ---- structure

    @property
    def principals(self):
        """The parties that sign a deal: the seats of a negotiation, in order."""
        return [p for p in self.parties if p.role == "principal"]

    @property
    def bargainers(self):
        """The parties whose consent makes a deal (docs/analysis.md): the principals; every
        party of a GENIUS scenario. Mediators and stakeholders are reported, never bargain."""
        h = self._handle
        return [self.parties[_bargainer(h, k)] for k in range(_bargainer_count(h))]

    @property
    def n_feasible(self):
        """Number of feasible outcomes (no bargainer's hard condition broken; exact int)."""
        buf = create_string_buffer(8192)
        _lib.check(_feasible_count(self._handle, buf, len(buf)), _lib.Error())
        return int(buf.value)

    def feasible(self, outcome):
        """Whether the outcome breaks no bargainer's hard condition."""
        o = (c_uint32 * max(1, len(self.issues)))(*self.outcome(outcome))
        return bool(_lib.check(_outcome_feasible(self._handle, o), _lib.Error()))

    @property
    def n_outcomes(self):
        """Number of outcomes (a Python int, exact at any size)."""
        buf = create_string_buffer(8192)
        _lib.check(_outcome_count(self._handle, buf, len(buf)), _lib.Error())
        return int(buf.value)

    def issue(self, key):
        """An issue by name or index."""
        return self.issues[self._index(key, self.issues, "issue")]

    def party(self, key):
        """A party by name or index."""
        return self.parties[self.party_index(key)]

    def party_index(self, key):
        return self._index(key, self.parties, "party")

    @staticmethod
    def _index(key, items, what):
        if isinstance(key, (Party, Issue)):
            key = key.index
        if isinstance(key, int):
            if not 0 <= key < len(items):
                raise IndexError("%s %d out of range (0..%d)" % (what, key, len(items) - 1))
            return key
        for item in items:
            if item.name == key:
                return item.index
        raise KeyError("no %s named %r (there are: %s)" % (
            what, key, ", ".join(i.name for i in items)))

    def _label(self, issue, option):
        buf = create_string_buffer(512)
        n = _option_label(self._handle, issue, option, buf, len(buf))
        if n >= len(buf):
            buf = create_string_buffer(n + 1)
            n = _option_label(self._handle, issue, option, buf, len(buf))
        _lib.check(n, _lib.Error())
        return _lib.decode(buf.value)

    # ---- outcomes

    def outcome(self, outcome):
        """The outcome as a tuple of option indices (validated)."""
        if isinstance(outcome, dict):
            if len(outcome) != len(self.issues):
                missing = [i.name for i in self.issues if i.name not in outcome]
                raise ValueError("outcome needs every issue (missing: %s)" % ", ".join(missing))
            return tuple(self.issue(name).find(v) for name, v in
                         sorted(outcome.items(), key=lambda kv: self.issue(kv[0]).index))
        values = tuple(outcome)
        if len(values) != len(self.issues):
            raise ValueError("outcome has %d entries for %d issues" %
                             (len(values), len(self.issues)))
        result = []
        for issue, v, size in zip(self.issues, values, self._sizes):
            k = _as_index(v)
            if k is None:
                result.append(issue.find(v))
            elif 0 <= k < size:
                result.append(k)
            else:
                raise IndexError("option %d of issue '%s' out of range (0..%d)" %
                                 (k, issue.name, size - 1))
        return tuple(result)

    def labels(self, outcome):
        """The outcome as {issue name: value} (str, int or float, as `truce --json` prints)."""
        o = self.outcome(outcome)
        return {issue.name: issue._typed(issue.options[k]) for issue, k in zip(self.issues, o)}

    def outcomes(self):
        """Iterate over every outcome (tuples of indices, last issue fastest). Mind the size."""
        return itertools.product(*[range(n) for n in self._sizes])

    # ---- utilities

    def utility(self, outcome, party=None):
        """Undiscounted utility of an outcome for a party (name or index), or a list with every
        party's when party is None."""
        o = (c_uint32 * len(self.issues))(*self.outcome(outcome))
        h = self._handle
        if party is None:
            return [_utility(h, p, o) for p in range(len(self.parties))]
        return _utility(h, self.party_index(party), o)

    def utilities(self, outcomes, party=None):
        """Utilities of many outcomes. `outcomes` is a list of outcomes, or a flat buffer of
        uint32 option indices, issue_count per outcome (array('I'), a C-contiguous numpy
        uint32 array of shape (n, issue_count), bytes). Returns array('d') for one party, or
        a list with one array('d') per party when party is None."""
        buf, n = self._outcome_buffer(outcomes)
        parties = range(len(self.parties)) if party is None else [self.party_index(party)]
        h = self._handle
        stride = 4 * len(self.issues)
        base = _address(buf)
        result = []
        for p in parties:
            out = array("d", bytes(8 * n))
            for k in range(n):
                out[k] = _utility(h, p, base + k * stride)
            result.append(out)
        if any(math.isnan(u) for r in result for u in r):
            raise IndexError("an outcome has an option index out of range")
        return result if party is None else result[0]

    def _outcome_buffer(self, outcomes):
        ni = len(self.issues)
        flat = None
        if not isinstance(outcomes, (list, tuple)) and not hasattr(outcomes, "__next__"):
            try:
                view = memoryview(outcomes)
            except TypeError:
                view = None
            if view is not None:
                raw = view.format in ("B", "c") and view.ndim == 1  # bytes: raw uint32
                if raw or (view.itemsize == 4 and view.format in ("I", "=I", "<I", "@I") and
                           view.c_contiguous):
                    flat = array("I")
                    flat.frombytes(view.cast("B"))
                else:
                    flat = array("I", _flatten(view.tolist()))
        if flat is None:
            flat = array("I")
            for o in outcomes:
                flat.extend(self.outcome(o))
        if ni == 0 or len(flat) % ni:
            raise ValueError("%d option indices are not a whole number of %d-issue outcomes" %
                             (len(flat), ni))
        return flat, len(flat) // ni

    def discount(self, utility, party, time):
        """GENIUS discounting u * d^t of the party (t clamped to [0, 1])."""
        return _discount(self._handle, self.party_index(party), utility, time)

    def violates(self, outcome, party):
        """Id of the first hard condition of the party the outcome violates, or None."""
        p = self.party_index(party)
        o = (c_uint32 * len(self.issues))(*self.outcome(outcome))
        k = _violates(self._handle, p, o)
        return None if k < 0 else self.parties[p].hard_conditions[k]

    def channel(self, a, b):
        """Whether parties a and b may talk directly."""
        return bool(_channel(self._handle, self.party_index(a), self.party_index(b)))

    # ---- analysis, models, writing

    def analyze(self, **options):
        """Exact analysis (frontier, Nash, Kalai-Smorodinsky, max welfare, zone): see
        truce.analysis.analyze for the options."""
        from .analysis import analyze
        return analyze(self, **options)

    def check(self, **options):
        """`truce check` as a dict (docs/check.md)."""
        from .model import check
        return check(self, **options)

    def advise(self, party, acceptable_to=(), **options):
        """`truce advise` as a dict (docs/check.md)."""
        from .model import advise
        return advise(self, party, acceptable_to, **options)

    def evaluate(self, outcome, **options):
        """`truce evaluate` as a dict (docs/check.md): one deal scored against the model."""
        from .model import evaluate
        return evaluate(self, outcome, **options)

    def robust(self, **options):
        """`truce robust` (docs/robustness.md): probabilities, margins and what flips each
        conclusion under the scenario's uncertain numbers; see truce.model.robust."""
        from .model import robust
        return robust(self, **options)

    @property
    def n_uncertain(self):
        """Number of uncertain numbers (docs/scenario-format.md#uncertainty)."""
        return int(_uncertain_count(self._handle))

    def tradeoffs(self):
        """Trade-offs between pairs of linear bargainers, as a list of dicts."""
        from .model import tradeoffs
        return tradeoffs(self)

    def mediate(self, **options):
        """Mediated talks (single negotiating text): see truce.model.mediate."""
        from .model import mediate
        return mediate(self, **options)

    def save_yaml(self, path):
        """Write the scenario as a native YAML file."""
        err = _lib.Error()
        _lib.check(_save_yaml(self._handle, _lib.encode(path), byref(err)), err)

    def save_genius(self, domain, profiles):
        """Write the domain and one profile per party as GENIUS XML."""
        err = _lib.Error()
        names = (c_char_p * len(profiles))(*[_lib.encode(p) for p in profiles])
        _lib.check(_save_genius(self._handle, _lib.encode(domain), names, len(profiles),
                                byref(err)), err)

    def _get_space(self, ties="index"):
        """The negotiation tables of this scenario (with this order among equal utilities),
        built once and shared by negotiations."""
        from .negotiation import Space
        space = self._spaces.get(ties)
        if space is None or space.closed:
            space = self._spaces[ties] = Space(self, ties=ties)
        return space


def _as_index(value):
    """value as an option index when it is an integer (int, numpy integer), else None."""
    if isinstance(value, (str, bytes, bool, float)):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _address(buf):
    address, _ = buf.buffer_info()
    return address


def _flatten(items):
    for x in items:
        if isinstance(x, list):
            yield from _flatten(x)
        else:
            yield x
