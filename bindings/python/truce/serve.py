# serve.py: a truce.Agent class served over the program-agent protocol (docs/agent-protocol.md),
# so that Python agents play in tournaments: truce.tournament() turns a class into the agent
# spec "proc:PYTHON .../truce/serve.py FILE CLASS", and truce starts this program once per
# negotiation.
"""Serve a truce.Agent subclass as a truce program agent (JSON Lines on stdin/stdout).

    python3 .../truce/serve.py /path/to/agents.py MyAgent

FILE is loaded as a module under another name than __main__ (code under
`if __name__ == "__main__":` does not run), and CLASS (a dotted name for nested classes) is
looked up in it. The agent gets the same truce.Scenario as in truce.negotiate: the scenario
is found among those the environment variable TRUCE_SERVE_SCENARIOS lists (a JSON file of
{"path", "real_steps"} objects, written by truce.tournament) by its parties, issues, options
and the agent's own utilities. What the agent prints goes to standard error; an exception ends
the negotiation with the agent at fault and the exception in the fault message.
"""

import importlib.util
import json
import math
import os
import sys

SERVING = "TRUCE_SERVING"  # set in the served process: a tournament started there is refused


def _load_class(path, name):
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)  # as when the file runs as a script: its neighbours import
    spec = importlib.util.spec_from_file_location("truce_served_agent", path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load %s as a Python module" % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    obj = module
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _params_text(params):
    """start.params (numbers as numbers) back into "key=value:key=value"."""
    def text(v):
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return str(v)
    return ":".join("%s=%s" % (k, text(v)) for k, v in params.items())


def _find_scenario(truce, start):
    """The scenario of the tournament this start message comes from."""
    listing = os.environ.get("TRUCE_SERVE_SCENARIOS")
    if not listing:
        raise RuntimeError("TRUCE_SERVE_SCENARIOS is not set: truce.tournament() serves "
                           "Python agents and sets it")
    with open(listing, encoding="utf-8") as f:
        candidates = json.load(f)
    parties = start["parties"]
    # names and option counts (labels of numbers may be printed differently)
    issues = [(i["name"], len(i["options"])) for i in start["issues"]]
    best = tuple(start["best"])
    for c in candidates:
        sc = truce.load(c["path"], real_steps=c.get("real_steps"))
        if [p.name for p in sc.parties] != parties:
            continue
        if [(i.name, len(i.options)) for i in sc.issues] != issues:
            continue
        if math.isclose(sc.utility(best, start["party_index"]), start["best_utility"],
                        abs_tol=1e-9):
            return sc
    raise RuntimeError("none of the tournament's scenarios has the parties %s and these "
                       "issues" % ", ".join(parties))


def serve(path, name, stdin=None, stdout=None):
    """Answer truce's messages for one negotiation; returns the exit status."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    sys.stdout = sys.stderr  # the agent's prints must not reach the protocol
    os.environ[SERVING] = "1"
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if here not in sys.path:
        sys.path.insert(0, here)
    import truce
    from truce.agent import _Action

    def send(obj):
        out.write(json.dumps(obj) + "\n")
        out.flush()

    def fail(where, e):
        # not a JSON object: truce ends the negotiation with this text as the reason
        try:
            text = "%s() raised %s: %s" % (where, type(e).__name__, e)
        except BaseException:  # noqa: B902: str(e) itself raised
            text = "%s() raised %s" % (where, type(e).__name__)
        out.write(text.replace("\n", " ")[:500] + "\n")
        out.flush()
        return 1

    agent = sc = None
    for line in stdin:
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "start":
            try:
                cls = _load_class(path, name)
                sc = _find_scenario(truce, msg)
                params = _params_text(msg.get("params") or {})
                agent = cls()
                party = msg["party_index"]
                agent.scenario, agent.party, agent.params = sc, party, params
                seats = sum(1 for p in sc.parties if p.role == "principal")
                agent.on_start(truce.Setup(party, msg["party"], seats, msg["max_rounds"],
                                           msg["seed"], params))
            except BaseException as e:  # noqa: B902: the agent is at fault
                return fail("on_start", e)
            send({"type": "ready", "protocol": 1, "name": agent.name or cls.__name__.lower()})
        elif kind == "turn":
            names = [p.name for p in sc.parties]
            try:
                for ev in msg.get("events") or []:
                    outcome = ev.get("outcome")
                    agent.observe(truce.Event(ev["type"], names.index(ev["actor"]), ev["round"],
                                              ev["time"],
                                              tuple(outcome) if outcome is not None else None))
            except BaseException as e:  # noqa: B902
                return fail("observe", e)
            offer = msg.get("offer")
            turn = truce.Turn(msg["round"], msg["time"],
                              tuple(offer) if offer is not None else None,
                              names.index(msg["from"]) if msg.get("from") is not None else None,
                              msg.get("utility") if msg.get("utility") is not None else 0.0)
            try:
                action = agent.act(turn)
                if action is None:
                    raise TypeError("act() returned None: return truce.ACCEPT, truce.END or an "
                                    "outcome to offer")
                if isinstance(action, _Action):
                    send({"action": "accept" if action is truce.ACCEPT else "end"})
                else:
                    send({"action": "offer", "outcome": list(sc.outcome(action))})
            except BaseException as e:  # noqa: B902
                return fail("act", e)
        elif kind == "review":
            send({"answer": "accept"})  # tournaments do not mediate
        elif kind == "end":
            return 0
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        sys.stderr.write("usage: serve.py FILE CLASS\n")
        return 2
    return serve(argv[0], argv[1])


if __name__ == "__main__":
    # run as a script, its own folder (the package) comes first on the path: put the folder
    # that holds the package there instead, so that `import truce` finds it
    package = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == package:
        sys.path[0] = os.path.dirname(package)
    sys.exit(main())
