"""Build: parsed plans + curated registries + ontology → an RDF dataset of named graphs.

Graphs (see :func:`graph.iris.named_graph`): ``ontology``, ``curated``, one asserted graph per
source document, and, after :mod:`graph.reason`, ``inferred``.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph, URIRef

from .. import iris
from ..model import Plan
from ..ontology import load_ontology, sector_labels
from ..registry import Registry, load_registry
from .curated import curated_graph
from .documents import plan_iri
from .plan import measures_graph, plan_graph

__all__ = [
    "CURATED_GRAPH",
    "ONTOLOGY_GRAPH",
    "build_dataset",
    "curated_graph",
    "measures_graph",
    "new_dataset",
    "plan_graph",
]

ONTOLOGY_GRAPH = iris.named_graph("ontology")
CURATED_GRAPH = iris.named_graph("curated")


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
    _put(ds, CURATED_GRAPH, curated_graph(registry))
    for plan in plans:
        _put(ds, iris.document_graph(plan_iri(plan, registry=registry)),
             plan_graph(plan, registry=registry, sectors=sectors))
    return ds
