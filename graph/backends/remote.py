"""The ``sparql:`` backend: any SPARQL 1.1 server, spoken to through the protocol with httpx.

Queries go by form POST (Virtuoso hangs on a direct ``application/sparql-query`` POST), with
timeouts, and errors become our error types. Graphs are loaded with the Graph Store Protocol
(PUT replaces a graph, then POSTs append to it in chunks; Digest or Basic auth), or with SPARQL
Update when no GSP address is given. A server's default graph may hold its own system graphs,
and a merge of several FROM graphs repeats a triple held by two of them, so after each load the
merge of our graphs is kept in one graph (:data:`~.base.UNION_GRAPH`) and every query names it as
its default graph. A SELECT cut by the server's row cap (``X-SPARQL-MaxRows``) is paged with
LIMIT/OFFSET when it is ordered; otherwise the cut is an error, never a silent loss.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .._ox import from_ox
from ..errors import QueryArgumentError, StoreError, StoreUnavailableError
from ..iris import BASE, PREFIXES
from .base import EVERYTHING, UNION_GRAPH, Backend, Selection, ours
from .values import bind_terms, bind_values, insert_data, prologue, sparql_term

__all__ = ["RemoteBackend", "RemoteSpec", "parse_spec"]

CHUNK = 50_000  # triples per GSP request
JSON_RESULTS = "application/sparql-results+json"
_ORDERED = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_LIMITED = re.compile(r"\b(LIMIT|OFFSET)\s+\d+\s*$", re.IGNORECASE)
_OPENING_BASE = re.compile(r"\A(?:\s|#[^\n]*(?:\n|\Z))*BASE\s*<(?P<iri>[^<>\s]*)>",
                           re.IGNORECASE)
_PROLOGUE = prologue({p: str(ns) for p, ns in PREFIXES.items()})
# Virtuoso names its errors by SQLSTATE ("Virtuoso 22012 Error SR084: Division by 0."), and
# answers 500 for most of them. Classes 22 (data exception: a bad regex, language tag or
# division), 37 and 42 (syntax or access rule: an unknown function) are the query's fault.
_SQLSTATE = re.compile(r"^Virtuoso (\w{5}) Error")
_QUERY_FAULTS = ("22", "37", "42")


@dataclass(frozen=True)
class RemoteSpec:
    query: str
    update: str | None = None
    gsp: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    load_timeout: float = 1800.0  # a load or the union rebuild of 10⁶ triples takes minutes


def parse_spec(text: str) -> RemoteSpec:
    """``QUERY_URL[;update=URL][;gsp=URL][;user=U][;password=P][;timeout=S]``.

    The user and password may also come from ``PLANKG_STORE_USER`` / ``PLANKG_STORE_PASSWORD``.

    >>> parse_spec("http://h/sparql;gsp=http://h/crud;timeout=5")
    RemoteSpec(query='http://h/sparql', update=None, gsp='http://h/crud', user=None, password=None, timeout=5.0, load_timeout=1800.0)
    """
    url, *options = text.split(";")
    fields: dict = {"user": os.environ.get("PLANKG_STORE_USER"),
                    "password": os.environ.get("PLANKG_STORE_PASSWORD")}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or key not in ("update", "gsp", "user", "password", "timeout"):
            raise StoreError(f"存储地址的选项无效：{option!r}",
                             f"invalid store option {option!r}: use update=, gsp=, user=, "
                             f"password= or timeout=")
        fields[key] = _seconds(value) if key == "timeout" else value
    if not url.startswith(("http://", "https://")):
        raise StoreError(f"SPARQL 地址必须以 http:// 或 https:// 开头：{url}",
                         f"the SPARQL address must start with http:// or https://: {url}")
    return RemoteSpec(url, **fields)


def _seconds(value: str) -> float:
    """A ``timeout=`` value: a positive number of seconds."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise StoreError(f"timeout= 应为正的秒数：{value!r}",
                         f"timeout= must be a positive number of seconds: {value!r}")
    return seconds


def _base_first(text: str, base_iri: str | None) -> tuple[str, str]:
    r"""The BASE declaration to send before our PREFIX lines, and the rest of the query.

    Virtuoso takes one BASE, before any PREFIX, and leaves relative IRIs relative without one:
    a BASE the query opens with is moved first (resolved against ``base_iri``), else
    ``base_iri`` (the address of our endpoint, the base the SPARQL Protocol gives) is declared.

    >>> _base_first("# x\nBASE <a/> SELECT * {}", "http://h/sparql")
    ('BASE <http://h/a/>\n', ' SELECT * {}')
    >>> _base_first("SELECT * {}", "http://h/sparql")
    ('BASE <http://h/sparql>\n', 'SELECT * {}')
    """
    own = _OPENING_BASE.match(text)
    if own is not None:
        iri = urljoin(base_iri, own["iri"]) if base_iri else own["iri"]
        return "BASE " + sparql_term(URIRef(iri)) + "\n", text[own.end():]
    return ("BASE " + sparql_term(URIRef(base_iri)) + "\n" if base_iri else ""), text


def _term(cell: dict):
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in cell:
        return Literal(value, lang=cell["xml:lang"])
    datatype = cell.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def _standard_json(data: dict) -> dict:
    """SPARQL 1.1 results JSON (Virtuoso still writes the 1.0 ``typed-literal``)."""
    for row in data.get("results", {}).get("bindings", []):
        for cell in row.values():
            if cell.get("type") == "typed-literal":
                cell["type"] = "literal"
    return data


def _error_of(status: int, detail: str) -> type[StoreError | QueryArgumentError]:
    """The error a server's refusal means: the query's fault (400) or the store's (503).

    >>> _error_of(500, "Virtuoso 22012 Error SR084: Division by 0.").__name__
    'QueryArgumentError'
    >>> _error_of(500, "Virtuoso 40001 Error SR172: Transaction deadlocked").__name__
    'StoreError'
    """
    state = _SQLSTATE.match(detail)
    if status == 400 or (state is not None and state.group(1)[:2] in _QUERY_FAULTS):
        return QueryArgumentError
    return StoreError


class RemoteBackend(Backend):
    kind = "sparql"

    def __init__(self, spec: RemoteSpec) -> None:
        self.spec = spec
        auth = None
        if spec.user is not None:
            auth = httpx.DigestAuth(spec.user, spec.password or "")
        self.client = httpx.Client(timeout=httpx.Timeout(spec.timeout, connect=5.0))
        self.auth = auth
        self._names: frozenset[str] | None = None
        self._virtuoso = False  # set from the Server header of its answers

    # -- protocol ------------------------------------------------------------------------
    def _post(self, url: str, *, data=None, content=None, headers=None, params=None,
              method="POST", auth=None, timeout: float | None = None) -> httpx.Response:
        limit = timeout or self.spec.timeout
        try:
            response = self.client.request(method, url, data=data, content=content,
                                           headers=headers, params=params, auth=auth,
                                           timeout=httpx.Timeout(limit, connect=5.0))
        except httpx.TimeoutException:
            raise StoreUnavailableError(f"SPARQL 服务器超时（{limit:g} 秒）：{url}",
                             f"the SPARQL server did not answer within {limit:g} s: "
                             f"{url}") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailableError(f"无法连接 SPARQL 服务器：{url}",
                             f"cannot reach the SPARQL server at {url} ({type(exc).__name__})"
                             ) from None
        if "virtuoso" in response.headers.get("server", "").lower():
            self._virtuoso = True
        if response.status_code >= 400:
            first = (response.text or "").strip().splitlines()[:3]
            detail = " ".join(first)[:300]
            error = _error_of(response.status_code, detail)
            raise error(f"SPARQL 服务器拒绝了请求（{response.status_code}）",
                        f"the SPARQL server answered {response.status_code}: {detail}")
        return response

    def _ask_server(self, text: str, accept: str, dataset: Selection,
                    base_iri: str | None = None) -> httpx.Response:
        defaults = list(dataset.default_graphs) or [UNION_GRAPH]
        named = list(dataset.named_graphs)
        if not named and "GRAPH" in text.upper():
            named = sorted(self.graph_names())
        base, text = _base_first(text, base_iri)
        data = {"query": base + _PROLOGUE + text, "default-graph-uri": defaults}
        if named:
            data["named-graph-uri"] = named
        return self._post(self.spec.query, data=data, headers={"Accept": accept})

    def _update(self, text: str) -> None:
        if not self.spec.update:
            raise StoreError("没有配置 SPARQL Update 地址（update=）",
                             "no SPARQL Update address is configured (update=)")
        if self._virtuoso:  # its transaction log caps one update at ~50 MB: 10⁶ triples fail
            text = "DEFINE sql:log-enable 3\n" + text
        self._post(self.spec.update, data={"update": text}, auth=self.auth,
                   timeout=self.spec.load_timeout)

    # -- reading -------------------------------------------------------------------------
    def graph_names(self) -> frozenset[str]:
        if self._names is None:
            response = self._post(self.spec.query, data={
                "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                headers={"Accept": JSON_RESULTS})
            names = {row["g"]["value"] for row in response.json()["results"]["bindings"]}
            self._names = frozenset(n for n in names if ours(n))
        return self._names

    def count(self) -> int:
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0][0]) if rows else 0

    def select(self, text, *, bindings=None, dataset=EVERYTHING, base_iri=None):
        query = bind_terms(text, bindings or {})
        response = self._ask_server(query, JSON_RESULTS, dataset, base_iri)
        data = response.json()
        variables = data["head"].get("vars", [])
        rows = [[_term(b[v]) if v in b else None for v in variables]
                for b in data["results"]["bindings"]]
        cap = response.headers.get("X-SPARQL-MaxRows")
        if cap and len(rows) >= int(cap):
            if not _ORDERED.search(text) or _LIMITED.search(text):
                raise StoreError(f"SPARQL 服务器把结果截断为 {cap} 行",
                                 f"the SPARQL server cut the results at {cap} rows; order the "
                                 f"query, or raise the server's row cap")
            rows = self._pages(query, variables, int(cap), dataset, base_iri)
        return variables, rows

    def _pages(self, query: str, variables: list[str], size: int, dataset: Selection,
               base_iri: str | None):
        rows, offset = [], 0
        while True:
            page = self._ask_server(f"{query}\nLIMIT {size} OFFSET {offset}", JSON_RESULTS,
                                    dataset, base_iri).json()["results"]["bindings"]
            rows.extend([_term(b[v]) if v in b else None for v in variables] for b in page)
            if len(page) < size:
                return rows
            offset += size

    def ask(self, text, *, dataset=EVERYTHING, base_iri=None) -> bool:
        return bool(self._ask_server(text, JSON_RESULTS, dataset, base_iri).json().get("boolean"))

    def _triples(self, text: str, dataset: Selection, base_iri: str | None = None
                 ) -> list[ox.Triple]:
        response = self._ask_server(text, "application/n-triples", dataset, base_iri)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
        try:
            return list(ox.parse(response.content, format=fmt))
        except SyntaxError as exc:
            raise StoreError("无法读取 SPARQL 服务器返回的图",
                             f"cannot read the graph the SPARQL server sent ({exc})") from None

    def construct(self, text, *, bindings=None, dataset=EVERYTHING, base_iri=None) -> Graph:
        graph = Graph()
        for t in self._triples(bind_terms(text, bindings or {}), dataset, base_iri):
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return graph

    def serialize(self, text, *, form, fmt, dataset=EVERYTHING, base_iri=None) -> bytes:
        if form in ("CONSTRUCT", "DESCRIBE"):
            return ox.serialize(self._triples(text, dataset, base_iri), format=fmt,
                                prefixes={p: str(ns) for p, ns in PREFIXES.items()})
        response = self._ask_server(text, JSON_RESULTS, dataset, base_iri)
        cap = response.headers.get("X-SPARQL-MaxRows")
        data = _standard_json(response.json())
        if cap and len(data.get("results", {}).get("bindings", [])) >= int(cap):
            raise StoreError(f"SPARQL 服务器把结果截断为 {cap} 行",
                             f"the SPARQL server cut the results at {cap} rows; add LIMIT and "
                             f"OFFSET to page through them")
        results = ox.parse_query_results(json.dumps(data).encode(),
                                         format=ox.QueryResultsFormat.JSON)
        return results.serialize(format=fmt)

    def quads(self) -> Iterator[ox.Quad]:
        from ..store import store_query
        for name in sorted(self.graph_names()):
            graph = ox.NamedNode(name)
            query = bind_values(store_query("named-graph"), {"graph": URIRef(name)})
            for t in self._triples(query, Selection(named_graphs=(name,))):
                yield ox.Quad(t.subject, t.predicate, t.object, graph)

    # -- loading -------------------------------------------------------------------------
    def load_quads(self, quads: Iterable[ox.Quad], *, graphs: Iterable[str]) -> None:
        by_graph: dict[str, list[ox.Triple]] = {name: [] for name in graphs}
        for q in quads:
            by_graph.setdefault(q.graph_name.value, []).append(
                ox.Triple(q.subject, q.predicate, q.object))
        for name, triples in sorted(by_graph.items()):
            self._replace(name, triples)
        self._names = None
        self._rebuild_union()

    def _replace(self, name: str, triples: list[ox.Triple]) -> None:
        from ..store import store_query
        chunks = [triples[i:i + CHUNK] for i in range(0, len(triples), CHUNK)] or [[]]
        iri = sparql_term(URIRef(name))
        for index, chunk in enumerate(chunks):
            body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
            if self.spec.gsp:
                self._post(self.spec.gsp, method="PUT" if index == 0 else "POST",
                           params={"graph-uri": name}, content=body,
                           headers={"Content-Type": "application/n-triples"}, auth=self.auth,
                           timeout=self.spec.load_timeout)
            else:
                if index == 0:
                    self._update(bind_values(store_query("clear-graph"), {"graph": URIRef(name)}))
                self._update(insert_data(iri, body.decode()))

    def _rebuild_union(self) -> None:
        from ..store import store_query
        union = URIRef(UNION_GRAPH)
        self._update(bind_values(store_query("clear-graph"), {"graph": union}))
        self._update(bind_values(store_query("union"),
                                 {"union": union, "base": Literal(BASE + "graph/")}))

    def close(self) -> None:
        self.client.close()
