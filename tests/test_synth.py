"""The synthetic corpus (graph.synth): deterministic, linear in --plans, and shaped like the real
graph: the reasoner adds nothing it lacks, the shapes conform, the checks are silent, and every
named query has rows on it."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from plankg.graph import iris
from plankg.graph._ox import from_ox
from plankg.graph.cli import main
from plankg.graph.queries import load_queries, records_on_store, run_checks
from plankg.graph.reason import infer, is_inferred
from plankg.graph.store import GraphStore
from plankg.graph.synth import (
    BASE_QUADS,
    QUADS_PER_PLAN,
    plans_for_triples,
    synthesize,
    synthesize_nquads,
    write_corpus,
)
from plankg.graph.validate import validate_graph

SMALL = {"plans": 12, "seed": 7, "tasks": (6, 8)}  # a province, a city, a county: 4 years each


def nquads(**kwargs) -> str:
    return "".join(synthesize_nquads(**kwargs))


@pytest.fixture(scope="module")
def corpus() -> Dataset:
    ds = Dataset(default_union=True)
    for q in synthesize(**SMALL):
        ds.graph(URIRef(q.graph_name.value)).add(
            (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return ds


def asserted(ds: Dataset) -> Dataset:
    copy = Dataset(default_union=True)
    for g in ds.graphs():
        if not is_inferred(g.identifier) and len(g):
            copy.graph(g.identifier).addN((s, p, o, copy.graph(g.identifier)) for s, p, o in g)
    return copy


def test_same_seed_same_bytes_other_seed_other_bytes():
    for fmt in ("nq", "trig"):
        a, b, c = io.BytesIO(), io.BytesIO(), io.BytesIO()
        write_corpus(a, plans=3, seed=1, fmt=fmt)
        write_corpus(b, plans=3, seed=1, fmt=fmt)
        write_corpus(c, plans=3, seed=2, fmt=fmt)
        assert a.getvalue() == b.getvalue() != c.getvalue()


def test_a_corpus_is_a_prefix_of_a_larger_one():
    assert nquads(plans=8, seed=5).startswith(nquads(plans=5, seed=5))


def test_no_quad_twice_and_every_plan_has_its_graph():
    text = nquads(plans=6, seed=3)
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(set(quads)) == text.count("\n")
    plans = {str(q.subject) for q in quads if q.predicate.value.endswith("#type")
             and q.object.value.endswith("def#Plan")}
    graphs = {q.graph_name.value for q in quads}
    assert len(plans) == 6 and {p.replace("/eli/", "/graph/eli/")[1:-1] for p in plans} <= graphs
    assert {n for n in graphs if "/eli/" not in n} == {
        str(iris.named_graph("ontology")), str(iris.curated_graph("synth/3"))}
    for plan in plans:  # every other graph is a plan's own
        own = iris.document_graph(URIRef(plan[1:-1]))
        assert str(iris.inferred_graph(own)) in graphs


def test_size_is_linear_in_plans_and_triples_pick_plans():
    sizes = {n: nquads(plans=n, seed=11).count("\n") for n in (6, 12, 24)}
    per_plan = [(sizes[n] - BASE_QUADS) / n for n in sizes]
    assert all(abs(p / QUADS_PER_PLAN - 1) < 0.15 for p in per_plan), per_plan
    for target in (10_000, 100_000):
        got = nquads(plans=plans_for_triples(target), seed=0).count("\n")
        assert abs(got / target - 1) < 0.2, (target, got)


def test_the_inferred_graphs_are_what_the_reasoner_infers(corpus):
    given = {t for g in asserted(corpus).graphs() for t in g}
    expected = set(infer(asserted(corpus))) - given
    written = set()
    for g in corpus.graphs():
        if is_inferred(g.identifier):
            written |= set(g)
    assert written - given == expected
    assert len(expected) > 1000


def test_the_shapes_conform(corpus):
    union = Graph()
    for g in asserted(corpus).graphs():
        union += g
    report = validate_graph(union, file="synth", with_context=False)
    assert report.conforms, [f.message_en for f in report.violations][:5]


def test_the_quality_checks_are_silent(corpus):
    union = Graph()
    union.addN((s, p, o, union) for s, p, o in corpus.triples((None, None, None)))
    failed = {name: len(a.rows) for name, a in run_checks(union).items() if a.rows}
    assert not failed


def _params(store: GraphStore) -> dict[str, dict[str, str]]:
    """Parameters that name things of the corpus: the newest county plan, a national document
    a task carries out, an agency with tasks."""
    def first(text: str) -> str:
        return str(store.select(text)[1][0][0])

    county = first("SELECT ?n WHERE { ?p a pk:Plan ; pk:level <https://w3id.org/plankg/id/level/"
                   "county> ; eli:id_local ?n ; pk:year ?y } ORDER BY DESC(?y) ?n LIMIT 1")
    national = first("SELECT ?n WHERE { ?t a pk:Task ; eli:ensures_implementation_of ?d . ?d "
                     "pk:level <https://w3id.org/plankg/id/level/national> ; eli:id_local ?n } "
                     "ORDER BY ?n LIMIT 1")
    agency = first("SELECT ?a WHERE { ?a cv:playsRole ?x } ORDER BY ?a LIMIT 1")
    indicator = first("SELECT ?i WHERE { ?t pk:indicator ?i } ORDER BY ?i LIMIT 1")
    task = first("SELECT ?n WHERE { ?t pk:hasTarget ?x ; eli:number ?n ; cv:hasParticipation ?a } "
                 "ORDER BY ?n LIMIT 1")
    sector = first("SELECT ?l WHERE { ?t a pk:Task ; pk:sector ?s . ?s skos:prefLabel ?l "
                   "FILTER(LANG(?l) = 'zh') } ORDER BY ?l LIMIT 1")
    return {"indicator-history": {"indicator": indicator},
            "task-agencies": {"number": task}, "task-targets": {"number": task},
            "tasks-by-sector": {"sector": sector}, "plan-documents": {"plan": county},
            "citations": {"document": county}, "document-implementers": {"document": national},
            "find-document": {"number": county}, "supersession": {"document": county},
            "series-history": {"plan": county}, "tasks-by-agency": {"agency": agency},
            "task-lineage": {"number": "1", "plan": county}}


@pytest.fixture(scope="module")
def store(corpus) -> GraphStore:
    return GraphStore.of(corpus)


@pytest.mark.parametrize("name", sorted(n for n, q in load_queries().items() if not q.is_check))
def test_every_named_query_has_rows(store, name):
    rows = records_on_store(store, name, _params(store).get(name, {}))
    assert rows, name


def test_lineage_climbs_every_hop_with_every_kind_of_evidence(store):
    rows = records_on_store(store, "task-lineage", _params(store)["task-lineage"])
    assert {r["hop"] for r in rows} == {0, 1, 2}
    assert {r["evidence"] for r in rows} >= {"stated", "curated"}
    assert {r["level"] for r in rows} >= {"national", "province", "city", "county"}


def test_cli(tmp_path, capsys):
    out = tmp_path / "corpus.trig"
    assert main(["synth", "--plans", "2", "--seed", "4", "--out", str(out)]) == 0
    quads = list(ox.parse(out.read_bytes(), format=ox.RdfFormat.TRIG))
    assert f"{len(quads):,}" in capsys.readouterr().out
    assert main(["synth", "--triples", "1000", "--out", str(tmp_path / "x.ttl")]) == 2
    assert ".trig" in capsys.readouterr().err
