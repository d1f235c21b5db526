"""Run SPARQL on a graph, read-only, and give the answer as rows or as RDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Node

from .errors import QueryArgumentError
from .iris import BASE, PREFIXES

# Never fetch graphs named in FROM / FROM NAMED from the web or the file system.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__all__ = ["Answer", "answer_of", "plain", "run_sparql", "to_records", "to_sparql_json"]


@dataclass
class Answer:
    """A SELECT answer (``variables`` and ``rows``), an ASK answer, or a graph."""

    kind: str
    variables: list[str]
    rows: list[list[object]]
    boolean: bool | None = None
    graph: Graph | None = None


def run_sparql(g: Graph, text: str, *, base_iri: str = BASE) -> Answer:
    """Run a SPARQL query (not an update) with the project's prefixes predefined and its
    relative IRIs resolved against ``base_iri`` (as :meth:`GraphStore.answer` does)."""
    try:
        query = prepareQuery(text, initNs={k: str(v) for k, v in PREFIXES.items()},
                             base=base_iri)
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


def _term_json(value: Node) -> dict[str, str]:
    if isinstance(value, URIRef):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, BNode):
        return {"type": "bnode", "value": str(value)}
    term = {"type": "literal", "value": str(value)}
    if isinstance(value, Literal) and value.language:
        term["xml:lang"] = value.language
    elif isinstance(value, Literal) and value.datatype:
        term["datatype"] = str(value.datatype)
    return term


def to_sparql_json(answer: Answer) -> dict:
    """The SPARQL 1.1 Query Results JSON of a SELECT or ASK answer."""
    if answer.kind == "ASK":
        return {"head": {}, "boolean": answer.boolean}
    bindings = [{v: _term_json(x) for v, x in zip(answer.variables, row) if x is not None}
                for row in answer.rows]
    return {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}


def plain(value: Node | None) -> object:
    """A JSON value for an RDF term: IRIs and strings as text, numbers and booleans as such.

    >>> plain(Literal(3)), plain(Literal("县", lang="zh")), plain(URIRef("https://x/y"))
    (3, '县', 'https://x/y')
    """
    if value is None:
        return None
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, bool | int | float) and not isinstance(python, Literal):
            return python
        if isinstance(python, Decimal):
            return float(python) if python % 1 else int(python)
        return str(value)
    return str(value)


def to_records(answer: Answer) -> list[dict[str, object]]:
    """A SELECT answer as a list of plain dicts, one per row."""
    return [{v: plain(x) for v, x in zip(answer.variables, row)} for row in answer.rows]
