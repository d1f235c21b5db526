"""The curated graph: agencies, known documents and curated relations (between documents, or a
task and a parent measure), each with its source."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from .. import iris
from ..iris import DCTERMS, ELI, ORG, PK, PROV, RDF, SKOS, XSD
from ..parse import parse_number
from ..registry import Agency, KnownDocument, Registry, Relation
from .documents import document_iri

__all__ = ["agency_iri", "curated_graph", "curated_graphs"]


def agency_iri(ref: str) -> URIRef:
    """IRI of a registry reference ``division/key``."""
    division, key = ref.split("/", 1)
    return iris.agency(division=division, key=key)


def _agency(g: Graph, agency: Agency) -> None:
    node = agency_iri(agency.ref)
    g.add((node, RDF.type, ORG.Organization))
    g.add((node, SKOS.prefLabel, Literal(agency.name_zh, lang="zh")))
    g.add((node, SKOS.prefLabel, Literal(agency.name_en, lang="en")))
    for alias in agency.aliases:
        g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
    g.add((node, ORG.classification, iris.concept("agency-kind", agency.kind)))
    if agency.parent:
        g.add((node, ORG.subOrganizationOf, agency_iri(agency.parent)))
    g.add((node, PK.divisionCode, Literal(agency.division)))
    g.add((node, DCTERMS.identifier, Literal(agency.ref)))
    g.add((node, DCTERMS.source, Literal(agency.source)))


def describe_document(g: Graph, node: URIRef, doc: KnownDocument) -> None:
    """The identity facts of a registered document (also used for the seed's own manifest row)."""
    g.add((node, RDF.type, ELI.LegalResource))
    g.add((node, ELI.id_local, Literal(doc.number)))
    g.add((node, PK.issuerCode, Literal(doc.series_code)))
    g.add((node, PK.year, Literal(str(doc.year), datatype=XSD.gYear)))
    g.add((node, PK.serial, Literal(doc.serial)))
    g.add((node, PK.divisionCode, Literal(doc.division)))
    if doc.title:
        g.add((node, ELI.title, Literal(doc.title, lang="zh")))
    g.add((node, ELI.passed_by, agency_iri(doc.issuer)))
    g.add((node, PK.level, iris.concept("level", doc.level)))
    g.add((node, ELI.type_document, iris.concept("doc-type", doc.doc_type)))
    if doc.date:
        prop = {"issued": ELI.date_document, "published": ELI.date_publication,
                "no-later-than": PK.issuedNoLaterThan}[doc.date_kind or "issued"]
        g.add((node, prop, Literal(doc.date, datatype=XSD.date)))
    g.add((node, DCTERMS.source, Literal(doc.source)))


def curated_graphs(registry: Registry) -> dict[str, Graph]:
    """The curated facts by source, each a registry file (``agencies``, ``national-agencies``,
    ``documents``, ``relations``): a store keeps one graph per source, so loading one never
    replaces another's facts."""
    graphs: dict[str, Graph] = {}
    for agency in registry.agencies:
        _agency(graphs.setdefault(agency.file.removesuffix(".csv"), Graph()), agency)
    documents = graphs.setdefault("documents", Graph())
    for doc in registry.documents:
        describe_document(documents, document_iri(parse_number(doc.number), registry=registry),
                          doc)
    relations = graphs.setdefault("relations", Graph())
    counts: dict[URIRef, int] = {}
    for rel in registry.relations:
        subject, obj = _ends(rel, relations, registry)
        relation = PK[rel.relation] if rel.relation in _PK_RELATIONS else ELI[rel.relation]
        relations.add((subject, relation, obj))
        counts[subject] = counts.get(subject, 0) + 1
        node = iris.curated_statement(subject, counts[subject])
        relations.add((node, RDF.type, PK.Citation))
        relations.add((node, PK.citingPart, subject))
        relations.add((node, PK.citedDocument, obj))
        relations.add((node, PK.relation, relation))
        relations.add((node, PK.evidence, iris.concept("evidence", "curated")))
        relations.add((node, DCTERMS.source, Literal(rel.source)))
    return graphs


def curated_graph(registry: Registry) -> Graph:
    """Every curated fact in one graph (what a plan is validated with)."""
    g = Graph()
    for part in curated_graphs(registry).values():
        g += part
    return g


_PK_RELATIONS = frozenset({"implementsMeasure"})


def _ends(rel: Relation, g: Graph, registry: Registry) -> tuple[URIRef, URIRef]:
    """The subject and object of a curated relation: documents, or tasks of them. A task is
    named as the builder names it where numbering runs on (``…/task/{n}``); the object's part
    is described as a ``pk:Measure`` of its document, with the relation's source."""
    subject = document_iri(parse_number(rel.subject), registry=registry)
    obj = document_iri(parse_number(rel.object), registry=registry)
    if rel.subject_task is not None:
        subject = iris.task(subject, rel.subject_task)
    if rel.object_task is not None:
        doc, obj = obj, iris.task(obj, rel.object_task)
        g.add((obj, RDF.type, PK.Measure))
        g.add((obj, ELI.number, Literal(str(rel.object_task))))
        if rel.object_heading:
            g.add((obj, PK.heading, Literal(rel.object_heading, lang="zh")))
        g.add((obj, PROV.wasDerivedFrom, doc))
        g.add((obj, DCTERMS.source, Literal(rel.source)))
    return subject, obj
