"""The served graph: a store backend (:mod:`plankg.graph.backends`), queried safely.

A :class:`GraphStore` puts one :class:`~plankg.graph.backends.Backend` (rdflib in memory, embedded
Oxigraph, or a SPARQL server) behind what the service and the commands need: SPARQL for people,
the named queries, and small rdflib graphs read out of the store for the name resolvers and the
task records (the catalogue of names, one task's context), so that no answer needs the whole
graph in rdflib. Every user query is parsed first, and refused before evaluation when it would
reach outside: ``SERVICE`` (rdflib and Oxigraph both follow it), or a dataset IRI (FROM, FROM
NAMED, default-graph-uri, named-graph-uri) that is not a graph we hold. A carriage return
without a line feed is refused too: rdflib's parser reads a ``#`` comment on past it where
Oxigraph ends the comment, so ``#\rSERVICE <…>`` would pass the inspection. rdflib's parser is not
thread-safe on a cold start (rdflib #1282): parsing is locked, and the store parses one query
when it is made.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ._ox import to_ox
from .backends import Backend, Selection
from .backends.oxigraph import cut_solutions
from .errors import PlanKGError, QueryArgumentError
from .iris import BASE, PREFIXES
from .paths import queries_dir
from .sparql import Answer, plain

__all__ = ["ForbiddenQueryError", "GraphStore", "QueryPlan", "inspect_query"]

_PARSE_LOCK = threading.Lock()
_BARE_CR = re.compile(r"\r(?!\n)")
FORBIDDEN_ZH = "不允许 SERVICE：本端点不访问外部资源"
FORBIDDEN_EN = "SERVICE is not allowed: this endpoint never fetches anything"
XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_BOUND = 2**63 - 1


@dataclass(frozen=True)
class QueryPlan:
    """What a parsed query is: its form, the dataset it names, and whether a ``LIMIT`` may be
    appended to it (a SELECT with neither LIMIT/OFFSET nor a trailing VALUES)."""

    form: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    limitable: bool = False


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
    """Parse ``text`` (a SPARQL query, not an update) and say what it is; refuse SERVICE,
    functions other than the built-ins and XSD casts, and LIMIT/OFFSET past 63 bits.

    rdflib's parser takes tens of milliseconds and is locked, so plans are cached by the exact
    query text (a refusal is not cached: it is raised again, from a fresh parse).
    """
    if _BARE_CR.search(text):  # rdflib reads a # comment on past it, Oxigraph ends it there
        raise QueryArgumentError("查询中的回车符（CR）后须跟换行符（LF）",
                                 "a carriage return (CR) in the query must be followed by a line "
                                 "feed (LF)")
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
    declared = {p: str(ns) for p, ns in PREFIXES.items()}
    declared.update({_field(d, "prefix"): str(d["iri"]) for d in parsed[0]
                     if d.name == "PrefixDecl"})
    defaults, named = [], []
    for node in _walk(query):
        if node.name == "ServiceGraphPattern":
            raise ForbiddenQueryError(FORBIDDEN_ZH, FORBIDDEN_EN)
        if node.name == "DatasetClause":
            if "default" in node:
                defaults.append(str(node["default"]))
            if "named" in node:
                named.append(str(node["named"]))
        if node.name == "LimitOffsetClauses":
            _check_bounds(node)
        if node.name == "Function":
            _check_function(node, declared)
    form = query.name.replace("Query", "").upper()
    limitable = (query.name == "SelectQuery" and "limitoffset" not in query
                 and "valuesClause" not in query)
    return QueryPlan(form, tuple(defaults), tuple(named), limitable)


def _check_function(node: CompValue, declared: Mapping[str, str]) -> None:
    """Only SPARQL's built-in functions and the XSD casts may be called: no backend here
    defines others, but a SPARQL server may (Virtuoso answers ``bif:http_get("http://…")``,
    its ``bif:`` prefix predefined, by fetching the address)."""
    iri = node["iri"]
    if isinstance(iri, CompValue):  # a prefixed name, as written
        iri = declared.get(_field(iri, "prefix"), "?") + _field(iri, "localname")
    if not str(iri).startswith(XSD):
        raise ForbiddenQueryError(f"只允许 SPARQL 内置函数和 XSD 类型转换，不允许 <{iri}>",
                                  f"only SPARQL's built-in functions and XSD casts may be "
                                  f"called, not <{iri}>")


def _check_bounds(node: CompValue) -> None:
    """LIMIT and OFFSET must fit in 63 bits (Virtuoso wraps larger ones round to negative)."""
    for key in ("limit", "offset"):
        digits = str(node[key]).lstrip("+0") if key in node else ""
        if len(digits) > len(str(MAX_BOUND)) or (digits and int(digits) > MAX_BOUND):
            raise QueryArgumentError(f"{key.upper()} 过大（最大 {MAX_BOUND}）",
                                     f"{key.upper()} is too large (at most {MAX_BOUND})")


def _field(node: CompValue, key: str) -> str:
    """A field of a parsed node, or "" (``CompValue.get`` answers the key when it is missing)."""
    return str(node[key]) if key in node else ""


@cache
def store_query(name: str) -> str:
    """The text of one of the store's own queries (``queries/store/NAME.rq``)."""
    return queries_dir().joinpath("store", f"{name}.rq").read_text(encoding="utf-8")


PLAN_CACHE = 8  # plans whose task contexts a server keeps


class GraphStore:
    """The served graph: a backend, with safety checks, the named-query runner's entry points,
    and small rdflib graphs read out of it."""

    def __init__(self, backend: Backend, *, generation: str | None = None) -> None:
        self.backend = backend
        self.memo: dict = {}  # answers that cannot change while the store is served
        if generation is not None and not getattr(backend, "generation", None):
            self.memo["generation"] = generation  # processes that each load the same release
        self._lock = threading.Lock()
        inspect_query("ASK { ?s ?p ?o }")  # warm rdflib's parser up before any thread uses it

    @classmethod
    def of(cls, dataset: Dataset, *, engine: str = "oxigraph") -> GraphStore:
        """A store holding ``dataset``'s named graphs in memory (``oxigraph`` or ``memory``)."""
        if engine == "memory":
            from .backends.memory import MemoryBackend
            return cls(MemoryBackend(dataset))
        from .backends.oxigraph import in_memory
        return cls(in_memory(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g.identifier)))
                             for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID
                             for s, p, o in g))

    def memoised(self, key, make):
        with self._lock:
            if key in self.memo:
                return self.memo[key]
        value = make()
        with self._lock:
            self.memo[key] = value
        return value

    @property
    def generation(self) -> str:
        """A name for what the store holds, changed whenever that may have changed: a
        persistent Oxigraph store's generation (the same in every process that reads it), else
        a name made once for this store (a store in memory is new in each process, and a
        SPARQL server's data is taken as fixed while it is served, as everything memoised here
        is). The service keys its caches and ETags by it."""
        return self.memoised("generation", lambda: getattr(self.backend, "generation", None)
                             or f"store-{uuid.uuid4().hex}")

    @property
    def graph_names(self) -> frozenset[str]:
        return self.memoised("graph_names", self.backend.graph_names)

    def count(self) -> int:
        """Distinct triples in the merge of every graph."""
        return self.memoised("count", self.backend.count)

    def check_dataset(self, graphs: Iterable[str]) -> None:
        unknown = sorted(set(graphs) - self.graph_names)
        if unknown:
            raise ForbiddenQueryError(f"未知的图：{unknown[0]}（只能查询本库中的图）",
                                      f"unknown graph {unknown[0]}: only graphs held here can "
                                      f"be queried")

    def _dataset(self, plan: QueryPlan, default_graph_uris: tuple[str, ...],
                 named_graph_uris: tuple[str, ...]) -> Selection:
        defaults = default_graph_uris or plan.default_graphs
        named = named_graph_uris or plan.named_graphs
        self.check_dataset((*defaults, *named))
        return Selection(tuple(defaults), tuple(named))

    def serialize(self, text: str, plan: QueryPlan, *, fmt, default_graph_uris=(),
                  named_graph_uris=(), max_rows: int | None = None,
                  base_iri: str | None = None) -> bytes:
        """Run a user's read-only query (already inspected) and serialise its answer in ``fmt``
        (a results format for SELECT and ASK, an RDF format for CONSTRUCT and DESCRIBE).
        Without a dataset, the default graph is the merge of every graph, as people expect.
        With ``max_rows``, a SELECT's answer is cut there (see :meth:`serialize_rows`).
        Relative IRIs are resolved against ``base_iri`` (the endpoint's address) unless the
        query has a BASE."""
        if max_rows is not None and plan.form == "SELECT":
            return self.serialize_rows(text, plan, fmt=fmt, default_graph_uris=default_graph_uris,
                                       named_graph_uris=named_graph_uris, max_rows=max_rows,
                                       base_iri=base_iri)[0]
        dataset = self._dataset(plan, default_graph_uris, named_graph_uris)
        return self.backend.serialize(text, form=plan.form, fmt=fmt, dataset=dataset,
                                      base_iri=base_iri)

    def serialize_rows(self, text: str, plan: QueryPlan, *, fmt: ox.QueryResultsFormat,
                       max_rows: int, default_graph_uris=(), named_graph_uris=(),
                       base_iri: str | None = None) -> tuple[bytes, bool]:
        """A user's SELECT (already inspected), its answer cut to ``max_rows`` rows and written
        in ``fmt``; and whether it was cut. On Oxigraph the solutions are read no further than
        one past the limit (the engine stops there, whatever LIMIT the query has), and written
        in the client's format where they are read (in a query worker: nothing is parsed
        again in the server)."""
        dataset = self._dataset(plan, default_graph_uris, named_graph_uris)
        capped = getattr(self.backend, "serialize_capped", None)
        if capped is not None:
            return capped(text, fmt=fmt, dataset=dataset, max_rows=max_rows, base_iri=base_iri)
        body = self.backend.serialize(text, form=plan.form, fmt=ox.QueryResultsFormat.JSON,
                                      dataset=dataset, base_iri=base_iri)
        return cut_solutions(body, fmt, max_rows)

    def select(self, text: str, *, substitutions: Mapping[str, object] | None = None,
               trusted: bool = False, base_iri: str | None = None
               ) -> tuple[list[str], list[list]]:
        """Run a SELECT; its variables and rows of rdflib terms (None where unbound), relative
        IRIs resolved against ``base_iri``.

        ``trusted`` is for the project's own queries: they are not inspected.
        """
        dataset = Selection() if trusted else self._dataset(inspect_query(text), (), ())
        return self.backend.select(text, bindings=substitutions, dataset=dataset,
                                   base_iri=base_iri)

    def select_records(self, text: str, *, substitutions: Mapping[str, object] | None = None
                       ) -> list[dict[str, object]]:
        """Run one of our own SELECTs; rows as plain JSON-ready dicts."""
        fast = getattr(self.backend, "select_plain", None)
        if fast is not None:
            return fast(text, bindings=substitutions)
        variables, rows = self.backend.select(text, bindings=substitutions)
        return [{v: plain(x) for v, x in zip(variables, row)} for row in rows]

    def ask(self, text: str, *, base_iri: str | None = None) -> bool:
        """Run a user's ASK query, relative IRIs resolved against ``base_iri``."""
        return self.backend.ask(text, dataset=self._dataset(inspect_query(text), (), ()),
                                base_iri=base_iri)

    def answer(self, text: str, *, base_iri: str = BASE) -> Answer:
        """A user's read-only query, inspected first as at ``/sparql``, answered as rows, a
        boolean or a graph: what ``plankg sparql --store`` prints. Relative IRIs resolve
        against ``base_iri``, by default the base of our IRIs (``<id/agency/140521/drc>``), unless
        the query declares its own BASE."""
        plan = inspect_query(text)
        dataset = self._dataset(plan, (), ())
        if plan.form == "SELECT":
            variables, rows = self.backend.select(text, dataset=dataset, base_iri=base_iri)
            return Answer("SELECT", variables, rows)
        if plan.form == "ASK":
            return Answer("ASK", [], [], boolean=self.backend.ask(text, dataset=dataset,
                                                                  base_iri=base_iri))
        graph = self.backend.construct(text, dataset=dataset, base_iri=base_iri)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        return Answer(plan.form, [], [], graph=graph)

    def construct(self, name: str, **bindings) -> Graph:
        """Run one of the store's own CONSTRUCT queries (``queries/store/``)."""
        return self.backend.construct(store_query(name), bindings=bindings)

    @property
    def catalog(self) -> Graph:
        """The names of agencies, documents, plans and concepts: what the resolvers read."""
        return self.memoised("catalog", lambda: self.construct("catalog"))

    def plans_to_compare(self) -> tuple[Graph, Callable[[URIRef], Graph]]:
        """What ``validate --against`` compares a new plan year with: every plan's header
        (number, year, issuer, title, basis), and a reader of one plan's task records, so that
        a large store is never copied whole. A store without plans is an error."""
        headers = self.construct("plan-headers")
        if not len(headers):
            raise PlanKGError("存储中没有规划：请先用 plankg load 载入",
                              "the store holds no plans: load them first with plankg load")
        return headers, lambda plan: (self.construct("task-context", plan=plan)
                                      + self.construct("plan-goals", plan=plan))

    def task_graph(self, task: URIRef | None = None, *, plan: URIRef | None = None) -> Graph:
        """One task's context: what its record reads. With ``plan``, the contexts of that
        plan's tasks; with neither, every task's; both with the catalogue (the filters resolve
        names on it)."""
        if task is not None:
            return self.construct("task-context", task=task)
        if plan is not None:
            key = ("plan_tasks", str(plan))
            graph = self.memoised(key, lambda: self.construct("task-context", plan=plan)
                                  + self.catalog)
            with self._lock:  # the last PLAN_CACHE plans asked for stay (a plan's tasks are
                # about 15,000 triples: a store of a thousand plans must not fill the memory)
                self.memo[key] = self.memo.pop(key, graph)  # newest last
                kept = [k for k in self.memo if isinstance(k, tuple) and k[0] == "plan_tasks"]
                for old in kept[:-PLAN_CACHE]:
                    del self.memo[old]
            return graph

        def make() -> Graph:
            graph = self.construct("task-context")
            graph += self.catalog
            return graph
        return self.memoised("every_task", make)

    def find_task(self, number: str, *, plan: URIRef) -> URIRef:
        """The IRI of task ``number`` (as printed) in ``plan``; raises with the range known."""
        from .errors import UnknownNameError
        found = self.memoised(("task_numbers", str(plan)), lambda: {
            str(r["number"]): URIRef(r["task"]) for r in self.select_records(
                store_query("task-numbers"), substitutions={"plan": plan})})
        if number in found:
            return found[number]
        numbers = sorted(found, key=lambda n: int(n) if n.isdigit() else 0)
        raise UnknownNameError("任务", "task", number,
                               suggestion=f"{numbers[0]}–{numbers[-1]}" if numbers else None)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The whole graph: every named graph (TriG, N-Quads), or their merge (other formats)."""
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
        quads = list(self.backend.quads())
        if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            return ox.serialize(sorted(quads, key=str), format=fmt, prefixes=prefixes)
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
        return ox.serialize(triples, format=fmt, prefixes=prefixes)
