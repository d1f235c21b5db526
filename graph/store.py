"""The served graph: the built dataset in an embedded Oxigraph store, queried safely.

A :class:`GraphStore` holds the release twice: as an rdflib dataset, for the name resolvers and
the task records, and as an in-memory pyoxigraph store, for SPARQL (tens to hundreds of times
faster than rdflib's engine on our queries). Every query is parsed first, and refused before
evaluation when it would reach outside: ``SERVICE`` (both engines follow it), or a dataset IRI
(FROM, FROM NAMED, default-graph-uri, named-graph-uri) that is not a graph we hold.
rdflib's parser is not thread-safe on a cold start (rdflib #1282): parsing is locked, and the
store parses one query when it is made.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Dataset
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ._ox import from_ox, plain_ox, to_ox
from .errors import QueryArgumentError
from .iris import PREFIXES

__all__ = ["ForbiddenQueryError", "GraphStore", "QueryPlan", "inspect_query"]

_PARSE_LOCK = threading.Lock()
FORBIDDEN_ZH = "不允许 SERVICE：本端点不访问外部资源"
FORBIDDEN_EN = "SERVICE is not allowed: this endpoint never fetches anything"


@dataclass(frozen=True)
class QueryPlan:
    """What a parsed query is: its form and the dataset it names."""

    form: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


class ForbiddenQueryError(QueryArgumentError):
    """A query that would reach outside the store (SERVICE), refused before evaluation."""


def _walk(node) -> Iterable[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)


@lru_cache(maxsize=1024)
def inspect_query(text: str) -> QueryPlan:
    """Parse ``text`` (a SPARQL query, not an update) and say what it is; refuse SERVICE.

    rdflib's parser takes tens of milliseconds and is locked, so plans are cached by the exact
    query text (a refusal is not cached: it is raised again, from a fresh parse).
    """
    try:
        with _PARSE_LOCK:
            parsed = parseQuery(text)  # prefixed names are only resolved later, by the engine
    except ParseException as exc:
        raise QueryArgumentError(f"SPARQL 语法错误（第 {exc.lineno} 行，第 {exc.col} 列）",
                                 f"SPARQL syntax error at line {exc.lineno}, column {exc.col}"
                                 ) from None
    except Exception:  # noqa: BLE001 - rdflib raises assorted errors on bad input
        raise QueryArgumentError("无法解析 SPARQL 查询", "cannot parse the SPARQL query") from None
    query = parsed[1]
    defaults, named = [], []
    for node in _walk(query):
        if node.name == "ServiceGraphPattern":
            raise ForbiddenQueryError(FORBIDDEN_ZH, FORBIDDEN_EN)
        if node.name == "DatasetClause":
            if "default" in node:
                defaults.append(str(node["default"]))
            if "named" in node:
                named.append(str(node["named"]))
    form = query.name.replace("Query", "").upper()
    return QueryPlan(form, tuple(defaults), tuple(named))


class GraphStore:
    """The built dataset, for SPARQL (Oxigraph) and for the graph API (rdflib)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.ox = ox.Store()
        self.ox.bulk_extend(
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g.identifier)))
            for g in dataset.graphs() if len(g) for s, p, o in g)
        # The default graph holds the union of the named graphs, without duplicates: Oxigraph's
        # own union view repeats a triple once per graph that holds it.
        self.ox.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o))
                            for s, p, o in dataset.triples((None, None, None)))
        self.graph_names = frozenset(str(g.identifier) for g in dataset.graphs() if len(g))
        self.memo: dict = {}  # answers that cannot change while the store lives
        inspect_query("ASK { ?s ?p ?o }")  # warm rdflib's parser up before any thread uses it

    def check_dataset(self, graphs: Iterable[str]) -> None:
        unknown = sorted(set(graphs) - self.graph_names)
        if unknown:
            raise ForbiddenQueryError(f"未知的图：{unknown[0]}（只能查询本库中的图）",
                                      f"unknown graph {unknown[0]}: only graphs held here can "
                                      f"be queried")

    def _run(self, text: str, plan: QueryPlan, *, default_graph_uris: tuple[str, ...] = (),
             named_graph_uris: tuple[str, ...] = (),
             substitutions: Mapping[str, object] | None = None):
        defaults = default_graph_uris or plan.default_graphs
        named = named_graph_uris or plan.named_graphs
        self.check_dataset((*defaults, *named))
        options: dict = {"prefixes": {p: str(ns) for p, ns in PREFIXES.items()}}
        if defaults:
            options["default_graph"] = [ox.NamedNode(g) for g in defaults]
        if named:
            options["named_graphs"] = [ox.NamedNode(g) for g in named]
        if substitutions:
            options["substitutions"] = {ox.Variable(k): to_ox(v)
                                        for k, v in substitutions.items()}
        try:
            return self.ox.query(text, **options)
        except SyntaxError as exc:
            raise QueryArgumentError("SPARQL 语法错误", f"SPARQL syntax error: {exc}") from None

    def serialize(self, text: str, plan: QueryPlan, *, fmt, default_graph_uris=(),
                  named_graph_uris=()) -> bytes:
        """Run a read-only query and serialise its answer in ``fmt`` (a results format for
        SELECT and ASK, an RDF format for CONSTRUCT and DESCRIBE).

        pyoxigraph's result objects belong to the thread that made them, so each is made,
        consumed and dropped here. Without a dataset, the default graph is the union of every
        graph, as people expect.
        """
        results = self._run(text, plan, default_graph_uris=default_graph_uris,
                            named_graph_uris=named_graph_uris)
        try:
            return results.serialize(format=fmt)
        finally:
            del results

    def select(self, text: str, *, substitutions: Mapping[str, object] | None = None,
               trusted: bool = False) -> tuple[list[str], list[list]]:
        """Run a SELECT; its variables and rows of rdflib terms (None where unbound).

        ``trusted`` is for the project's own named queries: they are not inspected.
        """
        plan = QueryPlan("SELECT", (), ()) if trusted else inspect_query(text)
        solutions = self._run(text, plan, substitutions=substitutions)
        try:
            variables = list(solutions.variables)
            rows = [[from_ox(row[v]) if row[v] is not None else None for v in variables]
                    for row in solutions]
            return [v.value for v in variables], rows
        finally:
            del solutions

    def select_records(self, text: str, *, substitutions: Mapping[str, object] | None = None
                       ) -> list[dict[str, object]]:
        """Run one of our own SELECTs; rows as plain JSON-ready dicts."""
        solutions = self._run(text, QueryPlan("SELECT", (), ()), substitutions=substitutions)
        try:
            variables = list(solutions.variables)
            return [{v.value: plain_ox(row[v]) for v in variables} for row in solutions]
        finally:
            del solutions

    def ask(self, text: str) -> bool:
        """Run an ASK query."""
        result = self._run(text, inspect_query(text))
        return bool(result)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The whole graph: every named graph (TriG, N-Quads), or their union (other formats)."""
        if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            quads = [q for q in self.ox if not isinstance(q.graph_name, ox.DefaultGraph)]
            return ox.serialize(quads, format=fmt,
                                prefixes={p: str(ns) for p, ns in PREFIXES.items()})
        return self.ox.dump(format=fmt, from_graph=ox.DefaultGraph(),
                            prefixes={p: str(ns) for p, ns in PREFIXES.items()})

