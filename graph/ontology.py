"""The ontology as data: load its Turtle modules, and read the vocabularies the builder needs."""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ._ox import from_ox
from .errors import StoreError
from .iris import SKOS
from .paths import ontology_dir

__all__ = ["SECTOR_SCHEME", "load_ontology", "sector_labels"]

SECTOR_SCHEME = URIRef("https://w3id.org/plankg/id/sector/plankg")


@cache
def _ontology_turtle() -> tuple[tuple[str, str], ...]:
    folder = ontology_dir()
    return tuple(sorted((f.name, f.read_text(encoding="utf-8"))
                        for f in folder.iterdir() if f.name.endswith(".ttl")))


@cache
def _ontology_triples() -> tuple:
    """Every triple of every module, parsed once per process with pyoxigraph."""
    triples = []
    for name, text in _ontology_turtle():
        try:
            parsed = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise StoreError(f"本体文件语法错误：{name}", f"syntax error in ontology/{name}: "
                             f"{exc}") from None
        triples.extend((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                       for t in parsed)
    return tuple(triples)


def load_ontology() -> Graph:
    """A fresh graph holding every ontology module (the umbrella and what it imports)."""
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in _ontology_triples())
    return g


def sector_labels(ontology: Graph) -> dict[str, URIRef]:
    """Chinese label → concept, for the plan's own sector scheme."""
    labels = {}
    for concept in ontology.subjects(SKOS.inScheme, SECTOR_SCHEME):
        for label in ontology.objects(concept, SKOS.prefLabel):
            if getattr(label, "language", None) == "zh":
                labels[str(label)] = concept
    return labels
