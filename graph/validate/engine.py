"""Run the SHACL shapes (pySHACL) on a data graph.

pySHACL mutates the shapes graph it is given, so every run gets a fresh copy of the parsed
shapes. Validation runs without inference, on the data plus the curated registries and the
ontology (which the shapes' sh:class checks and label checks need): no OWL RL closure.
"""

from __future__ import annotations

from functools import cache

import pyshacl
import pyoxigraph as ox
from rdflib import Graph

from .._ox import from_ox
from ..errors import StoreError
from ..paths import shapes_dir

__all__ = ["shapes_graph", "run_shacl"]


@cache
def _shape_triples() -> tuple:
    triples = []
    for entry in sorted(shapes_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".ttl"):
            try:
                parsed = ox.parse(entry.read_bytes(), format=ox.RdfFormat.TURTLE)
                triples.extend((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                               for t in parsed)
            except SyntaxError as exc:
                raise StoreError(f"形状文件语法错误：{entry.name}",
                                 f"syntax error in shapes/{entry.name}: {exc}") from None
    return tuple(triples)


def shapes_graph() -> Graph:
    """A fresh copy of every shape in ``shapes/`` (pySHACL may change the graph it is given)."""
    g = Graph()
    for triple in _shape_triples():
        g.add(triple)
    return g


def run_shacl(data: Graph) -> tuple[bool, Graph]:
    """Validate ``data``; warnings do not break conformance."""
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", abort_on_first=False,
        allow_warnings=True, advanced=False, do_owl_imports=False)
    return bool(conforms), report
