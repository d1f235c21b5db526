"""The ``oxigraph`` backend: pyoxigraph, in memory or persistent in a folder.

The default graph holds the merge of the named graphs (written by every load along with the
graphs, each triple once), so queries without a dataset read one index, and answers equal
rdflib's and a server's.

A persistent store is a folder of generations (:mod:`.generations`): a write checkpoints the
current generation (hard links, instant), changes the checkpoint (the graphs replaced are
dropped, with their triples in the merge that no other graph holds; the new ones are written
with theirs), and switches the ``CURRENT`` pointer with an atomic rename. A write costs what it
changes, not the size of the store; one writer at a time; a load killed half-way leaves the old
generation whole; a server keeps the generation it reads until it restarts.

A server answers from a copy of the store in memory (:meth:`OxigraphBackend.warm`), made when
it starts: Oxigraph's on-disk store spends about 7 µs on each index lookup where its in-memory
store spends about 2, and a query for one agency's tasks makes hundreds (4.5 ms against 1.2 ms
at 10⁶ triples). The copy holds the merged default graph only: no named query reads a named
graph, and Oxigraph's in-memory store answers a default-graph lookup faster when no named
graph holds the same triples (bench/bench_hot_copy.py at 10⁶ triples: every named query
1.02–1.82× faster, the duplicate-task-number check 164 → 120 ms). Queries that name graphs
(``GRAPH``, ``FROM``, a protocol dataset; see :func:`values.names_graphs`) and the list of
graphs read the files. The copy costs time at start (about 12 s at 10⁶ triples), so
``cache=auto`` makes it only up to :data:`HOT_MAX_TRIPLES`; ``cache=memory`` always, and
``cache=disk`` never. Nothing is rebuilt: the copy is read from the persistent store.
"""

from __future__ import annotations

import errno
import gc
import json
import shutil
import time
import traceback
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path

import orjson
import pyoxigraph as ox
from rdflib import Graph

from .._ox import from_ox, plain_ox
from ..errors import QueryArgumentError, StoreError
from ..iris import PREFIXES
from .base import EVERYTHING, Backend, Selection, default_graph_refused
from .generations import Generations
from .values import bind_terms, lateral_optionals, lateral_unions, names_graphs

__all__ = ["OxigraphBackend", "in_memory"]

CACHES = ("auto", "memory", "disk")
HOT_MAX_TRIPLES = 2_000_000  # about 700 MB of memory for the copy
UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items()}


@lru_cache(maxsize=256)
def _lateral(text: str) -> str:
    """Our query ``text`` with its OPTIONALs and trailing UNIONs evaluated per row (rewritten
    once per query text; the parameters are bound into the result)."""
    return lateral_optionals(lateral_unions(text))


def parse_options(rest: str) -> tuple[str, str]:
    """``PATH;cache=…`` → (PATH, cache)."""
    path, *options = rest.split(";")
    cache = "auto"
    for option in options:
        key, _, value = option.partition("=")
        if key.strip() != "cache" or value.strip() not in CACHES:
            raise StoreError(f"Oxigraph 存储的选项无效：{option!r}（可用：cache=auto|memory|disk）",
                             f"bad Oxigraph store option {option!r}: use cache=auto|memory|disk")
        cache = value.strip()
    return path, cache


class DefaultGraphData(ValueError):
    """A file to load has triples in the default graph (the merge is ours to write)."""


def with_merge(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad, then its triple in the default graph: a bulk load writes the named graphs
    and their merge in one pass (the merge is a set: a triple in two graphs is written once).
    """
    merge = ox.DefaultGraph()
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            raise DefaultGraphData
        yield quad
        yield ox.Quad(quad.subject, quad.predicate, quad.object, merge)


class OxigraphBackend(Backend):
    kind = "oxigraph"

    def __init__(self, path: Path | None = None, *, cache: str = "auto") -> None:
        self.path = path
        self.cache = cache
        self.hot: ox.Store | None = None  # the copy in memory a server reads (warm)
        self.generations = Generations(path) if path is not None else None
        self.generation: str | None = None  # the generation read (a persistent store)
        self.store: ox.Store | None = None
        if path is None:
            self.store = ox.Store()
            return
        try:
            path.mkdir(parents=True, exist_ok=True)
            self._open_current()
        except OSError as exc:
            raise StoreError(f"无法打开 Oxigraph 存储 {path}",
                             f"cannot open the Oxigraph store at {path}: {exc}") from None

    def _open_current(self) -> None:
        """Open the current generation read-only, held for this process (see
        :mod:`.generations`)."""
        for _ in range(20):  # a writer may switch between reading the pointer and holding it
            current = self.generations.current()
            if current is None:
                self.store = None
                return
            self.generations.register(current)
            if (self.path / current).is_dir():
                self.store = ox.Store.read_only(str(self.path / current))
                self.generation = generation_name(self.path / current)
                return
        raise StoreError(f"无法打开 Oxigraph 存储 {self.path}：当前版本不断变化",
                         f"cannot open the Oxigraph store at {self.path}: it keeps changing")

    # -- loading ---------------------------------------------------------------------------
    def _write(self, graphs: set[str], fill) -> None:
        """One write: a new generation (a checkpoint of the current one), the ``graphs``
        dropped from it, ``fill(store)`` run, then the switch, one writer at a time."""
        with self.generations.writing():
            self._open_current()  # the newest, should another writer have switched since
            name, store = None, None
            try:
                name, store = self.generations.next(self.store)
                drop_graphs(store, graphs)
                fill(store)
                store.flush()
            except BaseException as exc:
                # close the half-written generation before removing it: frames of the
                # traceback (``fill``'s) hold it open, and RocksDB writes while it is open
                store = None
                traceback.clear_frames(exc.__traceback__)
                gc.collect()
                if name is not None:
                    _remove(self.path / name)
                if _disk_full(exc):
                    raise StoreError(
                        f"存储所在的磁盘已满，未写入任何内容：{self.path}",
                        f"the disk holding the store is full; nothing was written: "
                        f"{self.path}") from None
                raise
            self.generations.switch(name, store)
            del store
            self._open_current()
            self.hot = None

    def load_quads(self, quads: Iterable[ox.Quad], *, graphs: Iterable[str]) -> None:
        graphs = set(graphs)
        if self.path is None:  # in memory: remove the graphs replaced, then merge again
            for name in graphs:
                if self.store.contains_named_graph(ox.NamedNode(name)):
                    self.store.remove_graph(ox.NamedNode(name))
            self.store.bulk_extend(quads)
            self.store.clear_graph(ox.DefaultGraph())
            self.store.update(UNION)
            return
        self._write(graphs, lambda store: store.bulk_extend(with_merge(quads)))

    def load_file(self, path, *, fmt: ox.RdfFormat = ox.RdfFormat.TRIG) -> list[str]:
        """Bulk-load a file, each triple written with its copy in the merge as it is read: one
        pass where the store was empty, else a first pass to learn which graphs the file
        replaces (10⁶ triples: 22 s, where loading then merging in one SPARQL update took 47 s)."""
        if self.path is None:
            return super().load_file(path, fmt=fmt)
        path = Path(path)
        try:
            names = file_graphs(path, fmt) if self.store is not None else set()

            empty = self.store is None

            def fill(store: ox.Store) -> None:
                store.bulk_extend(with_merge(ox.parse(path=str(path), format=fmt)))
                if empty:  # everything in the new generation came from the file
                    names.update(g.value for g in store.named_graphs())

            self._write(names, fill)
        except (OSError, SyntaxError, ValueError) as exc:
            if isinstance(exc, DefaultGraphData):
                raise default_graph_refused() from None
            raise StoreError(f"无法读取要载入的文件 {path}", f"cannot read {path}: {exc}") from None
        return sorted(names)

    # -- reading ---------------------------------------------------------------------------
    def _store(self, *, named: bool = False) -> ox.Store:
        """The store to read: the copy in memory (the merged default graph), unless ``named``
        (the reading needs the named graphs, which only the files hold)."""
        if self.hot is not None and not named:
            return self.hot
        if self.store is None:
            self.store = ox.Store()  # an empty persistent store answers like an empty one
        return self.store

    def warm(self) -> str:
        """Copy a persistent store into memory, as ``cache`` says (see the module's text)."""
        if self.path is None or self.store is None or self.hot is not None \
                or self.cache == "disk":
            return ""
        triples = self.count()
        if self.cache == "auto" and triples > HOT_MAX_TRIPLES:
            return (f"{triples:,} 个三元组，超过 {HOT_MAX_TRIPLES:,}：从磁盘读取 / "
                    f"{triples:,} triples, over {HOT_MAX_TRIPLES:,}: read from disk")
        started = time.perf_counter()
        hot = ox.Store()
        hot.bulk_extend(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        self.hot = hot
        took = time.perf_counter() - started
        return (f"已将 {triples:,} 个三元组复制到内存（{took:.1f} 秒）/ "
                f"copied {triples:,} triples into memory ({took:.1f} s)")

    def graph_names(self) -> frozenset[str]:
        return frozenset(g.value for g in self._store(named=True).named_graphs())

    def count(self) -> int:
        """Counted by Oxigraph itself: the default graph holds the merge."""
        solutions = self._store().query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(solutions))["n"].value)

    def _query(self, text: str, bindings, dataset: Selection, base_iri: str | None = None):
        """For our own queries with parameters (a task, an agency, a document…): parameters are
        substituted as constants (and joined as VALUES), not passed as Oxigraph substitutions,
        which its planner treats as unbound variables; and each OPTIONAL is evaluated per row
        (LATERAL), where Oxigraph would first evaluate it over the whole store, and so is a
        UNION that follows other patterns (the lineage branches, from the task found first). task-lineage at
        10⁵ triples: 64 ms as written, 8 ms so. Queries without parameters (checks, summaries)
        scan anyway, and per-row OPTIONALs would make them slower (support-only check at 10⁴
        triples: 9 ms as written, 790 ms per row), so they run as written, as users' do."""
        options: dict = {"prefixes": _PREFIXES}
        if base_iri:
            options["base_iri"] = base_iri
        if dataset.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
        if dataset.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        named = bool(dataset.default_graphs or dataset.named_graphs) or names_graphs(text)
        try:
            if bindings:  # one of our own queries, for one task, agency, document…
                text = bind_terms(_lateral(text), bindings)
            return self._store(named=named).query(text, **options)
        except SyntaxError as exc:
            raise QueryArgumentError("SPARQL 语法错误", f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise QueryArgumentError("SPARQL 查询执行失败",
                                     f"the SPARQL query failed while running: {exc}") from None

    def select(self, text, *, bindings=None, dataset=EVERYTHING, base_iri=None):
        solutions = self._query(text, bindings, dataset, base_iri)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryArgumentError("不是 SELECT 查询", "not a SELECT query")
        variables = list(solutions.variables)
        rows = [[from_ox(row[v]) if row[v] is not None else None for v in variables]
                for row in solutions]
        return [v.value for v in variables], rows

    def select_plain(self, text, *, bindings=None) -> list[dict]:
        """Rows as JSON-ready dicts without building rdflib terms (the API's hot path)."""
        solutions = self._query(text, bindings, Selection())
        names = [v.value for v in solutions.variables]
        return [dict(zip(names, map(plain_ox, row), strict=True)) for row in solutions]

    def ask(self, text, *, dataset=EVERYTHING, base_iri=None) -> bool:
        return bool(self._query(text, None, dataset, base_iri))

    def construct(self, text, *, bindings=None, dataset=EVERYTHING, base_iri=None) -> Graph:
        graph = Graph()
        for t in self._query(text, bindings, dataset, base_iri):
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return graph

    def serialize(self, text, *, form, fmt, dataset=EVERYTHING, base_iri=None) -> bytes:
        results = self._query(text, None, dataset, base_iri)
        if isinstance(results, ox.QueryTriples):
            return ox.serialize(results, format=fmt, prefixes=_PREFIXES)
        return results.serialize(format=fmt)

    def serialize_capped(self, text, *, fmt, dataset=EVERYTHING, max_rows: int,
                         base_iri: str | None = None) -> tuple[bytes, bool]:
        """A SELECT's first ``max_rows`` solutions in ``fmt``, and whether there were more: the
        solutions are read lazily, so the engine stops one past the limit (an ORDER BY still
        sorts, within the time limit), and no answer larger than that is ever held."""
        results = self._query(text, None, dataset, base_iri)
        if not isinstance(results, ox.QuerySolutions):
            return results.serialize(format=fmt), False
        variables = list(results.variables)
        rows = [[row[v] for v in variables] for row in islice(results, max_rows + 1)]
        return solutions_json(variables, rows[:max_rows], fmt), len(rows) > max_rows

    def quads(self) -> Iterator[ox.Quad]:
        for q in self._store(named=True):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                yield q

    def close(self) -> None:
        self.store = None
        self.hot = None
        if self.generations is not None:
            self.generations.release()


def generation_name(folder: Path) -> str:
    """A generation's name for caches and ETags: its folder's name, inode and time, so that a
    store deleted and loaded again, whose numbering starts over, never repeats one. Reading a
    generation (read-only) leaves its folder unchanged, so every process that reads it finds
    the same name."""
    stat = folder.stat()
    return f"{folder.name}.{stat.st_ino:x}.{stat.st_mtime_ns:x}"


def _remove(folder: Path) -> None:
    """Remove a half-written generation (a moment's retry: its store may still be closing)."""
    for _ in range(20):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.05)


def _disk_full(exc: BaseException) -> bool:
    """An error that says the disk (or the user's quota) is full, as the OS or RocksDB says it."""
    return isinstance(exc, OSError) and (
        exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc)
        or "quota exceeded" in str(exc).lower())


def _term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        value["datatype"] = term.datatype.value
    return value


def solutions_json(variables: list, rows: list[list], fmt) -> bytes:
    """Solutions as SPARQL JSON results (orjson), or, for another results format,
    re-serialised by pyoxigraph from that JSON."""
    data = {"head": {"vars": [v.value for v in variables]},
            "results": {"bindings": [{v.value: _term_json(t) for v, t in zip(variables, row,
                                                                            strict=True)
                                      if t is not None} for row in rows]}}
    body = dump_json(data)
    if fmt == ox.QueryResultsFormat.JSON:
        return body
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=fmt)


def cut_solutions(body: bytes, fmt, max_rows: int) -> tuple[bytes, bool]:
    """A SELECT answer in SPARQL JSON results, cut to ``max_rows`` rows and written in
    ``fmt``; whether it was cut.

    >>> rows = {"head": {"vars": ["n"]}, "results": {"bindings": [
    ...     {"n": {"type": "literal", "value": str(i)}} for i in range(3)]}}
    >>> cut_solutions(dump_json(rows), ox.QueryResultsFormat.CSV, 2)
    (b'n\\r\\n0\\r\\n1\\r\\n', True)
    """
    data = orjson.loads(body)
    bindings = data.get("results", {}).get("bindings", [])
    cut = len(bindings) > max_rows
    if not cut and fmt == ox.QueryResultsFormat.JSON:
        return body, False
    if cut:
        data["results"]["bindings"] = bindings[:max_rows]
        body = dump_json(data)
    if fmt == ox.QueryResultsFormat.JSON:
        return body, cut
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(
        format=fmt), cut


def dump_json(data) -> bytes:
    """JSON as UTF-8 bytes, by orjson (several times faster than the standard library); a
    value orjson refuses (an integer past 64 bits) by the standard library.

    >>> dump_json({"名": [1, 2**70]})
    b'{"\xe5\x90\x8d":[1,1180591620717411303424]}'
    """
    try:
        return orjson.dumps(data)
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def file_graphs(path: Path, fmt: ox.RdfFormat) -> set[str]:
    """The named graphs a file holds (read through once, nothing kept)."""
    return {q.graph_name.value for q in ox.parse(path=str(path), format=fmt)
            if not isinstance(q.graph_name, ox.DefaultGraph)}


def drop_graphs(store: ox.Store, graphs: Iterable[str]) -> None:
    """Remove ``graphs`` from ``store``, and their triples from the merge unless another
    named graph still holds them."""
    for name in graphs:
        node = ox.NamedNode(name)
        if not store.contains_named_graph(node):
            continue
        triples = [(q.subject, q.predicate, q.object)
                   for q in store.quads_for_pattern(None, None, None, node)]
        store.remove_graph(node)
        for s, p, o in triples:
            if not any(not isinstance(q.graph_name, ox.DefaultGraph)
                       for q in store.quads_for_pattern(s, p, o, None)):
                store.remove(ox.Quad(s, p, o, ox.DefaultGraph()))


def in_memory(quads: Iterable[ox.Quad]) -> OxigraphBackend:
    """An in-memory Oxigraph backend holding ``quads`` (all in named graphs)."""
    backend = OxigraphBackend()
    quads = list(quads)
    backend.load_quads(quads, graphs={q.graph_name.value for q in quads})
    return backend

