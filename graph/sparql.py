"""Run SPARQL on a graph, read-only, and give the answer as rows or as RDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib import Graph
from rdflib.query import Result
from rdflib.plugins.sparql import prepareQuery

from .errors import QueryArgumentError
from .iris import PREFIXES

# Never fetch graphs named in FROM / FROM NAMED from the web or the file system.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__all__ = ["Answer", "run_sparql", "answer_of"]


@dataclass
class Answer:
    """A SELECT answer (``variables`` and ``rows``), an ASK answer, or a graph."""

    kind: str
    variables: list[str]
    rows: list[list[object]]
    boolean: bool | None = None
    graph: Graph | None = None


def run_sparql(g: Graph, text: str) -> Answer:
    """Run a SPARQL query (not an update) with the project's prefixes predefined."""
    try:
        query = prepareQuery(text, initNs={k: str(v) for k, v in PREFIXES.items()})
    except ParseException as exc:
        raise QueryArgumentError(f"SPARQL 语法错误（第 {exc.lineno} 行，第 {exc.col} 列）",
                                 f"SPARQL syntax error at line {exc.lineno}, column {exc.col}"
                                 ) from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exception (unknown prefix…)
        raise QueryArgumentError("无法解析 SPARQL 查询", f"cannot parse the SPARQL query "
                                 f"({type(exc).__name__})") from None
    return answer_of(lambda: g.query(query))


def answer_of(run: Callable[[], Result]) -> Answer:
    """Evaluate a query (``run`` returns rdflib's lazy result) into an :class:`Answer`."""
    try:
        return _answer(run())
    except Exception as exc:  # noqa: BLE001 - the engine's own failure, reported without a trace
        raise QueryArgumentError("SPARQL 查询执行失败", f"the SPARQL query failed while running "
                                 f"({type(exc).__name__})") from None


def _answer(result: Result) -> Answer:
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars]
        return Answer("SELECT", variables, [list(row) for row in result])
    if result.type == "ASK":
        return Answer("ASK", [], [], boolean=bool(result.askAnswer))
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    for triple in result:
        graph.add(triple)
    return Answer(result.type, [], [], graph=graph)
