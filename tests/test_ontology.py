"""The ontology: modules, labels in both languages, version, and every term the graph uses."""

from __future__ import annotations

import tomllib

from rdflib import Literal, URIRef

from plankg.graph.iris import OWL, PK, RDF, RDFS, SKOS
from plankg.graph.ontology import load_ontology
from plankg.graph.paths import ontology_dir
from tests.conftest import ROOT


def _langs(g, node, prop):
    return {v.language for v in g.objects(node, prop) if isinstance(v, Literal)}


def test_umbrella_imports_every_module():
    umbrella = URIRef("https://w3id.org/plankg/def")
    g = load_ontology()
    modules = {f.name[:-4] for f in ontology_dir().iterdir()
               if f.name.endswith(".ttl") and f.name != "plankg.ttl"}
    imported = {str(o).rsplit("/", 1)[-1] for o in g.objects(umbrella, OWL.imports)}
    assert imported == modules


def test_version_iri_comes_from_pyproject():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    g = load_ontology()
    umbrella = URIRef("https://w3id.org/plankg/def")
    assert g.value(umbrella, OWL.versionIRI) == URIRef(f"https://w3id.org/plankg/def/{version}")
    assert str(g.value(umbrella, OWL.versionInfo)) == version
    for module in g.objects(umbrella, OWL.imports):
        assert str(g.value(module, OWL.versionIRI)).endswith(f"/{version}"), module


def test_every_term_has_zh_and_en_label_and_definition():
    g = load_ontology()
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PK))}
    assert len(terms) > 50
    for term in terms:
        assert {"zh", "en"} <= _langs(g, term, RDFS.label), term
        assert {"zh", "en"} <= _langs(g, term, SKOS.definition), term
    for concept in g.subjects(RDF.type, SKOS.Concept):
        assert {"zh", "en"} <= _langs(g, concept, SKOS.prefLabel), concept


def test_the_graph_uses_only_defined_terms(built):
    g = load_ontology()
    defined = {s for s in g.subjects(RDFS.label, None)}
    used = set()
    for s, p, o in built.dataset.triples((None, None, None)):
        used.add(p)
        if p == RDF.type:
            used.add(o)
    ours = {t for t in used if str(t).startswith(str(PK))}
    assert ours - defined == set()


def test_concepts_the_builder_mints_exist(built):
    g = load_ontology()
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    for prop in (PK.level, PK.comparator, PK.targetKind, PK.commitment, PK.statusReason,
                 PK.evidence, PK.sector):
        for value in built.dataset.objects(None, prop):
            assert value in concepts, (prop, value)
    roles = {o for o in built.dataset.objects(None, URIRef("http://data.europa.eu/m8g/role"))}
    assert roles and roles <= concepts
    kinds = set(built.dataset.objects(None, URIRef("http://www.w3.org/ns/org#classification")))
    assert kinds and kinds <= concepts
