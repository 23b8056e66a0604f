# _lib.py: finds and loads libtruce with ctypes, declares the C structs of include/truce.h, and
# turns C status codes and truce_error into Python exceptions; the other modules build on it.
"""Low-level access to libtruce (private: the public API is the truce package)."""

import ctypes
import ctypes.util
import os
import weakref
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_double,
    c_int,
    c_long,
    c_size_t,
    c_uint,
    c_uint32,
    c_uint64,
    c_void_p,
)

# ---------------------------------------------------------------- loading


def _candidates():
    """Where libtruce is looked for, in order: TRUCE_LIBRARY, next to this package (pip install
    copies it there), then the system (ld.so's search path)."""
    env = os.environ.get("TRUCE_LIBRARY")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    names = [os.path.join(here, n) for n in ("libtruce.so", "libtruce.so.0")]
    names = [n for n in names if os.path.exists(n)]
    system = ctypes.util.find_library("truce")
    if system:
        names.append(system)
    names.append("libtruce.so.0")
    return names


def _load():
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError(
        "truce: cannot load libtruce; tried " + "; ".join(tried) + ". Build it (make build), "
        "then set TRUCE_LIBRARY=/path/to/libtruce.so.0 or reinstall the package with "
        "TRUCE_LIBRARY set (see bindings/python/README.md)"
    )


lib, library_path = _load()


def fn(name, restype, *argtypes):
    """Declare and return the C function `name`; each module declares what it calls."""
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


# ---------------------------------------------------------------- structs

class Error(Structure):
    """truce_error."""

    _fields_ = [
        ("code", c_int),
        ("line", c_int),
        ("column", c_int),
        ("file", c_char * 512),
        ("field", c_char * 128),
        ("message", c_char * 1024),
    ]


class LoadOptions(Structure):
    _fields_ = [
        ("version", c_int),
        ("real_steps", c_uint32),
        ("max_issue_values", c_uint32),
        ("allocator", c_void_p),
        ("limits", c_void_p),  # const truce_limits *, NULL: the defaults
        ("legacy", c_int),
        ("coalitions", c_int),  # truce_coalition_mode: 0 as one, 1 split (version 4)
    ]
    defaults = {"version": 4, "real_steps": 11, "max_issue_values": 1000000, "legacy": 0,
                "coalitions": 0}


class GenerateOptions(Structure):
    _fields_ = [
        ("version", c_int),
        ("n_issues", c_size_t),
        ("n_options", c_uint32),
        ("n_parties", c_size_t),
        ("levels", c_uint32),
        ("seed", c_uint64),
        ("allocator", c_void_p),
        ("hard_rate", c_double),
    ]
    defaults = {"version": 2, "n_issues": 10, "n_options": 5, "n_parties": 2, "levels": 100,
                "seed": 1, "hard_rate": 0.0}


class AnalysisOptions(Structure):
    _fields_ = [
        ("version", c_int),
        ("max_outcomes", c_double),
        ("max_frontier", c_size_t),
        ("approximate", c_int),
        ("seed", c_uint64),
        ("approx_effort", c_double),
        ("max_nodes", c_double),
        ("allocator", c_void_p),
        ("time", c_double),
        ("max_work", c_double),
    ]
    defaults = {"version": 3, "max_outcomes": 2e7, "max_frontier": 2000000, "approximate": 0,
                "seed": 1, "approx_effort": 200.0, "max_nodes": 5e7, "time": 0.0,
                "max_work": 2e9}


class CheckOptions(Structure):
    _fields_ = [
        ("version", c_int),
        ("time", c_double),
        ("max_outcomes", c_double),
        ("max_relaxation", c_size_t),
        ("thin_margin", c_double),
        ("max_nodes", c_double),
        ("margins", c_int),
        ("max_work", c_double),
    ]
    defaults = {"version": 4, "time": 0.0, "max_outcomes": 2e7, "max_relaxation": 3,
                "thin_margin": 0.05, "max_nodes": 5e7, "margins": 1, "max_work": 2e9}


class SpaceOptions(Structure):
    _fields_ = [
        ("version", c_int),
        ("max_outcomes", c_double),
        ("analyze", c_int),
        ("allocator", c_void_p),
        ("ties", c_int),  # truce_ties: 0 index, 1 genius
    ]
    defaults = {"version": 2, "max_outcomes": 4e6, "analyze": 1, "ties": 0}


# int (*truce_trace_fn)(const char *record, size_t length, void *payload)
TRACE_FN = CFUNCTYPE(c_int, c_void_p, c_size_t, c_void_p)


class NegotiationOptions(Structure):
    _fields_ = [
        ("version", c_int),
        ("max_rounds", c_uint64),
        ("max_seconds", c_double),
        ("trace", TRACE_FN),
        ("trace_payload", c_void_p),
        ("allocator", c_void_p),
        ("clock", c_int),  # truce_clock: 0 genius, 1 turn
    ]
    defaults = {"version": 2, "max_rounds": 100, "max_seconds": 0.0, "clock": 0}


class MediationOptions(Structure):
    _fields_ = [
        ("version", c_int),
        ("mediator", c_long),
        ("codrafter", c_long),
        ("strategy", c_int),
        ("target", c_int),
        ("mediator_interest", c_double),
        ("responder", c_int),
        ("max_objections", c_uint32),
        ("max_iterations", c_uint32),
        ("patience", c_uint32),
        ("seed", c_uint64),
        ("trace", TRACE_FN),
        ("trace_payload", c_void_p),
        ("max_outcomes", c_double),
        ("agents", c_void_p),  # const truce_agent_spec *: one per party, or NULL
        ("draft", c_void_p),  # truce_mediator_fn of an external mediator (version 2), or NULL
        ("draft_payload", c_void_p),
        ("max_seconds", c_double),  # deadline in wall-clock seconds (version 3), 0: none
        ("clock", c_void_p),  # double (*)(void *): the deadline's clock (version 3), or NULL
        ("clock_payload", c_void_p),
        ("noise", c_double),  # noise on the responders' reported gains (version 4), 0: none
        ("agenda", c_int),  # truce_agenda_mode (version 5): 0 ignore, 1 follow, 2 package
    ]
    defaults = {"version": 5, "mediator": -1, "codrafter": -1, "strategy": 0, "target": 0,
                "mediator_interest": 0.0, "responder": 0, "max_objections": 2,
                "max_iterations": 50, "patience": 5, "seed": 1, "max_outcomes": 2e7,
                "max_seconds": 0.0, "noise": 0.0, "agenda": 0}


class Turn(Structure):
    """truce_turn."""

    _fields_ = [
        ("round", c_size_t),
        ("time", c_double),
        ("offer", POINTER(c_uint32)),
        ("offer_from", c_size_t),
        ("offer_utility", c_double),
        ("offer_vetoed", c_int),
    ]


class AgentSetup(Structure):
    """truce_agent_setup."""

    _fields_ = [
        ("space", c_void_p),
        ("party", c_size_t),
        ("n_parties", c_size_t),
        ("max_rounds", c_uint64),
        ("seed", c_uint64),
        ("params", c_char_p),
    ]


class Event(Structure):
    """truce_event."""

    _fields_ = [
        ("kind", c_int),
        ("actor", c_size_t),
        ("round", c_size_t),
        ("time", c_double),
        ("offer", POINTER(c_uint32)),
    ]


STATE_SIZE_FOR_FN = CFUNCTYPE(c_size_t, c_void_p, c_void_p)
INIT_FN = CFUNCTYPE(c_int, c_void_p, POINTER(AgentSetup), POINTER(Error), c_void_p)
ACT_FN = CFUNCTYPE(c_int, c_void_p, POINTER(Turn), POINTER(c_int), POINTER(c_uint32), c_void_p)
OBSERVE_FN = CFUNCTYPE(None, c_void_p, POINTER(Event), c_void_p)
RELEASE_FN = CFUNCTYPE(None, c_void_p, c_int, c_void_p)
# const char *(*fault_message)(const void *state, void *payload): c_void_p, not c_char_p, as a
# callback returning c_char_p would hand C a pointer to a temporary bytes object
FAULT_MESSAGE_FN = CFUNCTYPE(c_void_p, c_void_p, c_void_p)


class Draft(Structure):
    """truce_draft."""

    _fields_ = [
        ("iteration", c_uint32),
        ("time", c_double),
        ("outcome", POINTER(c_uint32)),
        ("utility", c_double),
        ("reservation", c_double),
        ("vetoed", c_int),
    ]


class Review(Structure):
    """truce_review."""

    _fields_ = [
        ("kind", c_int),
        ("proposed", POINTER(c_uint32)),
        ("gain", POINTER(c_double)),
    ]


REVIEW_FN = CFUNCTYPE(c_int, c_void_p, POINTER(Draft), POINTER(Review), c_void_p)


class AgentClass(Structure):
    """truce_agent_class."""

    _fields_ = [
        ("name", c_char_p),
        ("state_size", c_size_t),
        ("state_size_for", STATE_SIZE_FOR_FN),
        ("init", INIT_FN),
        ("act", ACT_FN),
        ("observe", OBSERVE_FN),
        ("payload", c_void_p),
        ("release", RELEASE_FN),
        ("fault_message", FAULT_MESSAGE_FN),
        ("review", REVIEW_FN),
    ]


class AgentSpec(Structure):
    """truce_agent_spec."""

    _fields_ = [("cls", POINTER(AgentClass)), ("params", c_char_p)]


class TournamentDefinition(Structure):
    """truce_tournament_definition."""

    _fields_ = [
        ("version", c_int),
        ("name", c_char_p),
        ("agents", POINTER(c_char_p)),
        ("n_agents", c_size_t),
        ("scenarios", POINTER(c_char_p)),
        ("n_scenarios", c_size_t),
        ("base_dir", c_char_p),
        ("repetitions", c_uint64),
        ("rounds", c_uint64),
        ("seed", c_uint64),
        ("permutations", c_int),
        ("self_play", c_int),
        ("real_steps", c_uint32),
        ("limits", c_void_p),  # const truce_limits *, NULL: the defaults
        ("clock", c_int),
        ("ties", c_int),
        ("seconds", c_double),  # version 3
        ("negotiation_timeout", c_double),
        ("skip_unloadable", c_int),  # version 4
        ("legacy", c_int),
    ]
    defaults = {"version": 4, "repetitions": 1, "rounds": 100, "seed": 1, "permutations": 1,
                "self_play": 0, "real_steps": 11, "clock": 0, "ties": 0, "seconds": 0,
                "negotiation_timeout": 0, "skip_unloadable": 0, "legacy": 0}

CLOCKS = {"genius": 0, "turn": 1}
TIES = {"index": 0, "genius": 1}


def choice(table, what, value):
    """The C enum value of a word option (clock="genius"), or ValueError naming the choices."""
    if value not in table:
        raise ValueError("%s must be one of %s, not %r" % (what, ", ".join(sorted(table)), value))
    return table[value]


# int (*truce_progress_fn)(uint64_t done, uint64_t total, double elapsed_seconds, void *payload)
PROGRESS_FN = CFUNCTYPE(c_int, c_uint64, c_uint64, c_double, c_void_p)


class TournamentRunOptions(Structure):
    """truce_tournament_run_options."""

    _fields_ = [
        ("version", c_int),
        ("threads", c_uint),
        ("batch", c_uint64),
        ("limit", c_uint64),
        ("progress", PROGRESS_FN),
        ("progress_payload", c_void_p),
    ]
    defaults = {"version": 1, "threads": 0, "batch": 0, "limit": 0}


class RobustOptions(Structure):
    """truce_robust_options."""

    _fields_ = [
        ("version", c_int),
        ("samples", c_uint64),
        ("seed", c_uint64),
        ("threads", c_uint),
        ("time", c_double),
        ("advise_party", c_long),
        ("acceptable_to", POINTER(c_size_t)),
        ("n_acceptable", c_size_t),
        ("level", c_double),
        ("max_outcomes", c_double),
        ("mediate", c_int),
        ("sensitivity", c_int),
        ("progress", PROGRESS_FN),
        ("progress_payload", c_void_p),
        ("mediation", c_void_p),
    ]
    defaults = {"version": 2, "samples": 10000, "seed": 1, "threads": 0, "time": 0.0,
                "advise_party": -1, "n_acceptable": 0, "level": 0.9, "max_outcomes": 1e6,
                "mediate": 0, "sensitivity": 1}


class TournamentStatus(Structure):
    """truce_tournament_status."""

    _fields_ = [
        ("total", c_uint64),
        ("before", c_uint64),
        ("ran", c_uint64),
        ("stopped", c_int),
        ("seconds", c_double),
    ]


def options(struct, **values):
    """An option struct holding the C defaults (its _INIT macro) overridden by `values`."""
    o = struct()
    for k, v in struct.defaults.items():
        setattr(o, k, v)
    for k, v in values.items():
        if v is not None:
            setattr(o, k, v)
    return o


# ---------------------------------------------------------------- errors

OK, ENOMEM, EIO, EPARSE, EINVAL, ELIMIT, ENOTFOUND = 0, -1, -2, -3, -4, -5, -6


class TruceError(Exception):
    """An error reported by libtruce. `message` is the C message (naming file, line and field);
    `code` the negative TRUCE_E* status, `code_name` its name; `file`, `line`, `column` and
    `field` repeat the place ("" / 0 when unknown)."""

    def __init__(self, message, code=EINVAL, file="", line=0, column=0, field=""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.field = field

    @property
    def code_name(self):
        return strerror(self.code)

    def __str__(self):
        return self.message


class TruceMemoryError(TruceError, MemoryError):
    """TRUCE_ENOMEM."""


class TruceIOError(TruceError):
    """TRUCE_EIO: a file could not be opened, read or written."""


class TruceParseError(TruceError, ValueError):
    """TRUCE_EPARSE: malformed XML, YAML or JSON."""


class TruceValueError(TruceError, ValueError):
    """TRUCE_EINVAL: a value out of range or inconsistent."""


class TruceLimitError(TruceError):
    """TRUCE_ELIMIT: the job exceeds a configured limit."""


class TruceNotFoundError(TruceError, LookupError):
    """TRUCE_ENOTFOUND: a named thing (file, issue, party, agent) does not exist."""


_BY_CODE = {
    ENOMEM: TruceMemoryError,
    EIO: TruceIOError,
    EPARSE: TruceParseError,
    EINVAL: TruceValueError,
    ELIMIT: TruceLimitError,
    ENOTFOUND: TruceNotFoundError,
}

_strerror = fn("truce_strerror", c_char_p, c_int)
_version = fn("truce_version", c_char_p)
free = fn("truce_free", None, c_void_p)


def strerror(code):
    return _strerror(code).decode()


def version():
    """The version of the loaded libtruce, e.g. "0.1.0"."""
    return _version().decode()


def decode(raw):
    return raw.decode("utf-8", "replace") if raw is not None else None


def error_from(code, err):
    message = decode(err.message) or strerror(code)
    cls = _BY_CODE.get(code, TruceError)
    return cls(message, code, decode(err.file), err.line, err.column, decode(err.field))


def check(code, err):
    """Raise the exception matching a negative status; return the status otherwise."""
    if code < 0:
        raise error_from(code, err)
    return code


def encode(text):
    return os.fsencode(text) if isinstance(text, os.PathLike) else str(text).encode()


def take_string(ptr):
    """The NUL-terminated string at ptr (malloc'd by libtruce) as str; frees it."""
    try:
        return ctypes.string_at(ptr).decode("utf-8", "replace")
    finally:
        free(ptr)


# ---------------------------------------------------------------- handles


class Handle:
    """An owner of one C handle, freed by close(), on leaving a `with` block, or on garbage
    collection, whichever comes first. Objects that borrow from it (an analysis of a scenario, a
    negotiation on it) register as children: they keep their parent alive, and closing the
    parent closes them first, so no C object outlives what it points into."""

    _free = None  # the C function freeing the handle

    def __init__(self, ptr=None, parent=None):
        self._ptr = None
        self._parent = None
        self._children = weakref.WeakSet()
        if ptr:
            self._attach(ptr, parent)

    def _attach(self, ptr, parent=None, keep_parent=True):
        """Take ownership of ptr, borrowing from parent, which closes us first and, unless
        keep_parent is false (a cache the parent holds: no reference cycle), is kept alive."""
        self._ptr = ptr
        self._parent = parent if keep_parent else None
        if parent is not None:
            parent._children.add(self)

    @property
    def _handle(self):
        if not self._ptr:
            raise ValueError("%s is closed" % type(self).__name__)
        return self._ptr

    @property
    def closed(self):
        return not self._ptr

    def close(self):
        """Free the C handle (and those of the objects depending on it) now. Idempotent."""
        for child in list(self._children):
            child.close()
        ptr, self._ptr = self._ptr, None
        if ptr:
            type(self)._free(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass
