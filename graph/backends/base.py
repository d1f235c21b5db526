"""What every store backend does: answer SPARQL over our named graphs, and load graphs.

Three backends share this interface (:mod:`.memory`, :mod:`.oxigraph`, :mod:`.remote`). On
every one the default graph of a query is the RDF merge of the named graphs (each triple once,
even when two graphs hold it), named graphs keep their names, and loading replaces whole graphs,
so loading the same files twice gives the same store.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .. import iris
from .._ox import to_ox
from ..errors import StoreError

__all__ = ["UNION_GRAPH", "Backend", "Selection", "ours"]

UNION_GRAPH = str(iris.named_graph("union"))  # where a server that cannot merge keeps the union


def ours(name: str) -> bool:
    """Whether a graph name is one of the project's named graphs (not the union, not a
    server's own system graphs)."""
    return name.startswith(iris.BASE + "graph/") and name != UNION_GRAPH


@dataclass(frozen=True)
class Selection:
    """The dataset a query runs on: the graphs named by FROM / default-graph-uri (empty: the
    merge of every graph) and by FROM NAMED / named-graph-uri (empty: every named graph)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


EVERYTHING = Selection()  # the merge as default graph, every graph as a named graph


def default_graph_refused() -> StoreError:
    """A file to load has triples in the default graph: the merge there is the store's own."""
    return StoreError("要载入的文件在默认图中有三元组；只能载入命名图",
                      "the file has triples in the default graph; only named graphs can be "
                      "loaded")


class Backend(ABC):
    """A store holding the project's named graphs."""

    kind: str

    @abstractmethod
    def graph_names(self) -> frozenset[str]:
        """The named graphs held, without the union graph."""

    @abstractmethod
    def count(self) -> int:
        """Distinct triples in the merge of every graph."""

    @abstractmethod
    def select(self, text: str, *, bindings: Mapping[str, Node] | None = None,
               dataset: Selection = EVERYTHING, base_iri: str | None = None
               ) -> tuple[list[str], list[list[Node | None]]]:
        """Variables and rows of a SELECT, as rdflib terms (None where unbound); relative IRIs
        resolved against ``base_iri`` (as in :meth:`serialize`), here and in the two below."""

    @abstractmethod
    def ask(self, text: str, *, dataset: Selection = EVERYTHING,
            base_iri: str | None = None) -> bool:
        """The answer to an ASK."""

    @abstractmethod
    def construct(self, text: str, *, bindings: Mapping[str, Node] | None = None,
                  dataset: Selection = EVERYTHING, base_iri: str | None = None) -> Graph:
        """The graph a CONSTRUCT or DESCRIBE builds."""

    @abstractmethod
    def serialize(self, text: str, *, form: str, fmt: ox.QueryResultsFormat | ox.RdfFormat,
                  dataset: Selection = EVERYTHING, base_iri: str | None = None) -> bytes:
        """A user's query, answered in ``fmt`` (results for SELECT/ASK, RDF otherwise); its
        relative IRIs resolved against ``base_iri`` (the endpoint's address, as the SPARQL
        Protocol says), unless the query declares its own BASE."""

    @abstractmethod
    def load_quads(self, quads: Iterable[ox.Quad], *, graphs: Iterable[str]) -> None:
        """Replace each graph in ``graphs`` by the quads given for it (all in named graphs)."""

    @abstractmethod
    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the named graphs (not the union)."""

    def close(self) -> None:
        """Release files and connections."""

    def warm(self) -> str:
        """Get ready to answer many queries (a server calls it once before it listens); says
        what it did, for the start-up message. Most backends have nothing to do."""
        return ""

    def load_file(self, path, *, fmt: ox.RdfFormat = ox.RdfFormat.TRIG) -> list[str]:
        """Load a TriG or N-Quads file: each graph in it replaces the graph of that name."""
        try:
            quads = list(ox.parse(path=str(path), format=fmt))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"无法读取要载入的文件 {path}", f"cannot read {path}: {exc}") from None
        return self._load_parsed(quads)

    def _load_parsed(self, quads: list[ox.Quad]) -> list[str]:
        names = sorted({q.graph_name.value for q in quads
                        if not isinstance(q.graph_name, ox.DefaultGraph)})
        if any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
            raise default_graph_refused()
        self.load_quads(quads, graphs=names)
        return names

    def load_graphs(self, graphs: Mapping[str, Graph]) -> list[str]:
        """Load rdflib graphs by name (each replaces the graph of that name)."""
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(name))
                 for name, g in graphs.items() for s, p, o in g]
        self.load_quads(quads, graphs=list(graphs))
        return sorted(graphs)
