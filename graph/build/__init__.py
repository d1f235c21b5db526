"""Build: parsed plans + curated registries + ontology → an RDF dataset of named graphs.

Graphs (see :mod:`plankg.graph.iris`), each owned by what it came from, so that a store grows by
adding graphs and never by replacing another's: ``ontology``; ``curated/{source}``, one per
registry file; one asserted graph per source document; and, after :mod:`plankg.graph.reason`,
``inferred/{owner}``, what reasoning draws from each of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph, URIRef

from .. import iris
from ..model import Plan
from ..ontology import load_ontology, sector_labels
from ..registry import Registry, load_registry
from .curated import curated_graph, curated_graphs
from .documents import plan_iri
from .plan import measures_graph, plan_graph

__all__ = [
    "ONTOLOGY_GRAPH",
    "build_dataset",
    "curated_graph",
    "curated_graphs",
    "measures_graph",
    "new_dataset",
    "plan_graph",
]

ONTOLOGY_GRAPH = iris.named_graph("ontology")


def new_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    for prefix, ns in iris.PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    return ds


def _put(ds: Dataset, name: URIRef, g: Graph) -> None:
    target = ds.graph(name)
    target.addN((s, p, o, target) for s, p, o in g)


def build_dataset(plans: Iterable[Plan], *, registry: Registry | None = None) -> Dataset:
    """The asserted dataset: ontology, curated facts and one graph per plan."""
    registry = registry or load_registry()
    ontology = load_ontology()
    sectors = sector_labels(ontology)
    ds = new_dataset()
    _put(ds, ONTOLOGY_GRAPH, ontology)
    for source, g in curated_graphs(registry).items():
        _put(ds, iris.curated_graph(source), g)
    for plan in plans:
        _put(ds, iris.document_graph(plan_iri(plan, registry=registry)),
             plan_graph(plan, registry=registry, sectors=sectors))
    return ds
