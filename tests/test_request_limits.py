"""Limits of /sparql: rows of an answer (cut, and said so), characters of a query (413), and
requests of one client at once (they wait for a slot, then 429)."""

from __future__ import annotations

import csv
import io
import threading
import time
from types import SimpleNamespace

import anyio
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from plankg.service import create_app
from plankg.service.limits import WAITING_PER_SLOT, ClientSlots, Limits

TASKS = "SELECT ?t WHERE { ?t a pk:Task } ORDER BY ?t"  # 66 rows
CUBE = "SELECT ?a ?b ?c WHERE { ?a a pk:Task . ?b a pk:Task . ?c a pk:Task }"  # 287,496 rows
EMPTY = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'


@pytest.fixture(scope="module")
def store(backend_store):
    return backend_store


def _client(store, **limits) -> TestClient:
    app = create_app(store)
    app.state.limits = Limits(**limits)
    return TestClient(app)


def _rows(response) -> list:
    return list(ox.parse_query_results(response.content,
                                       format=ox.QueryResultsFormat.JSON))


def test_a_select_answer_is_cut_at_the_row_limit_and_says_so(store):
    client = _client(store, max_rows=5)
    response = client.get("/sparql", params={"query": TASKS})
    assert response.status_code == 200
    assert response.headers["x-plankg-truncated"] == "5"
    assert "x-plankg-truncated" in response.headers["access-control-expose-headers"].lower()
    assert len(_rows(response)) == 5  # still SPARQL JSON results
    full = _client(store).get("/sparql", params={"query": TASKS})
    assert "x-plankg-truncated" not in full.headers and len(_rows(full)) == 66
    assert [r["t"] for r in _rows(response)] == [r["t"] for r in _rows(full)][:5]


@pytest.mark.parametrize("accept, count", [
    ("text/csv", lambda text: len(list(csv.reader(io.StringIO(text)))) - 1),
    ("text/tab-separated-values", lambda text: len(text.splitlines()) - 1),
    ("application/sparql-results+xml", lambda text: text.count("<result>")),
])
def test_every_results_format_is_cut(store, accept, count):
    response = _client(store, max_rows=7).get("/sparql", params={"query": TASKS},
                                              headers={"accept": accept})
    assert response.status_code == 200 and response.headers["x-plankg-truncated"] == "7"
    assert count(response.text) == 7


@pytest.mark.parametrize("query", [
    TASKS + " LIMIT 10",  # its own LIMIT, above ours
    TASKS + " OFFSET 2",
    "SELECT ?t WHERE { ?t a pk:Task } VALUES ?t { " + " ".join(  # a trailing VALUES
        f"<https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33/task/{n}>" for n in range(1, 9))
    + " }",
])
def test_queries_with_their_own_limit_or_values_are_cut_too(store, query):
    response = _client(store, max_rows=5).get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert response.headers["x-plankg-truncated"] == "5" and len(_rows(response)) == 5


def test_an_answer_of_exactly_the_limit_is_not_marked(store):
    response = _client(store, max_rows=5).get("/sparql", params={"query": TASKS + " LIMIT 5"})
    assert "x-plankg-truncated" not in response.headers and len(_rows(response)) == 5


def test_the_default_limit_is_10000_rows(store):
    values = " ".join(str(i) for i in range(25))
    query = f"SELECT * WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} " \
            f"VALUES ?c {{ {values} }} }}"  # 15,625 rows
    response = _client(store).get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["x-plankg-truncated"] == "10000"
    assert len(_rows(response)) == 10_000


def test_the_engine_stops_at_the_limit(store):
    if store.backend.kind == "sparql":
        pytest.skip("a SPARQL server applies its own row cap (Virtuoso refuses ORDER BY with "
                    "LIMIT above 10,000); the answer is still cut, as the other tests show")
    started = time.monotonic()
    response = _client(store, max_rows=300).get("/sparql", params={"query": CUBE})
    assert response.status_code == 200
    assert response.headers["x-plankg-truncated"] == "300" and len(_rows(response)) == 300
    assert time.monotonic() - started < 10  # rdflib takes minutes for the 287,496 rows


def test_ask_and_construct_are_not_cut(store):
    client = _client(store, max_rows=1)
    graph = client.get("/sparql", params={
        "query": "CONSTRUCT { ?t a pk:Task } WHERE { ?t a pk:Task }"},
        headers={"accept": "application/n-triples"})
    assert graph.status_code == 200 and len(graph.text.strip().splitlines()) == 66
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_a_query_longer_than_the_limit_gets_413(store, how):
    client = _client(store, max_query_chars=1000)
    query = "ASK { ?s ?p ?o }" + " " * 985  # 1,001 characters
    if how == "get":
        response = client.get("/sparql", params={"query": query})
    elif how == "form":
        response = client.post("/sparql", data={"query": query})
    else:
        response = client.post("/sparql", content=query.encode(),
                               headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert "1,000 characters" in response.json()["message_en"]
    assert "1,000 个字符" in response.json()["message_zh"]
    ok = client.get("/sparql", params={"query": query[:1000]})
    assert ok.status_code == 200


def test_the_default_query_limit_is_100000_characters(store):
    client = _client(store)
    query = "ASK { ?s ?p ?o }" + " " * 99_985
    assert len(query) == 100_001
    response = client.post("/sparql", content=query.encode(),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    response = client.post("/sparql", content=query[:-1].encode(),
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200


class SlowStore:
    """Answers every query with no rows, after ``release`` is set."""

    backend = SimpleNamespace(kind="stub")

    def __init__(self) -> None:
        self.started = threading.Semaphore(0)
        self.release = threading.Event()

    def serialize(self, text, plan, **_) -> bytes:
        self.started.release()
        assert self.release.wait(10)
        return EMPTY

    def serialize_rows(self, text, plan, **_) -> tuple[bytes, bool]:
        return self.serialize(text, plan), False


def _in_thread(client: TestClient, results: list) -> threading.Thread:
    thread = threading.Thread(target=lambda: results.append(
        client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?p ?o }"})))
    thread.start()
    return thread


def test_a_client_over_its_share_gets_429_and_others_are_served():
    store = SlowStore()
    app = create_app(store)
    app.state.limits = Limits(client_queries=2, client_wait=0)
    first, other = TestClient(app), TestClient(app, client=("10.0.0.2", 5000))
    results: list = []
    threads = [_in_thread(first, results) for _ in range(2)]
    assert store.started.acquire(timeout=5) and store.started.acquire(timeout=5)
    refused = first.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert "2" in refused.json()["message_en"] and refused.json()["message_zh"]
    threads.append(_in_thread(other, results))  # another address has its own share
    assert store.started.acquire(timeout=5)
    store.release.set()
    for thread in threads:
        thread.join(10)
    assert [r.status_code for r in results] == [200, 200, 200]
    assert first.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_a_request_over_the_share_waits_for_a_slot():
    store = SlowStore()
    app = create_app(store)
    app.state.limits = Limits(client_queries=1, client_wait=10)
    client = TestClient(app)
    results: list = []
    threads = [_in_thread(client, results)]
    assert store.started.acquire(timeout=5)
    threads.append(_in_thread(client, results))
    assert not store.started.acquire(timeout=0.5)  # the second waits: it has not started
    store.release.set()
    for thread in threads:
        thread.join(10)
    assert [r.status_code for r in results] == [200, 200]


def test_only_a_bounded_number_of_requests_may_wait():
    async def scenario() -> tuple[list[bool], int, list[bool]]:
        slots = ClientSlots()
        assert await slots.take("a", 1, 0)
        outcomes: list[bool] = []

        async def waiter() -> None:
            outcomes.append(await slots.take("a", 1, 2))
        async with anyio.create_task_group() as group:
            for _ in range(WAITING_PER_SLOT + 3):
                group.start_soon(waiter)
            await anyio.sleep(0.3)
            early, waiting = list(outcomes), slots.waiting["a"]
            assert await slots.take("b", 1, 0)  # another client is not held up
            slots.give("a")  # one waiter gets the slot
        return early, waiting, outcomes
    early, waiting, outcomes = anyio.run(scenario)
    assert early == [False] * 3  # refused at once: the queue was full
    assert waiting == WAITING_PER_SLOT
    assert sorted(outcomes) == [False] * (WAITING_PER_SLOT + 2) + [True]


@pytest.fixture(scope="module")
def pooled():
    """The service with one killable query worker and a 2-second limit."""
    from importlib.resources import as_file

    from plankg.graph.paths import release_dir
    from plankg.graph.publish import RELEASE_TRIG, load_release
    from plankg.graph.store import GraphStore
    from plankg.graph.workers import QueryPool, WorkerSpec
    with as_file(release_dir().joinpath(RELEASE_TRIG)) as path:
        pool = QueryPool(WorkerSpec("oxigraph:memory", release=path), size=1, timeout=2)
    try:
        yield TestClient(create_app(GraphStore.of(load_release()), pool=pool)), pool
    finally:
        pool.close()


def test_the_query_page_runs_in_the_killable_workers_too(pooled):
    client, pool = pooled
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    page = client.get("/query", params={"query": runaway})
    assert page.status_code == 503 and "时限" in page.text and "2 s limit" in page.text
    assert 1.9 < time.monotonic() - started < 8
    assert pool.wait_ready(60)
    page = client.get("/query", params={"query": "SELECT ?t WHERE { ?t a pk:Task } ORDER BY ?t"})
    assert page.status_code == 200 and page.text.count("/task/") >= 66
    ask = client.get("/query", params={"query": "ASK { ?t a pk:Task }"})
    assert ask.status_code == 200
    refused = client.get("/query", params={"query": "SELECT * FROM <file:///etc/passwd> "
                                                    "WHERE { ?s ?p ?o }"})
    assert refused.status_code == 403


def test_the_query_page_has_the_same_length_limit(store):
    client = _client(store, max_query_chars=100)
    page = client.get("/query", params={"query": "ASK { ?s ?p ?o }" + " " * 100})
    assert page.status_code == 413 and "100 characters" in page.text


def _chunks(size: int):
    block = b"x" * 65536
    for _ in range(size // len(block) + 1):
        yield block


@pytest.mark.parametrize("path, content_type", [
    ("/sparql", "application/sparql-query"),
    ("/api/validate", "text/turtle"),
    ("/validate", "application/x-www-form-urlencoded"),
])
def test_bodies_over_5_mb_get_413_even_without_a_content_length(store, path, content_type):
    client = _client(store)
    declared = client.post(path, content=b"x" * (5 * 1024 * 1024 + 1),
                           headers={"content-type": content_type})
    assert declared.status_code == 413 and "5 MB" in declared.json()["message_en"]
    chunked = client.post(path, content=_chunks(6 * 1024 * 1024),
                          headers={"content-type": content_type})
    assert chunked.status_code == 413 and "5 MB" in chunked.json()["message_zh"]


def test_validation_is_within_the_clients_share(store, monkeypatch):
    import plankg.service.api
    started, release = threading.Semaphore(0), threading.Event()

    def slow(body, suffix):
        started.release()
        assert release.wait(10)
        return {"conforms": True}
    monkeypatch.setattr(plankg.service.api, "_validate", slow)
    client = _client(store, client_queries=1, client_wait=0)
    results: list = []
    thread = threading.Thread(target=lambda: results.append(client.post(
        "/api/validate", content=b"1. x", headers={"content-type": "text/markdown"})))
    thread.start()
    assert started.acquire(timeout=5)
    second = client.post("/api/validate", content=b"1. x",
                         headers={"content-type": "text/markdown"})
    assert second.status_code == 429
    release.set()
    thread.join(10)
    assert results[0].status_code == 200


def _plan(tasks: int) -> str:
    """A plan of ``tasks`` tasks, 500 to a section (numbering restarts in each)."""
    lines = ["沁水县人民政府办公室", "关于印发测试计划的通知", "沁政办发〔2022〕99号", ""]
    for n in range(tasks):
        if n % 500 == 0:
            lines.append("一二三四五六七八九十"[n // 500] + "、任务")
        lines.append(f"{n % 500 + 1}.任务{n}。（县发改局牵头，县工信局配合）")
    return "\n".join(lines)


def _subjects(count: int) -> str:
    return "\n".join(f'<https://x.example/t/{i}> a <https://w3id.org/plankg/def#Task> .'
                     for i in range(count))


@pytest.mark.parametrize("body, content_type, what", [
    (_plan(1001), "text/markdown", "1,001 tasks"),
    (_subjects(2001), "text/turtle", "2,001 subjects"),
    (_subjects(2001).replace(" a ", " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "),
     "application/n-triples", "2,001 subjects"),
])
def test_uploads_too_large_to_validate_quickly_get_413_at_once(store, body, content_type, what):
    started = time.monotonic()
    response = _client(store).post("/api/validate", content=body.encode(),
                                   headers={"content-type": content_type})
    assert response.status_code == 413, response.text[:300]
    assert what in response.json()["message_en"] and "plankg validate" in response.text
    assert time.monotonic() - started < 5  # refused before validation, which takes minutes


def test_the_validation_page_has_the_same_limit(store):
    page = _client(store).post("/validate", data={"text": _plan(1001)})
    assert page.status_code == 413 and "1,001" in page.text


def test_a_plan_within_the_limit_is_validated(store):
    response = _client(store).post("/api/validate", content=_plan(3).encode(),
                                   headers={"content-type": "text/markdown"})
    assert response.status_code == 200
    body = response.json()  # validated, and found wanting: the plan names no date or issuer
    assert body["conforms"] is False
    assert {r["shape"].rsplit("#", 1)[-1] for r in body["results"]} >= {"PlanDate", "PlanIssuer"}
