# agent.py: agents written in Python: the Agent base class researchers subclass, and the glue
# that turns one into a truce_agent_class whose callbacks (ctypes CFUNCTYPE) call its methods.
"""Python agents that negotiate inside truce against built-in ones."""

import ctypes
from collections import namedtuple

from . import _lib

Setup = namedtuple("Setup", "party party_name n_parties max_rounds seed params")
Setup.__doc__ = """Given to Agent.on_start: the agent's party (index into scenario.parties) and
its name, the number of negotiating parties, the deadline in rounds (0 when in seconds), the
agent's own seed (derived from the run's) and its parameter string ("" when none)."""

Turn = namedtuple("Turn", "round time offer offer_from offer_utility offer_vetoed",
                  defaults=(False,))
Turn.__doc__ = """Given to Agent.act: the 1-based round, the relative time in [0, 1), the
standing offer (tuple of option indices, None when there is none), the party index of who made
it, the agent's undiscounted utility of it, and whether it breaks one of the agent's own
party's hard conditions (accepting such an offer, or offering such an outcome, makes the agent
the party at fault)."""

Event = namedtuple("Event", "kind actor round time offer")
Event.__doc__ = """Given to Agent.observe after every action of any party: kind ("offer",
"accept" or "end"), the actor's party index, round, time, and the offer made or accepted
(tuple of option indices; None for "end")."""

_KINDS = ("offer", "accept", "end")


class _Action:
    def __init__(self, name, code):
        self.name = name
        self.code = code

    def __repr__(self):
        return "truce." + self.name


ACCEPT = _Action("ACCEPT", 1)  # accept the standing offer
END = _Action("END", 2)  # walk away: nobody gets a deal


class Agent:
    """Base class of agents written in Python. Subclass it and override act() (and on_start(),
    observe() as needed); pass the class or an instance (one per seat) to truce.negotiate or
    truce.Negotiation in place of a built-in agent's name.

    act(turn) returns truce.ACCEPT, truce.END, or an outcome to offer (option indices, labels
    or a dict, as Scenario.outcome() takes them). Before each run on_start(setup) is called
    (and once when the negotiation is created, as truce checks parameters then), with
    self.scenario, self.party (index) and self.params set. Anything a method raises makes the
    agent the party at fault: the run ends with end == "fault" and Result.exception holds the
    exception (an exception in on_start is an error of the run instead: TruceError chained to
    it)."""

    name = None  # as shown in traces; default: the class name in lower case

    def __init__(self, params=""):
        self.params = params
        self.scenario = None
        self.party = None

    def on_start(self, setup):
        """Prepare for a run (parse self.params, build tables, seed a random.Random)."""

    def act(self, turn):
        raise NotImplementedError("%s.act" % type(self).__name__)

    def observe(self, event):
        """Called after every action by any party (the agent's own included)."""

    def utility(self, outcome):
        """The agent's own undiscounted utility of an outcome."""
        return self.scenario.utility(outcome, self.party)


class _Binding:
    """One Python agent seated in one negotiation: its truce_agent_class and the callbacks in
    it. The negotiation keeps the binding, hence the callbacks, alive as long as C may call
    them. Callbacks never let an exception reach ctypes (which would print it and return 0,
    a valid action): they store it and return an error, which makes the agent at fault."""

    def __init__(self, agent, scenario):
        self.agent = agent
        self.scenario = scenario
        self.n_issues = len(scenario.issues)
        self.exception = None
        name = agent.name or type(agent).__name__.lower()
        self.params = (agent.params or "").encode() or None
        cls = _lib.AgentClass()
        cls.name = name.encode()
        cls.state_size = 1  # the agent's state lives in the Python object
        self._init_cb = _lib.INIT_FN(self._init)
        self._act_cb = _lib.ACT_FN(self._act)
        self._observe_cb = _lib.OBSERVE_FN(self._observe)
        self._fault_message_cb = _lib.FAULT_MESSAGE_FN(self._fault_message)
        self._message = ctypes.create_string_buffer(1)  # what C borrows from fault_message
        cls.init = self._init_cb
        cls.act = self._act_cb
        cls.fault_message = self._fault_message_cb
        if type(agent).observe is not Agent.observe:  # a callback per action costs ~1 us
            cls.observe = self._observe_cb
        self.cls = cls

    def release(self):
        """Drop the class and its callbacks (C will not call them again)."""
        self.cls = self._init_cb = self._act_cb = self._observe_cb = None
        self._fault_message_cb = None

    def _fail(self, e, where):
        if self.exception is None:
            self.exception = e
            try:
                text = "%s() raised %s: %s" % (where, type(e).__name__, e)
            except BaseException:  # noqa: B902: str(e) itself raised
                text = "%s() raised %s" % (where, type(e).__name__)
            self._message = ctypes.create_string_buffer(text.encode("utf-8", "replace")[:599])

    def _fault_message(self, state, payload):
        """truce_agent_class.fault_message: the exception that made the agent fail, as
        "act() raised RuntimeError: boom" (Result.fault_message)."""
        return ctypes.addressof(self._message)

    def _init(self, state, setup_p, err_p, payload):
        try:
            s = setup_p.contents
            agent = self.agent
            params = _lib.decode(s.params) or ""
            agent.scenario = self.scenario
            agent.party = s.party
            agent.params = params
            self.exception = None
            agent.on_start(Setup(s.party, self.scenario.parties[s.party].name, s.n_parties,
                                 s.max_rounds, s.seed, params))
            return 0
        except BaseException as e:  # noqa: B902: reported through the C error
            self._fail(e, "on_start")
            try:
                err = err_p.contents
                message = "agent '%s' of party '%s' raised %s: %s" % (
                    self.cls.name.decode(), self.scenario.parties[setup_p.contents.party].name,
                    type(e).__name__, e)
                err.code = _lib.EINVAL
                err.field = self.cls.name[:127]
                err.message = message.encode("utf-8", "replace")[:1023]
            except BaseException:  # noqa: B902: the error stays without its message
                pass
            return _lib.EINVAL

    def _act(self, state, turn_p, kind_p, offer_p, payload):
        if self.exception is not None:  # observe() raised earlier
            return _lib.EINVAL
        try:
            t = turn_p.contents
            offer = tuple(t.offer[: self.n_issues]) if t.offer else None
            action = self.agent.act(
                Turn(t.round, t.time, offer, t.offer_from, t.offer_utility, bool(t.offer_vetoed)))
            if isinstance(action, _Action):
                kind_p[0] = action.code
                return 0
            if action is None:
                raise TypeError("act() returned None: return truce.ACCEPT, truce.END or an "
                                "outcome to offer")
            for i, k in enumerate(self.scenario.outcome(action)):
                offer_p[i] = k
            kind_p[0] = 0
            return 0
        except BaseException as e:  # noqa: B902: the agent is at fault
            self._fail(e, "act")
            return _lib.EINVAL

    def _observe(self, state, event_p, payload):
        if self.exception is not None:
            return
        try:
            e = event_p.contents
            offer = tuple(e.offer[: self.n_issues]) if e.offer else None
            self.agent.observe(Event(_KINDS[e.kind], e.actor, e.round, e.time, offer))
        except BaseException as e:  # noqa: B902: at fault on its next turn
            self._fail(e, "observe")
