"""Parent documents as graphs (``plankg ingest FILE``).

A parent document (a provincial or city plan, or a national set of measures 若干政策 grouped
under 一、 and （一）) is read with the plan parser and built by the plan builder into its own
named graph, its numbered items typed ``pk:Measure`` (:func:`plankg.graph.build.measures_graph`). Given
a child plan of the built graph, the child's tasks are aligned with these measures
(:mod:`plankg.graph.align`) and the links form a second named graph, one per child and parent
(:mod:`plankg.graph.alignment_graph`); a reviewed CSV applies people's decisions::

    ingest(path, child=…, review=…)   {graph IRI: graph}
    source_plan(number)               a plan of the built graph, parsed from its vendored source
    newest_county_plan()              the 发文字号 of the newest county plan
    to_trig(graphs)                   the graphs as TriG (pyoxigraph)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import iris
from ._ox import to_ox
from .align import align
from .alignment_graph import alignment_graph, read_review
from .build import measures_graph
from .build.documents import plan_iri
from .errors import QueryArgumentError, SourceParseError, UnknownNameError
from .model import Plan
from .ontology import load_ontology, sector_labels
from .parse import normalise_number, parse_file, parse_plan
from .paths import sources_dir
from .registry import Registry, load_registry

__all__ = ["ingest", "newest_county_plan", "source_plan", "to_trig"]


def newest_county_plan(*, registry: Registry | None = None) -> str:
    """The 发文字号 of the newest county plan of the built graph.

    >>> newest_county_plan()
    '沁政办发〔2022〕33号'
    """
    registry = registry or load_registry()
    county = [e for e in registry.sources if e.level == "county"]
    if not county:
        raise UnknownNameError("县级规划", "county plan", "newest")
    return max(county, key=lambda e: (e.date, e.number)).number


def source_plan(number: str, *, registry: Registry | None = None) -> Plan:
    """The plan of the built graph numbered ``number`` (any bracket form), parsed again from its
    vendored source: the aligner needs the plain model."""
    registry = registry or load_registry()
    wanted = normalise_number(number)
    entry = next((e for e in registry.sources if e.number == wanted), None)
    if entry is None:
        raise UnknownNameError("规划", "plan", number,
                               suggestion=", ".join(e.number for e in registry.sources) or None)
    text = sources_dir().joinpath(entry.file).read_text(encoding="utf-8")
    return parse_plan(text, source_file=entry.file, registry=registry)


def _parent(path: Path, registry: Registry) -> Plan:
    parent = parse_file(path, registry=registry)
    if parent.number is not None and any(e.number == str(parent.number)
                                         for e in registry.sources):
        raise SourceParseError(
            f"{parent.number} 已是图中的规划，不能再作为上级文件读入",
            f"{parent.number} is a plan of the built graph; it cannot be ingested as a parent",
            file=path.name, line=parent.number_span.line if parent.number_span else None)
    return parent


def ingest(path: Path, *, child: str | None = None, review: Path | None = None,
           registry: Registry | None = None) -> dict[str, Graph]:
    """The named graphs of the parent document at ``path``, by graph IRI: its own graph and,
    with ``child`` (the 发文字号 of a plan of the built graph), the alignment graph of the
    child's tasks with its measures, with the decisions of the reviewed CSV ``review``."""
    registry = registry or load_registry()
    if review is not None and child is None:
        raise QueryArgumentError("审核文件需与子规划（child）一同给出",
                                 "a review needs a child plan")
    parent = _parent(path, registry)
    doc = plan_iri(parent, registry=registry)
    graphs = {str(iris.document_graph(doc)): measures_graph(
        parent, registry=registry, sectors=sector_labels(load_ontology()))}
    if child is None:
        return graphs
    plan = source_plan(child, registry=registry)
    decisions = read_review(review) if review is not None else None
    rows = align(plan, parent, registry=registry)
    name = iris.alignment_graph(plan_iri(plan, registry=registry), doc)
    graphs[str(name)] = alignment_graph(rows, child=plan, parent=parent, decisions=decisions,
                                        registry=registry)
    return graphs


def to_trig(graphs: Mapping[str, Graph]) -> bytes:
    """The named graphs as TriG, statements sorted, with the project's prefixes."""
    quads = sorted((ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(name))
                    for name, g in graphs.items() for s, p, o in g), key=str)
    return ox.serialize(quads, format=ox.RdfFormat.TRIG,
                        prefixes={k: str(v) for k, v in iris.PREFIXES.items()})
