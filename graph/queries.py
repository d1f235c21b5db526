"""Named queries: ``queries/*.rq`` and the quality checks ``queries/checks/*-violation.rq``.

Each file starts with a header the loader reads::

    # name: tasks-by-agency
    # summary@zh: …
    # summary@en: …
    # param: agency  agency  required
    # returns: plan number heading role

A query is prepared once per process and run with ``initBindings``: parameter values are
resolved to RDF terms (an agency name to its IRI, a 发文字号 to its document…) and never
formatted into the query text.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from ._ox import from_ox, to_ox
from .errors import QueryArgumentError, UnknownNameError
from .iris import BASE
from .names import resolve_agency, resolve_document, resolve_role, resolve_sector
from .parse import normalise_number
from .paths import queries_dir
from .sparql import Answer, answer_of

__all__ = ["NamedQuery", "Param", "load_queries", "named_query", "newest_with_tasks", "run_checks",
           "run_named"]

CHECK_PREFIX = "checks/"


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    required: bool


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary_zh: str
    summary_en: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    text: str
    file: str

    @property
    def is_check(self) -> bool:
        return self.name.endswith("-violation")


def _docnumber(g: Graph, value: str) -> Node:
    normal = normalise_number(value)
    if normal is None:
        raise QueryArgumentError(f"不是发文字号：{value}", f"not a document number: {value}")
    return Literal(normal)


def _literal(g: Graph, value: str) -> Node:
    return Literal(value)


def _indicator(g: Graph, value: str) -> Node:
    """An indicator as printed (新建5G基站, 3岁以下托位数): the Chinese literal of targets."""
    return Literal(value.strip(), lang="zh")


def _task(g: Graph, value: str) -> Node:
    from .backends.values import sparql_term
    iri = URIRef(value)
    if not value.startswith(BASE + "eli/"):
        raise QueryArgumentError(f"不是任务 IRI：{value}", f"not a task IRI: {value}")
    sparql_term(iri)  # refuses characters an IRI may not hold
    return iri


RESOLVERS: dict[str, Callable[[Graph, str], Node]] = {
    "agency": resolve_agency,
    "sector": resolve_sector,
    "document": resolve_document,
    "role": lambda g, value: resolve_role(value),
    "docnumber": _docnumber,
    "literal": _literal,
    "indicator": _indicator,
    "task": _task,
}


def _header(text: str, file: str) -> NamedQuery:
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        if key == "param":
            name, kind, need = value.split()
            if kind not in RESOLVERS or need not in ("required", "optional"):
                raise QueryArgumentError(f"查询头格式错误：{file}", f"bad param line in {file}")
            params.append(Param(name, kind, need == "required"))
        elif key in ("name", "summary@zh", "summary@en", "returns"):
            fields[key] = value.strip()
    missing = {"name", "summary@zh", "summary@en", "returns"} - set(fields)
    if missing:
        raise QueryArgumentError(f"查询头缺少字段 {sorted(missing)}：{file}",
                                 f"query header of {file} lacks {sorted(missing)}")
    return NamedQuery(fields["name"], fields["summary@zh"], fields["summary@en"],
                      tuple(params), tuple(fields["returns"].split()), text, file)


@cache
def load_queries() -> dict[str, NamedQuery]:
    """Every named query and check, by name (checks are named ``checks/NAME``)."""
    found: dict[str, NamedQuery] = {}
    for folder, prefix in ((queries_dir(), ""), (queries_dir().joinpath("checks"), CHECK_PREFIX)):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".rq"):
                query = _header(entry.read_text(encoding="utf-8"), prefix + entry.name)
                found[prefix + query.name] = query
    return found


def named_query(name: str) -> NamedQuery:
    queries = load_queries()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=1, cutoff=0.3)
    raise UnknownNameError("查询", "query", name, suggestion=close[0] if close else None)


@cache
def _prepared(name: str) -> Query:
    return prepareQuery(named_query(name).text)


def _bindings(g: Graph, query: NamedQuery, values: Mapping[str, str]) -> dict[str, Node]:
    known = {p.name for p in query.params}
    unknown = set(values) - known
    if unknown:
        raise QueryArgumentError(
            f"查询 {query.name} 没有参数 {', '.join(sorted(unknown))}（可用：{', '.join(known) or '无'}）",
            f"query {query.name} has no parameter {', '.join(sorted(unknown))} "
            f"(it takes: {', '.join(known) or 'none'})")
    bindings = {}
    for param in query.params:
        value = values.get(param.name)
        if value is None or value == "":
            if param.required:
                raise QueryArgumentError(f"缺少必需参数 {param.name}",
                                         f"missing required parameter {param.name}")
            continue
        bindings[param.name] = RESOLVERS[param.kind](g, value)
    return bindings


def _on_rdflib(g: Graph, name: str, bindings: dict[str, Node]) -> Answer:
    return answer_of(lambda: g.query(_prepared(name), initBindings=bindings))


def run_named(g: Graph, name: str, values: Mapping[str, str] | None = None) -> Answer:
    """Run the named query ``name`` on ``g`` with parameter values as people type them."""
    return _on_rdflib(g, name, _bindings(g, named_query(name), values or {}))


def _on_store(store, name: str, values: Mapping[str, str] | None):
    """The query and its bindings, resolved on the store's catalogue of names."""
    query = named_query(name)
    return query, _bindings(store.catalog, query, values or {})


def run_named_on_store(store, name: str, values: Mapping[str, str] | None = None) -> Answer:
    """Run a named query on a :class:`~plankg.graph.store.GraphStore`, whatever its backend: rdflib
    binds the parameters with ``initBindings``, the others with an inline ``VALUES`` block
    (:mod:`plankg.graph.backends.values`); a test checks that every backend gives the same rows."""
    query, bindings = _on_store(store, name, values)
    variables, rows = store.select(query.text, substitutions=bindings, trusted=True)
    return Answer("SELECT", variables, rows)


def records_on_store(store, name: str, values: Mapping[str, str] | None = None) -> list[dict]:
    """Like :func:`run_named_on_store`, as plain records (JSON-ready), for the service."""
    query, bindings = _on_store(store, name, values)
    return store.select_records(query.text, substitutions=bindings)


def newest_with_tasks(plans: Sequence[Mapping[str, object]]) -> str | None:
    """The 发文字号 of the newest plan with tasks, from the rows of the named query ``plans``
    (newest first): what a task number means when no plan is named. A plan without tasks (a
    city plan known only as a citation) is passed over.

    >>> newest_with_tasks([{"number": "晋市政办〔2023〕1号", "tasks": 0},
    ...              {"number": "沁政办发〔2022〕33号", "tasks": 66}])
    '沁政办发〔2022〕33号'
    """
    numbers = [str(p["number"]) for p in plans if p["tasks"]]
    return numbers[0] if numbers else (str(plans[0]["number"]) if plans else None)


def _answer_of_ox(solutions) -> Answer:
    variables = [v.value for v in solutions.variables]
    rows = [[from_ox(row[v]) if row[v] is not None else None for v in solutions.variables]
            for row in solutions]
    return Answer("SELECT", variables, rows)


def run_checks(g: Graph, *, engine: str = "oxigraph") -> dict[str, Answer]:
    """Every quality check; a check passes when its answer has no rows.

    The checks take no parameters, so they run as they are on Oxigraph (the graph is copied
    into an in-memory store: tens of milliseconds where rdflib takes half a second on the seed);
    ``engine="rdflib"`` runs them on rdflib's engine instead. A test checks that both agree.
    """
    checks = {name: q for name, q in load_queries().items() if q.is_check}
    if engine == "rdflib":
        return {name: run_named(g, name) for name in checks}
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o))
                      for s, p, o in g.triples((None, None, None)))
    return {name: _answer_of_ox(store.query(query.text)) for name, query in checks.items()}
