"""The ``memory`` backend: an rdflib Dataset and rdflib's SPARQL engine, for tests and small
work. Parameters are bound with ``initBindings``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .._ox import from_ox, to_ox
from ..errors import QueryArgumentError
from ..iris import PREFIXES
from ..sparql import answer_of, to_sparql_json
from .base import EVERYTHING, Backend, Selection

__all__ = ["MemoryBackend"]


class MemoryBackend(Backend):
    kind = "memory"

    def __init__(self, dataset: Dataset | None = None) -> None:
        self.dataset = dataset if dataset is not None else Dataset(default_union=True)
        self.dataset.default_union = True

    def graph_names(self) -> frozenset[str]:
        return frozenset(str(g.identifier) for g in self.dataset.graphs()
                         if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID)

    def count(self) -> int:
        return len(set(self.dataset.triples((None, None, None))))

    def _query(self, text: str, bindings: Mapping[str, Node] | None, dataset: Selection,
               base_iri: str | None = None):
        if dataset.default_graphs or dataset.named_graphs:
            merged = Dataset()
            for name in dataset.default_graphs:
                for triple in self.dataset.graph(URIRef(name)):
                    merged.add(triple)
            for name in dataset.named_graphs:
                target = merged.graph(URIRef(name))
                for triple in self.dataset.graph(URIRef(name)):
                    target.add(triple)
            graph = merged
        else:
            graph = self.dataset
        initns = {k: str(v) for k, v in PREFIXES.items()}
        return answer_of(lambda: graph.query(text, initNs=initns, base=base_iri,
                                             initBindings=dict(bindings or {})))

    def select(self, text, *, bindings=None, dataset=EVERYTHING, base_iri=None):
        answer = self._query(text, bindings, dataset, base_iri)
        if answer.kind != "SELECT":
            raise QueryArgumentError("不是 SELECT 查询", "not a SELECT query")
        return answer.variables, answer.rows

    def ask(self, text, *, dataset=EVERYTHING, base_iri=None) -> bool:
        return bool(self._query(text, None, dataset, base_iri).boolean)

    def construct(self, text, *, bindings=None, dataset=EVERYTHING, base_iri=None) -> Graph:
        answer = self._query(text, bindings, dataset, base_iri)
        return answer.graph if answer.graph is not None else Graph()

    def serialize(self, text, *, form, fmt, dataset=EVERYTHING, base_iri=None) -> bytes:
        answer = self._query(text, None, dataset, base_iri)
        if answer.graph is not None:
            return ox.serialize([ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in
                                 answer.graph], format=fmt,
                                prefixes={k: str(v) for k, v in PREFIXES.items()})
        return _results_in(fmt, to_sparql_json(answer))

    def load_quads(self, quads: Iterable[ox.Quad], *, graphs: Iterable[str]) -> None:
        for name in graphs:
            self.dataset.remove_graph(URIRef(name))
        targets: dict[str, Graph] = {}
        for q in quads:
            name = q.graph_name.value
            if name not in targets:
                targets[name] = self.dataset.graph(URIRef(name))
            targets[name].add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))

    def quads(self) -> Iterator[ox.Quad]:
        for g in self.dataset.graphs():
            if g.identifier == DATASET_DEFAULT_GRAPH_ID:
                continue
            name = ox.NamedNode(str(g.identifier))
            for s, p, o in g:
                yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)


def _results_in(fmt: ox.QueryResultsFormat, results: dict) -> bytes:
    """SPARQL JSON results written in ``fmt`` by pyoxigraph, whose results object lives in this
    frame only. Not in ``serialize``'s: rdflib's query parser leaves exceptions in reference
    cycles whose tracebacks keep every calling frame, locals and all, until the cyclic collector
    runs, in whatever thread it then runs; and pyoxigraph's results may only be dropped in the
    thread that made them ("PyQuerySolutions is unsendable, but is being dropped on another
    thread", from a request's worker thread)."""
    return ox.parse_query_results(json.dumps(results).encode(),
                                  format=ox.QueryResultsFormat.JSON).serialize(format=fmt)
