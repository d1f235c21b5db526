"""Print a SPARQL answer as a table, JSON, CSV, SPARQL results JSON or Turtle.

Tables and CSV are read by people: a role prints as its words (``配合 support``, which
``--role`` and ``-p role=`` take back). JSON and SPARQL results JSON are read by programs and
keep every IRI, the same on every command, the API and every store.
"""

from __future__ import annotations

from rdflib import URIRef

from .. import iris
from ..render import table, to_csv, to_json
from ..sparql import Answer, plain, to_records, to_sparql_json
from ..tasks import ROLE_ZH, role_label

__all__ = ["compact", "print_answer"]

ROLE = str(iris.concept("role", ""))


def _role(value) -> str | None:
    """The words of a role concept (``配合 support``), or None for any other term."""
    if isinstance(value, URIRef) and value.startswith(ROLE) and value[len(ROLE):] in ROLE_ZH:
        return role_label(value)
    return None


def compact(value) -> str:
    """A cell for people: roles in words, other IRIs compacted (:func:`plankg.graph.iris.compact`),
    literals as plain values.

    >>> compact(URIRef("https://w3id.org/plankg/id/role/lead"))
    '牵头 lead'
    >>> compact(URIRef("https://w3id.org/plankg/id/sector/plankg/finance"))
    'id/sector/plankg/finance'
    """
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return _role(value) or iris.compact(str(value))
    return str(plain(value))


def _csv_cell(value) -> str:
    """A CSV cell: roles in words, other IRIs whole (a spreadsheet may link them)."""
    if value is None:
        return ""
    return _role(value) or str(value)


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
        rows = [[_csv_cell(x) for x in row] for row in answer.rows]
        print(to_csv(answer.variables, rows), end="")
    else:
        rows = [[compact(x) for x in row] for row in answer.rows]
        print(table(answer.variables, rows, max_width=48))
        print(f"\n共 {len(answer.rows)} 行 / {len(answer.rows)} rows")
