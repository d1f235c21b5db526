"""Store backends: loading, persistence, atomic loads, a remote server's quirks and failures.

The same query and API suites run on every backend through the ``backend_store`` fixture
(tests/test_queries.py, tests/test_service.py); these tests cover what is particular to stores.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from plankg.graph import iris
from plankg.graph.backends import open_store
from plankg.graph.backends.base import Selection
from plankg.graph.backends.values import bind_values
from plankg.graph.errors import QueryArgumentError, StoreError, StoreUnavailableError
from plankg.graph.load import ensure_release, load_files
from plankg.graph.publish import load_release
from plankg.graph.queries import load_queries, records_on_store
from plankg.graph.store import GraphStore

GRAPH = "https://w3id.org/plankg/graph/test"


def _quads(backend) -> list[str]:
    """The quads of the data graphs (not the manifest, which records when each was loaded)."""
    manifest = str(iris.MANIFEST_GRAPH)
    return sorted(str(q) for q in backend.quads() if q.graph_name.value != manifest)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_trig(path: Path, triples: int, *, graph: str = GRAPH) -> Path:
    g = ox.NamedNode(graph)
    quads = (ox.Quad(ox.NamedNode(f"https://w3id.org/plankg/id/test/{i}"),
                     ox.NamedNode("https://w3id.org/plankg/def#heading"),
                     ox.Literal(f"第{i}项"), g) for i in range(triples))
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    return path


@pytest.mark.parametrize("spec", ["memory", "oxigraph:memory"])
def test_bound_values_cannot_change_the_query(spec, tmp_path):
    hostile = 'x" } ; DROP ALL ; SELECT * { "\n\\'
    backend = open_store(spec)
    backend.load_graphs({GRAPH: _graph([(URIRef("https://w3id.org/plankg/id/a"), Literal(hostile)),
                                        (URIRef("https://w3id.org/plankg/id/b"), Literal("y"))])})
    store = GraphStore(backend)
    query = "SELECT ?s\\nWHERE {\\n  ?s ?p ?v }".replace("\\n", "\n")
    _, rows = store.select(query, substitutions={"v": Literal(hostile)}, trusted=True)
    assert rows == [[URIRef("https://w3id.org/plankg/id/a")]]
    _, rows = store.select(query, substitutions={"v": Literal(hostile + " ")}, trusted=True)
    assert rows == []
    with pytest.raises(QueryArgumentError):
        bind_values(query, {"v": URIRef("https://w3id.org/plankg/id/a> } ; DROP ALL #")})


def _graph(pairs):
    from rdflib import Graph
    g = Graph()
    for s, o in pairs:
        g.add((s, URIRef("https://w3id.org/plankg/def#heading"), o))
    return g


def test_persistent_oxigraph_loads_idempotently_and_survives_a_restart(tmp_path):
    spec = f"oxigraph:{tmp_path / 'store'}"
    first = open_store(spec)
    assert ensure_release(first).startswith("loaded")
    once = _quads(first)
    assert len(once) == len(list(ox.parse(path=_release(), format=ox.RdfFormat.TRIG)))
    load_files(first, [_release()])
    assert _quads(first) == once  # loading twice gives the same store
    extra = _write_trig(tmp_path / "extra.trig", 10)
    load_files(first, [extra])
    with_extra = _quads(first)
    assert len(with_extra) == len(once) + 10
    first.close()
    again = open_store(spec)  # a restart: nothing rebuilt, nothing lost
    assert ensure_release(again) == "reused"
    assert _quads(again) == with_extra
    generations = [p.name for p in (tmp_path / "store").iterdir() if p.name.startswith("gen-")
                   and p.is_dir()]
    assert len(generations) == 1  # nobody reads the older ones any more


def _merge(backend) -> list[str]:
    """The merged default graph, without the manifest's statements about the graphs."""
    return sorted(str(q) for q in backend.store.quads_for_pattern(None, None, None,
                                                                  ox.DefaultGraph())
                  if not q.subject.value.startswith(iris.BASE + "graph/"))


def test_a_load_writes_the_merge_and_refuses_bad_files_whole(tmp_path):
    """Each load writes the named graphs and their merge (the default graph: each triple of
    any graph, once); a graph replaced by fewer triples leaves the merge; a file with
    default-graph triples or a syntax error is refused and the store is left as it was."""
    path = tmp_path / "store"
    store = open_store(f"oxigraph:{path}")
    other = "https://w3id.org/plankg/graph/other"
    load_files(store, [_write_trig(tmp_path / "a.trig", 30),
                       _write_trig(tmp_path / "b.trig", 20, graph=other)])
    expected = sorted(str(ox.Quad(q.subject, q.predicate, q.object)) for q in
                      ox.parse(path=str(tmp_path / "a.trig"), format=ox.RdfFormat.TRIG))
    assert _merge(store) == expected  # b's 20 triples are a's first 20: written once
    load_files(store, [_write_trig(tmp_path / "a.trig", 5)])  # replaced by fewer
    assert len(_merge(store)) == 20 and store.count() == 20 + 2 * 4  # 4 manifest triples a graph
    folders = sorted(p.name for p in path.iterdir())
    before, current = _quads(store), (path / "CURRENT").read_text()
    (tmp_path / "default.trig").write_text(
        "<https://w3id.org/plankg/id/x> <https://w3id.org/plankg/def#heading> \"x\" .\n",
        encoding="utf-8")
    (tmp_path / "broken.trig").write_text(f"GRAPH <{other}> {{ <a> <b> \n", encoding="utf-8")
    for name, says in (("default.trig", "default graph"), ("broken.trig", "cannot read")):
        with pytest.raises(StoreError, match=says):
            store.load_file(tmp_path / name)
        assert _quads(store) == before and (path / "CURRENT").read_text() == current
        assert sorted(p.name for p in path.iterdir()) == folders  # no half-written generation


PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CURATED = "https://w3id.org/plankg/graph/curated/agencies"
FROM_CURATED = f"SELECT (COUNT(*) AS ?n) FROM <{CURATED}> WHERE {{ ?s ?p ?o }}"


def _rows(backend, query: str, dataset=None) -> list:
    from plankg.graph.backends.base import EVERYTHING
    return sorted(map(str, backend.select(query, dataset=dataset or EVERYTHING)[1]))


def test_a_server_reads_a_copy_in_memory_as_cache_says(tmp_path, monkeypatch):
    from plankg.graph.backends import oxigraph
    path = tmp_path / "store"
    ensure_release(open_store(f"oxigraph:{path}"))
    on_disk = open_store(f"oxigraph:{path};cache=disk")
    assert on_disk.cache == "disk" and on_disk.warm() == "" and on_disk.hot is None
    hot = open_store(f"oxigraph:{path}")  # cache=auto: a small store is copied
    assert re.search(r"copied [\d,]+ triples into memory", hot.warm()) and hot.hot is not None
    assert hot.warm() == ""  # once
    asked = {"agency": "县发展和改革局"}
    rows = records_on_store(GraphStore(hot), "tasks-by-agency", asked)
    assert rows and rows == records_on_store(GraphStore(on_disk), "tasks-by-agency", asked)
    assert _quads(hot) == _quads(on_disk) and hot.count() == on_disk.count()
    # the copy holds the merged default graph only; what names graphs reads the files
    assert len(hot.hot) == on_disk.count() < len(on_disk.store)
    assert hot.graph_names() == on_disk.graph_names() and len(hot.graph_names()) > 3
    for query in (PER_GRAPH, FROM_CURATED,
                  "SELECT ?g WHERE { graph ?g { ?s a <https://w3id.org/plankg/def#Task> } }"):
        assert _rows(hot, query) == _rows(on_disk, query) != [], query
    curated = Selection(default_graphs=(CURATED,))
    assert _rows(hot, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", curated) == _rows(
        on_disk, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", curated) != _rows(
        hot, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    load_files(hot, [_write_trig(tmp_path / "extra.trig", 10)])  # a load drops the copy
    assert hot.hot is None and len(_quads(hot)) == len(_quads(on_disk)) + 10
    monkeypatch.setattr(oxigraph, "HOT_MAX_TRIPLES", 100)
    large = open_store(f"oxigraph:{path}")
    assert "read from disk" in large.warm() and large.hot is None
    forced = open_store(f"oxigraph:{path};cache=memory")
    assert "into memory" in forced.warm() and forced.hot is not None
    monkeypatch.setenv("PLANKG_DATA", str(tmp_path / "data"))
    default_folder = open_store("oxigraph;cache=disk")
    assert (default_folder.path, default_folder.cache) == (tmp_path / "data" / "oxigraph", "disk")


def test_the_merged_default_graph_counts_each_triple_once(tmp_path):
    ds = load_release()
    distinct = len(set(ds.triples((None, None, None))))
    for spec in ("memory", "oxigraph:memory", f"oxigraph:{tmp_path / 's'}"):
        backend = open_store(spec)
        ensure_release(backend)
        graphs = len({q.graph_name for q in backend.quads()}) - 1
        assert backend.count() == distinct + 4 * graphs, spec  # and the manifest's
        assert len(list(backend.quads())) > distinct  # cited documents are also curated


def _release() -> Path:
    return Path(__file__).resolve().parent.parent / "graph" / "release" / "plankg.trig"


def test_a_killed_load_leaves_the_old_store_whole(tmp_path):
    folder = tmp_path / "store"
    backend = open_store(f"oxigraph:{folder}")
    ensure_release(backend)
    before = _quads(backend)
    backend.close()
    big = _write_trig(tmp_path / "big.trig", 200_000, graph=GRAPH + "-big")
    process = subprocess.Popen([sys.executable, "-m", "plankg.graph.cli", "load", "--store",
                                f"oxigraph:{folder}", str(big)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not (folder / "gen-000002").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert process.poll() is None, "the load finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after = open_store(f"oxigraph:{folder}")
    assert _quads(after) == before  # the old state, whole
    after.close()
    done = subprocess.run([sys.executable, "-m", "plankg.graph.cli", "load", "--store",
                           f"oxigraph:{folder}", str(big)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    final = open_store(f"oxigraph:{folder}")
    assert len(_quads(final)) == len(before) + 200_000


def test_an_unreachable_server_is_a_clear_error_and_serve_retries(tmp_path):
    port = _free_port()
    spec = f"sparql:http://127.0.0.1:{port}/sparql;update=http://127.0.0.1:{port}/u;timeout=2"
    with pytest.raises(StoreUnavailableError) as caught:
        open_store(spec).graph_names()
    assert "无法连接 SPARQL 服务器" in str(caught.value) and "cannot reach" in str(caught.value)
    load = subprocess.run([sys.executable, "-m", "plankg.graph.cli", "load", "--store", spec],
                          capture_output=True, text=True, timeout=60, check=False)
    assert load.returncode == 2 and "cannot reach the SPARQL server" in load.stderr
    assert "Traceback" not in load.stderr
    serve = subprocess.run([sys.executable, "-m", "plankg.service.cli", "serve", "--store", spec,
                            "--wait", "2", "--port", str(_free_port())],
                           capture_output=True, text=True, timeout=60, check=False)
    assert serve.returncode == 2
    assert "retrying" in serve.stderr and "cannot reach the SPARQL server" in serve.stderr
    assert "Traceback" not in serve.stderr


@pytest.mark.parametrize("spec", ["bogus", "sparql:ftp://x/sparql", "sparql:http://x/s;color=red",
                                  "oxigraph:x;cache=ram", "oxigraph;colour=blue"])
def test_bad_store_specs_are_refused(spec):
    with pytest.raises(StoreError):
        open_store(spec)


def test_a_row_capped_server_is_paged_or_refused():
    """Virtuoso cuts results at ResultSetMaxRows: ordered named queries are paged to the full
    answer, and a user's unordered query is refused rather than silently cut."""
    from tests.virtuoso import available, throwaway_virtuoso
    if not available():
        if os.environ.get("PLANKG_REQUIRE_VIRTUOSO") == "1":
            pytest.fail("virtuoso-t is not installed")
        pytest.skip("virtuoso-t is not installed")
    memory = GraphStore(open_store("memory"))
    ensure_release(memory.backend)
    with throwaway_virtuoso(max_rows=50) as server:
        remote = GraphStore(open_store(server.spec))
        ensure_release(remote.backend)
        expected = records_on_store(memory, "co-responsible-agencies")
        assert len(expected) > 50
        assert records_on_store(remote, "co-responsible-agencies") == expected
        from plankg.graph.store import inspect_query
        query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
        with pytest.raises(StoreError, match="cut the results at 50 rows"):
            remote.serialize(query, inspect_query(query), fmt=ox.QueryResultsFormat.JSON)
        remote.backend.close()


@pytest.mark.parametrize("query, says", [
    ('SELECT ?x WHERE { BIND(1/0 AS ?x) }', "Division by 0"),
    ('SELECT ?x WHERE { BIND("a" AS ?x) FILTER(REGEX(?x, "(")) }', "regexp error"),
    ('SELECT ?x WHERE { BIND(STRLANG("a", "") AS ?x) }', "language ID"),
])
def test_a_query_the_server_refuses_is_the_users_fault(virtuoso, query, says):
    """Virtuoso answers 500 for queries it will not run (SQLSTATE 22…, 42…): through our
    /sparql that is a 400 naming the server's reason, not a 503 blaming the store."""
    from fastapi.testclient import TestClient

    from plankg.service import create_app
    store = GraphStore(open_store(virtuoso.spec))
    try:
        answer = TestClient(create_app(store)).get("/sparql", params={"query": query})
    finally:
        store.backend.close()
    assert answer.status_code == 400, answer.text
    assert says in answer.json()["message_en"]


class _NoFiles:
    """Stands for the files of a store: any read of them fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"read the files: {name}")


def test_named_queries_and_pages_read_only_the_copy_in_memory(tmp_path):
    """The copy in memory holds the default graph only: every named query, every query of the
    store's own that reads no named graph, and the API and pages answer from it (a comment
    that says "graph" or "from" must not send a query to the files)."""
    from fastapi.testclient import TestClient

    from plankg.service import create_app
    from tests.test_queries import PARAMS
    path = tmp_path / "store"
    ensure_release(open_store(f"oxigraph:{path}"))
    hot = open_store(f"oxigraph:{path};cache=memory")
    hot.warm()
    store = GraphStore(hot)
    names = store.graph_names  # read from the files once, before they are taken away
    hot.store = _NoFiles()
    for name in load_queries():
        assert records_on_store(store, name, PARAMS.get(name, {})) is not None, name
    client = TestClient(create_app(store))
    for url in ("/api/tasks/1", "/api/tasks/1/lineage", "/api/plans", "/api/agencies",
                "/api/documents/发改财金〔2022〕271号", "/", "/tasks", "/agencies", "/tasks/26",
                "/eli/cn/140521/2022/qzbf-33"):
        assert client.get(url).status_code == 200, url
    assert len(names) > 3
    with pytest.raises(AssertionError, match="read the files"):
        store.select(PER_GRAPH)


def _serve_once(data: Path) -> tuple[str, dict]:
    """Start ``plankg serve`` with no store flag on ``data``; its first two lines (the store,
    and its copy in memory) and /healthz."""
    import httpx

    from tests.conftest import serving
    with serving(data, "--workers", "0") as (process, base):
        lines = process.stdout.readline() + process.stdout.readline()
        return lines, httpx.get(base + "/healthz", timeout=5).json()


def test_serve_builds_its_store_once_and_reuses_it_after_a_restart(tmp_path):
    first, health = _serve_once(tmp_path)
    assert "store oxigraph" in first and re.search(r"\(loaded \d+ graphs of the release in", first)
    assert health["store"] == "oxigraph" and health["triples"] > 6000
    assert (tmp_path / "oxigraph" / "CURRENT").exists()
    assert re.search(r"copied [\d,]+ triples into memory", first)  # cache=auto, a small store
    again, health_again = _serve_once(tmp_path)
    assert "(reused)" in again and "into memory" in again
    assert health_again == health


def test_a_second_writer_is_refused_and_a_reader_keeps_its_generation(tmp_path):
    """One writer at a time (a second is refused at once, exit 2, with a clear message); a
    reader keeps answering from the generation it opened while loads come and go."""
    folder = tmp_path / "store"
    writer = open_store(f"oxigraph:{folder}")
    ensure_release(writer)
    reader = open_store(f"oxigraph:{folder};cache=disk")
    before = reader.count()
    with writer.generations.writing():  # a load in progress
        done = subprocess.run([sys.executable, "-m", "plankg.graph.cli", "load", "--store",
                               f"oxigraph:{folder}", str(_write_trig(tmp_path / "x.trig", 5))],
                              check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "another process" in done.stderr
    assert "Traceback" not in done.stderr
    for n in range(3):  # three loads: the reader's generation is kept for it
        load_files(writer, [_write_trig(tmp_path / f"g{n}.trig", 5, graph=GRAPH + f"-{n}")])
    assert reader.count() == before and reader.graph_names()
    reader.close()
    load_files(writer, [_write_trig(tmp_path / "last.trig", 5, graph=GRAPH + "-last")])
    generations = [p for p in folder.iterdir() if p.name.startswith("gen-") and p.is_dir()]
    assert len(generations) == 1  # collected once nobody reads them


def test_a_full_disk_is_said_and_leaves_the_store_as_it_was(tmp_path):
    """The disk filling up while a generation is written (the OS's ENOSPC, as RocksDB reports
    it): a clear error naming the full disk, no half-written generation, the store unchanged."""
    import errno

    from plankg.graph.errors import StoreError
    folder = tmp_path / "store"
    backend = open_store(f"oxigraph:{folder}")
    ensure_release(backend)
    before, current = _quads(backend), (folder / "CURRENT").read_text()

    def fill(store):
        store.add(ox.Quad(ox.NamedNode(GRAPH + "/x"), ox.NamedNode(GRAPH + "/p"),
                          ox.Literal("x"), ox.NamedNode(GRAPH)))
        raise OSError(errno.ENOSPC, "IO error: No space left on device")

    with pytest.raises(StoreError, match="the disk holding the store is full"):
        backend._write({GRAPH}, fill)
    assert _quads(backend) == before and (folder / "CURRENT").read_text() == current
    assert [p.name for p in folder.iterdir() if p.name.startswith("gen-")] == [current]
