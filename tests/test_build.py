"""The built graph: nothing lost, everything traceable, the closure clean, builds reproducible."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef

from plankg.graph import iris
from plankg.graph.iris import CV, ELI, PK, PROV, RDF
from plankg.graph.publish import canonical_nquads, load_release
from plankg.graph.reason import infer_graph, is_inferred

DOC = iris.document(division="140521", year=2022, series_key="qzbf", serial=33)
TASK1 = iris.task(DOC, 1)


def _union(built):
    return built.dataset


def _squeeze(text: str) -> str:
    return re.sub(r"[\s#*]+", "", text)


def test_named_graphs(built):
    names = {str(g.identifier) for g in built.dataset.graphs() if len(g)}
    owners = [iris.curated_graph(s) for s in ("agencies", "national-agencies", "documents",
                                                "relations")] + [iris.document_graph(DOC)]
    inferred = {str(iris.inferred_graph(o)) for o in owners}
    assert {str(iris.named_graph("ontology"))} | {str(o) for o in owners} <= names
    assert names - {str(iris.named_graph("ontology"))} - {str(o) for o in owners} <= inferred
    # the registries of agencies and documents only state what the ontology already implies
    assert {str(iris.inferred_graph(iris.document_graph(DOC))),
            str(iris.inferred_graph(owners[3]))} <= names


def test_graph_reproduces_the_plan_body(built, seed_text):
    """Headings, texts and brackets in the graph, in source order, are the plan body."""
    g = built.dataset
    pieces = []
    for node in g.subjects(PROV.wasDerivedFrom, DOC):
        start = g.value(node, PK.startOffset)
        if (node, RDF.type, PK.Section) in g:
            number = int(g.value(node, ELI.number))
            label = (f"（{_cn(number)}）" if "/subsection/" in node else f"{_cn(number)}、")
            text = g.value(node, PK.text) or ""
            pieces.append((int(start), label + str(g.value(node, PK.heading)) + str(text)))
        elif (node, RDF.type, PK.Task) in g:
            pieces.append((int(start), f"{g.value(node, ELI.number)}." + str(g.value(node, PK.text))
                           + str(g.value(node, PK.bracketText))))
    pieces.sort()
    rebuilt = str(g.value(DOC, ELI.title)) + str(g.value(DOC, PK.preamble)) + "".join(
        p for _, p in pieces)
    body_start = seed_text.index("# 沁水县推进服务业提质增效 2022年行动计划")
    body_end = seed_text.index("---", body_start)
    assert _squeeze(rebuilt) == _squeeze(seed_text[body_start:body_end])


def _cn(n: int) -> str:
    digits = "一二三四五六七八九"
    if n <= 9:
        return digits[n - 1]
    return "十" + (digits[n - 11] if n > 10 else "")


def test_every_extracted_node_is_traceable(built):
    g = built.dataset
    located = set(g.subjects(PK.sourceLine, None)) - {DOC}
    assert int(g.value(DOC, PK.sourceLine)) == 5  # the line that prints its number
    # 66 tasks, 163 agency entries, 7 sections + 14 sub-sectors, 16 targets, 6 citations
    assert len(located) == 66 + 163 + 21 + 16 + 6
    for node in located:
        assert g.value(node, PROV.wasDerivedFrom) == DOC
        assert g.value(node, PK.startOffset) is not None and g.value(node, PK.endOffset) is not None
    curated = _curated(g)
    for kind in (PK.Task, PK.Assignment, PK.Target, PK.Citation, PK.Section):
        for node in g.subjects(RDF.type, kind):
            if str(node).startswith(str(DOC)):
                if (node, None, None) in curated and (node, PK.sourceLine, None) not in g:
                    # a curated fact about the plan (a reviewed link) names its source instead
                    assert curated.value(node, iris.DCTERMS.source) is not None, node
                else:
                    assert node in located, node


def _curated(ds) -> Graph:
    union = Graph()
    for g in ds.graphs():
        if str(g.identifier).startswith(str(iris.named_graph("curated/"))):
            union += g
    return union


def test_curated_facts_carry_a_source(built):
    curated = _curated(built.dataset)
    subjects = set(curated.subjects()) - set(curated.subjects(RDF.type, iris.SKOS.Concept))
    for node in subjects:  # a task in a curated link: the link's statement has the source
        statements = [node, *curated.subjects(PK.citingPart, node)]
        assert any(curated.value(s, iris.DCTERMS.source) for s in statements), node


def test_task_1_lineage_triples(built):
    g = built.dataset
    national = iris.document(division="cn", year=2022, series_key="fgcj", serial=271)
    provincial = iris.document(division="140000", year=2022, series_key="jzbf", serial=33)
    city = iris.document(division="140500", year=2022, series_key="jszb", serial=24)
    assert (TASK1, ELI.cites, national) in g and (TASK1, ELI.cites, provincial) in g
    assert (TASK1, ELI.ensures_implementation_of, national) in g
    assert (DOC, ELI.based_on, city) in g
    assert provincial != DOC  # the provincial 33号 is not the county's own 33号
    old = iris.document(division="140521", year=2021, series_key="qzbh", serial=10)
    assert (DOC, ELI.repeals, old) in g
    assert g.value(old, ELI.in_force) == Literal(False)


def _inferred(ds) -> Graph:
    union = Graph()
    for g in ds.graphs():
        if is_inferred(g.identifier):
            union += g
    return union


def test_each_graph_has_its_inferred_graph_and_nothing_is_lost(built):
    """Reasoning per graph (so that a store can add one document without touching the
    others) gives the closure of the whole, and each inferred graph is named for its owner."""
    ds = built.dataset
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    owners = {n for n in names if not is_inferred(n) and not n.endswith("/graph/ontology")}
    assert {n for n in names if is_inferred(n)} <= {
        str(iris.inferred_graph(URIRef(n))) for n in owners}
    asserted, schema = Graph(), ds.graph(iris.named_graph("ontology"))
    for g in ds.graphs():
        if not is_inferred(g.identifier) and g.identifier != schema.identifier:
            asserted += g
    whole = set(infer_graph(asserted, schema))
    apart = {t for t in _inferred(ds) if t not in asserted}
    assert apart == whole


def test_inferred_graph(built):
    inferred = _inferred(built.dataset)
    own = built.dataset.graph(iris.document_graph(DOC))
    assert not any(isinstance(s, Literal) for s, _, _ in inferred)
    assert not (set(built.dataset.graph(iris.inferred_graph(own.identifier))) & set(own))
    task13 = iris.task(DOC, 13)
    post = iris.agency(division="140521", key="post-qinshui")
    assert (task13, PK.leadAgency, post) in inferred
    assert (task13, PK.supportAgency, iris.agency(division="140521", key="housing")) in inferred
    assert (task13, PK.assignedAgency, post) in inferred
    old = iris.document(division="140521", year=2021, series_key="qzbh", serial=10)
    assert (old, ELI.repealed_by, DOC) in inferred
    assert (TASK1, ELI.is_part_of, iris.section(DOC, 2)) in inferred
    assert (TASK1, RDF.type, ELI.LegalResourceSubdivision) in inferred
    task31 = iris.task(DOC, 31)
    assert len(set(inferred.objects(task31, PK.unspecifiedRoleAgency))) == 2
    leads = {(s, o) for s, o in inferred.subject_objects(PK.leadAgency)}
    assert len(leads) == 12  # lead entries over all brackets, counted by hand


def test_two_builds_are_identical():
    from plankg.graph.pipeline import build_all
    first, second = build_all(), build_all()
    assert canonical_nquads(first.dataset) == canonical_nquads(second.dataset)


def test_committed_release_is_up_to_date(built):
    assert canonical_nquads(built.dataset) == canonical_nquads(load_release()), (
        "graph/release is stale: run `plankg build` and commit")


def test_agency_iri_is_stable(built):
    g = built.dataset
    drc = URIRef("https://w3id.org/plankg/id/agency/140521/drc")
    names = {str(o) for o in g.objects(drc, iris.SKOS.altLabel)}
    assert names == {"县发改局", "县发展和改革委员会"}
    assert (drc, CV.playsRole, iris.assignment(iris.task(DOC, 49), 5)) in g


def test_pruned_reasoning_gives_the_full_closure(built):
    """The reasoner's input is pruned for speed; the full input must give the same closure."""
    from plankg.graph.build import build_dataset
    from plankg.graph.reason import infer
    ds = build_dataset(built.plans)
    full = set(infer(ds, prune=False))
    assert full == set(_inferred(built.dataset))
