"""A corpus that grows one step at a time loses nothing (issue: a corpus that grows).

The store is built in steps: the release; three synthetic batches (``plankg synth`` files, loaded
one after another); two plan files with ``plankg add``; then a server's start. Every named query
must then give the rows it gives on one in-memory graph holding all of it at once, on the
embedded Oxigraph store (persistent) and on Virtuoso.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from plankg.graph import iris
from plankg.graph._ox import from_ox
from plankg.graph.add import add_document
from plankg.graph.backends import open_store
from plankg.graph.build import plan_graph
from plankg.graph.build.documents import plan_iri
from plankg.graph.errors import DocumentRefusedError, StoreError
from plankg.graph.load import ensure_release, load_files, release_file
from plankg.graph.ontology import load_ontology, sector_labels
from plankg.graph.parse import parse_file
from plankg.graph.queries import load_queries, run_named, run_named_on_store
from plankg.graph.reason import infer_graph
from plankg.graph.registry import load_registry
from plankg.graph.sparql import to_records
from plankg.graph.store import GraphStore
from plankg.graph.synth import write_corpus
from tests.conftest import FIXTURES
from tests.test_queries import PARAMS

BATCHES = ((21, 3), (22, 3), (23, 2))  # (seed, plans)
FILES = (FIXTURES / "plans" / "qinshui-2023.md", FIXTURES / "alignment" / "chain-city.md")


def _batches(folder) -> list:
    paths = []
    for seed, plans in BATCHES:
        path = folder / f"batch-{seed}.nq"
        write_corpus(path, plans=plans, seed=seed, fmt="nq")
        paths.append(path)
    return paths


def grow(spec: str, folder) -> GraphStore:
    backend = open_store(spec)
    ensure_release(backend)
    for path in _batches(folder):
        load_files(backend, [path])
    for path in FILES:
        add_document(backend, path)
    assert ensure_release(backend) == "reused"  # a server's start changes nothing
    return GraphStore(backend)


def _add(ds: Dataset, name: str, triples) -> None:
    g = ds.graph(URIRef(name))
    g.addN((s, p, o, g) for s, p, o in triples)


def all_at_once(folder, store: GraphStore) -> Dataset:
    """One in-memory graph of everything: the files as they are, and what ``add`` makes of the
    plan files computed here on its own (its alignment graphs are read from the store)."""
    ds = Dataset(default_union=True)
    for path, fmt in [(release_file(), ox.RdfFormat.TRIG),
                      *((p, ox.RdfFormat.N_QUADS) for p in _batches(folder))]:
        for q in ox.parse(path=str(path), format=fmt):
            _add(ds, q.graph_name.value, [(from_ox(q.subject), from_ox(q.predicate),
                                           from_ox(q.object))])
    registry, ontology = load_registry(), load_ontology()
    for path in FILES:
        plan = parse_file(path, registry=registry)
        own = plan_graph(plan, registry=registry, sectors=sector_labels(ontology))
        name = iris.document_graph(plan_iri(plan, registry=registry))
        _add(ds, str(name), own)
        _add(ds, str(iris.inferred_graph(name)), infer_graph(own, ontology))
    for name in store.backend.graph_names():
        if name.startswith(str(iris.named_graph("alignment/eli/"))) and "/140500/" in name:
            _add(ds, name, store.backend.construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"))
    return ds


def _same_rows(store: GraphStore, reference: Dataset) -> None:
    for name in sorted(load_queries()):
        want = to_records(run_named(reference, name, PARAMS.get(name, {})))
        got = to_records(run_named_on_store(store, name, PARAMS.get(name, {})))
        assert got == want, name


@pytest.fixture(scope="module")
def grown_oxigraph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("growth")
    store = grow(f"oxigraph:{folder / 'store'}", folder)
    yield folder, store
    store.backend.close()


def test_a_store_grown_in_steps_answers_like_everything_at_once(grown_oxigraph):
    folder, store = grown_oxigraph
    _same_rows(store, all_at_once(folder, store))


def test_the_added_plans_are_linked_to_what_the_store_holds(grown_oxigraph):
    _, store = grown_oxigraph
    names = store.backend.graph_names()
    city = "eli/cn/140500/2022/jszb-24"
    assert str(iris.named_graph(f"alignment/eli/cn/140521/2022/qzbf-33/{city}")) in names
    assert str(iris.inferred_graph(iris.named_graph(city))) in names


def test_the_same_on_virtuoso(tmp_path):
    from tests.virtuoso import available, throwaway_virtuoso
    if not available():
        pytest.skip("virtuoso-t is not installed")
    with throwaway_virtuoso() as server:
        store = grow(server.spec, tmp_path)
        try:
            _same_rows(store, all_at_once(tmp_path, store))
        finally:
            store.backend.close()


def _dump(backend, *, without=()) -> list[str]:
    return sorted(str(q) for q in backend.quads()
                  if q.graph_name.value not in without
                  and q.graph_name.value != str(iris.MANIFEST_GRAPH))


def test_adding_a_document_again_replaces_only_its_own_graphs(tmp_path):
    backend = open_store(f"oxigraph:{tmp_path / 'store'}")
    ensure_release(backend)
    load_files(backend, _batches(tmp_path)[:1])
    first = add_document(backend, FILES[1])
    before = _dump(backend)
    again = add_document(backend, FILES[1])
    assert again.graphs == first.graphs and _dump(backend) == before
    other = _dump(backend, without=set(first.graphs))
    edited = tmp_path / "chain-city.md"
    edited.write_text(FILES[1].read_text(encoding="utf-8").replace("。", "。 ", 1),
                      encoding="utf-8")
    add_document(backend, edited)
    assert _dump(backend, without=set(first.graphs)) == other
    backend.close()


def test_a_document_with_violations_is_refused_unless_forced(tmp_path):
    backend = open_store("memory")
    bad = FIXTURES / "shapes" / "task-agency.md"
    with pytest.raises(DocumentRefusedError, match="violations"):
        add_document(backend, bad)
    assert not any("/eli/" in g for g in backend.graph_names())
    assert add_document(backend, bad, force=True).violations > 0
    assert any("/eli/" in g for g in backend.graph_names())


def test_older_ontologies_and_shared_graphs_are_refused(tmp_path):
    backend = open_store("memory")
    ensure_release(backend)
    older = Graph()
    older.add((iris.ONTOLOGY, URIRef("http://www.w3.org/2002/07/owl#versionInfo"),
               __import__("rdflib").Literal("0.1.0")))
    from plankg.graph.load import load_graphs
    with pytest.raises(StoreError, match="older than the store's 0.2.0"):
        load_graphs(backend, {str(iris.named_graph("ontology")): older}, writer="load",
                    source="old.trig", content="sha256:x")
    shared = tmp_path / "old-batch.trig"
    shared.write_text(f"<{iris.named_graph('inferred')}> {{ <{iris.BASE}id/x> "
                      f"<{iris.BASE}def#heading> \"x\" . }}\n", encoding="utf-8")
    with pytest.raises(StoreError, match="every batch of an older version shared"):
        load_files(backend, [shared])


def test_serve_adds_only_what_the_store_lacks(tmp_path):
    """A store filled before the server's first start keeps every graph; the server adds the
    release's graphs it lacks and replaces none it did not write."""
    backend = open_store(f"oxigraph:{tmp_path / 'store'}")
    batch = _batches(tmp_path)[0]
    load_files(backend, [batch])
    before = _dump(backend)
    leads_before = backend.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?t "
                                  "<https://w3id.org/plankg/def#leadAgency> ?a } }")[1][0][0]
    said = ensure_release(backend)
    assert said.startswith("loaded")
    after = _dump(backend)
    assert set(before) <= set(after)
    leads_after = backend.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?t "
                                 "<https://w3id.org/plankg/def#leadAgency> ?a } }")[1][0][0]
    assert int(leads_after) == int(leads_before) + 12  # the seed plan's 12 leads, added
    backend.close()


def test_add_and_status_on_the_command_line(tmp_path, capsys):
    import json

    from plankg.graph.cli import main
    spec = f"oxigraph:{tmp_path / 'store'}"
    assert main(["load", "--store", spec]) == 0
    assert main(["add", "--store", spec, str(FILES[1])]) == 0
    assert main(["add", "--store", spec, str(FIXTURES / "shapes" / "task-agency.md")]) == 1
    assert "refused" in capsys.readouterr().err
    assert main(["status", "--store", spec, "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    numbers = {d["number"]: d["items"] for d in status["documents"]}
    assert numbers["沁政办发〔2022〕33号"] == 66 and numbers["晋市政办〔2022〕24号"] == 3
    writers = {g["graph"].removeprefix(iris.BASE + "graph/"): g.get("writer")
               for g in status["graphs"]}
    assert writers["eli/cn/140500/2022/jszb-24"] == "add"
    assert writers["eli/cn/140521/2022/qzbf-33"] == "release"
    assert status["ontology_version"] == "0.2.0" and status["release"]
