# __init__.py: the truce package, Python bindings of libtruce over ctypes: scenarios, analysis,
# negotiations with built-in and Python agents, checks, mediation and tournaments
# (bindings/python/README.md).
"""truce: a fast negotiation engine (libtruce) from Python.

    import truce
    sc = truce.load("examples/genius/ceasefire")      # GENIUS folder, files, or native YAML
    a = sc.analyze()                                   # a.pareto.points, a.nash.utilities, ...
    r = truce.negotiate(sc, agents=["boulware", "conceder"], rounds=100, seed=1)
    r.agreement, r.outcome, r.utilities, r.trace
    res = truce.tournament(agents=["boulware", "conceder", "tft"],
                           scenarios=["examples/genius/ceasefire"], db="results.db")
    res.stats(), res.head_to_head, res.to_records(), res.to_dataframe()
"""

from ._lib import (
    TruceError,
    TruceIOError,
    TruceLimitError,
    TruceMemoryError,
    TruceNotFoundError,
    TruceParseError,
    TruceValueError,
    library_path,
    version,
)
from .agent import ACCEPT, END, Agent, Event, Setup, Turn
from .analysis import Analysis, Pareto, Solution, analyze
from .model import Mediation, advise, check, mediate, tradeoffs
from .negotiation import Negotiation, Result, agent_info, agents, negotiate
from .scenario import Issue, Party, Scenario, generate, load
from .tournament import Results, Status, Tournament, results, tournament

__version__ = "0.1.0"

__all__ = [
    "ACCEPT", "END", "Agent", "Analysis", "Event", "Issue", "Mediation", "Negotiation",
    "Pareto", "Party", "Result", "Results", "Scenario", "Setup", "Solution", "Status",
    "Tournament", "Turn", "TruceError",
    "TruceIOError", "TruceLimitError", "TruceMemoryError", "TruceNotFoundError",
    "TruceParseError", "TruceValueError", "advise", "agent_info", "agents", "analyze", "check", "generate",
    "library_path", "load", "mediate", "negotiate", "results", "tournament", "tradeoffs",
    "version",
]
