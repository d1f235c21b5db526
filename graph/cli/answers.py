"""Print a SPARQL answer as a table, JSON, CSV, SPARQL results JSON or Turtle."""

from __future__ import annotations

from rdflib import URIRef

from .. import iris
from ..render import table, to_csv, to_json
from ..sparql import Answer, plain, to_records, to_sparql_json

__all__ = ["compact", "print_answer"]


def compact(value) -> str:
    """A cell for people: IRIs compacted (:func:`graph.iris.compact`), literals as plain values.

    >>> compact(URIRef("https://w3id.org/plankg/id/role/lead"))
    'id/role/lead'
    """
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return iris.compact(str(value))
    return str(plain(value))


def print_answer(answer: Answer, fmt: str) -> None:
    if answer.graph is not None:
        print(answer.graph.serialize(format="turtle"))
    elif fmt in ("json", "sparql-json") and answer.kind == "ASK":
        print(to_json(to_sparql_json(answer)))
    elif answer.kind == "ASK":
        print(str(answer.boolean).lower())
    elif fmt == "sparql-json":
        print(to_json(to_sparql_json(answer)))
    elif fmt == "json":
        print(to_json(to_records(answer)))
    elif fmt == "csv":
        rows = [["" if x is None else str(x) for x in row] for row in answer.rows]
        print(to_csv(answer.variables, rows), end="")
    else:
        rows = [[compact(x) for x in row] for row in answer.rows]
        print(table(answer.variables, rows, max_width=48))
        print(f"\n共 {len(answer.rows)} 行 / {len(answer.rows)} rows")
