"""HTTP caching and the answer cache (service/cache.py): ETags, 304s, Cache-Control and Vary;
answers kept by the store's generation, errors that depend on load never kept; a reload to a new
generation changes every ETag and every kept answer. With real clients: httpx with a cache
(hishel) against `plankg serve --processes 2`; a browser in tests/test_browser.py."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from plankg.graph.backends import open_store
from plankg.graph.errors import StoreError
from plankg.graph.load import ensure_release
from plankg.graph.store import GraphStore
from plankg.service import create_app
from plankg.service.cache import AnswerCache, CacheSettings, CachingMiddleware, Stored
from plankg.service.limits import Limits
from tests.conftest import serving

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TASKS = "SELECT ?n WHERE { ?t a pk:Task ; eli:number ?n } ORDER BY ?n LIMIT 5"
PAGES = ["/sparql?query=" + quote(COUNT), "/sparql?query=" + quote(TASKS), "/api/plans",
         "/api/tasks/1/lineage", "/api/queries/tasks-by-agency?agency=" + quote("县工信局"),
         "/tasks/1", "/tasks", "/def", "/id/agency/140521/drc", "/sparql"]
EXTRA = """<https://w3id.org/plankg/graph/curated/reload-test> {
  <https://w3id.org/plankg/id/agency/140521/reload-test>
      <http://www.w3.org/2004/02/skos/core#prefLabel> "重新载入测试"@zh .
}
"""


@pytest.fixture(scope="module")
def backend():
    backend = open_store("oxigraph:memory")
    ensure_release(backend)
    yield backend
    backend.close()


class Counting(GraphStore):
    """A store that counts the queries it runs for users and the API."""

    def __init__(self, backend) -> None:
        super().__init__(backend)
        self.runs = 0

    def serialize_rows(self, *args, **kwargs):
        self.runs += 1
        return super().serialize_rows(*args, **kwargs)

    def serialize(self, *args, **kwargs):
        self.runs += 1
        return super().serialize(*args, **kwargs)

    def select_records(self, *args, **kwargs):
        self.runs += 1
        return super().select_records(*args, **kwargs)


def _client(backend, **settings) -> tuple[TestClient, Counting]:
    store = Counting(backend)
    return TestClient(create_app(store, cache=CacheSettings(**settings))), store


def test_answers_carry_validators(backend):
    client, _ = _client(backend)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["etag"].startswith('W/"'), path
        assert response.headers["cache-control"] == "public, no-cache", path
        negotiated = path.startswith(("/sparql", "/def", "/id/"))
        assert ("Accept" in response.headers.get("vary", "")) == negotiated, path
    assert "etag" not in client.get("/healthz").headers


def test_max_age_is_given_when_asked(backend):
    client, _ = _client(backend, max_age=60)
    assert client.get("/api/plans").headers["cache-control"] == "public, max-age=60"


def test_a_matching_if_none_match_gets_304_and_runs_nothing(backend):
    client, store = _client(backend, capacity=0)  # no answer cache: only the ETag answers
    for path in PAGES:
        first = client.get(path)
        runs = store.runs
        again = client.get(path, headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["etag"] == first.headers["etag"], path
        assert store.runs == runs, path
        other = client.get(path, headers={"if-none-match": 'W/"0000", "other"'})
        assert other.status_code == 200 and other.content, path  # (the service description's
        # blank nodes are named anew each time: the ETags are weak, the answers equivalent)


def test_the_etag_is_the_request_s(backend):
    client, _ = _client(backend)
    query = "/sparql?query=" + quote(TASKS)
    tags = {client.get(query).headers["etag"],
            client.get(query, headers={"accept": "text/csv"}).headers["etag"],
            client.get("/sparql?query=" + quote(COUNT)).headers["etag"],
            client.post("/sparql", data={"query": TASKS}).headers["etag"]}
    assert len(tags) == 4
    assert client.get(query).headers["etag"] == client.get(query).headers["etag"]
    # two processes of one server (the same token) give the same ETag for the same request
    settings = CacheSettings()
    one = TestClient(create_app(GraphStore(backend), cache=settings))
    two = TestClient(create_app(GraphStore(backend), cache=settings))
    one.app.state.store.memo["generation"] = two.app.state.store.generation
    assert one.get(query).headers["etag"] == two.get(query).headers["etag"]


def test_identical_requests_are_answered_from_the_cache(backend):
    client, store = _client(backend)
    for path in PAGES:
        first = client.get(path)
        runs = store.runs
        again = client.get(path)
        assert again.content == first.content and store.runs == runs, path
    query = "/sparql?query=" + quote(TASKS)
    runs = store.runs
    csv = client.get(query, headers={"accept": "text/csv"})  # another media type: computed
    assert csv.headers["content-type"].startswith("text/csv") and store.runs == runs + 1


def test_a_kept_answer_has_the_headers_of_the_first(backend):
    """What CORS adds depends on each request (its Origin): an answer served from the cache
    gets it anew, never twice, never another request's."""
    client, _ = _client(backend)
    for path in PAGES:
        first = client.get(path)
        again = client.get(path)
        same = {k: v for k, v in first.headers.items() if k != "date"}
        assert {k: v for k, v in again.headers.items() if k != "date"} == same, path
        vary = [v.strip() for v in again.headers.get("vary", "").split(",")]
        assert len(vary) == len(set(vary)), (path, vary)
        crossed = client.get(path, headers={"origin": "https://example.org"})
        assert crossed.headers["access-control-allow-origin"] == "*", path
        assert "access-control-allow-origin" not in client.get(path).headers, path


def test_kept_answers_are_sent_before_the_middleware(backend, monkeypatch):
    """A kept answer to a plain GET is sent by HitsFirst, without the app's middleware; one
    asked with Origin or If-None-Match goes through it (CORS and 304s are decided there)."""
    client, store = _client(backend)
    passed = []
    inner = CachingMiddleware.__call__

    async def counting(self, scope, receive, send):
        passed.append(scope["path"])
        return await inner(self, scope, receive, send)

    monkeypatch.setattr(CachingMiddleware, "__call__", counting)
    for path in PAGES:
        # the first is computed through the middleware, and the headers it left with noted
        first, second = client.get(path), client.get(path)
        passed.clear()
        runs, hits = store.runs, client.app.state.answer_cache.hits
        third = client.get(path)
        assert third.content == second.content and not passed, path
        assert store.runs == runs and client.app.state.answer_cache.hits == hits + 1, path
        client.get(path, headers={"origin": "https://example.org"})
        client.get(path, headers={"if-none-match": first.headers["etag"]})
        assert passed == [path.split("?")[0]] * 2, path


def test_posts_are_kept_by_their_body(backend):
    client, store = _client(backend)
    first = client.post("/sparql", data={"query": TASKS})
    runs = store.runs
    assert client.post("/sparql", data={"query": TASKS}).content == first.content
    assert store.runs == runs
    client.post("/sparql", data={"query": COUNT})
    assert store.runs == runs + 1
    body = client.post("/sparql", content=COUNT.encode(),
                       headers={"content-type": "application/sparql-query"})
    assert body.status_code == 200 and store.runs == runs + 2  # another Content-Type


def test_validation_is_kept_by_the_body_s_hash(backend, monkeypatch):
    from plankg.service import api
    calls = []

    def counted(body: bytes, suffix: str) -> dict:
        calls.append(body)
        return {"conforms": True, "results": [], "file": "upload" + suffix}
    monkeypatch.setattr(api, "_validate", counted)
    client, _ = _client(backend)
    headers = {"content-type": "text/turtle"}
    for body in (b"<a:x> <a:y> <a:z> .", b"<a:x> <a:y> <a:z> .", b"<a:x> <a:y> <a:w> ."):
        assert client.post("/api/validate", content=body, headers=headers).status_code == 200
    assert calls == [b"<a:x> <a:y> <a:z> .", b"<a:x> <a:y> <a:w> ."]


class FailingPool:
    """A query pool whose every query runs past the time limit (503)."""

    def __init__(self) -> None:
        self.asked = 0

    def serialize_rows(self, *args, **kwargs):
        self.asked += 1
        raise StoreError("查询超时", "the query ran past the time limit")


def test_answers_that_depend_on_load_are_never_kept(backend):
    pool = FailingPool()
    app = create_app(GraphStore(backend), pool=pool)
    client = TestClient(app)
    for expected in (1, 2):
        response = client.get("/sparql", params={"query": TASKS})
        assert response.status_code == 503 and pool.asked == expected
        assert response.headers["cache-control"] == "no-store" and "etag" not in response.headers
    app.state.limits = Limits(client_queries=1, client_wait=0)
    slots = app.state.client_slots
    slots.running["testclient"] = 1  # this client's one slot is taken
    refused = client.get("/sparql", params={"query": COUNT})
    assert refused.status_code == 429 and refused.headers["cache-control"] == "no-store"
    slots.running.clear()
    assert client.get("/sparql", params={"query": COUNT}).status_code == 503  # asked again


def test_the_cache_is_bounded_in_bytes():
    cache = AnswerCache(20_000)
    for i in range(50):
        assert cache.put(str(i), Stored(200, (), b"x" * 1000))
    assert cache.size <= 20_000 and cache.get("49") is not None and cache.get("0") is None
    assert 10 < len(cache) < 20
    assert not cache.put("big", Stored(200, (), b"x" * 3000))  # over an eighth: not kept


def test_a_reload_changes_every_answer_and_etag(tmp_path):
    backend = open_store(f"oxigraph:{tmp_path / 'store'}")
    ensure_release(backend)
    before_generation = backend.generation
    app = create_app(GraphStore(backend))
    client = TestClient(app)
    before = {path: client.get(path) for path in PAGES}
    assert all(r.status_code == 200 for r in before.values())
    cache = app.state.answer_cache
    assert len(cache) == len(PAGES)
    extra = tmp_path / "extra.trig"
    extra.write_text(EXTRA, encoding="utf-8")
    backend.load_file(extra)  # a new generation
    assert backend.generation != before_generation
    app.state.store = GraphStore(backend)  # the reload
    misses = cache.misses
    after = {path: client.get(path) for path in PAGES}
    assert cache.misses == misses + len(PAGES)  # none came from the cache
    for path in PAGES:
        assert after[path].status_code == 200, path
        assert after[path].headers["etag"] != before[path].headers["etag"], path
        revalidated = client.get(path, headers={"if-none-match": before[path].headers["etag"]})
        assert revalidated.status_code == 200, path
    count = "/sparql?query=" + quote(COUNT)
    assert after[count].json() != before[count].json()  # the new triple is counted
    assert len(cache) == len(PAGES)  # the old generation's answers were dropped
    backend.close()


def test_a_caching_client_revalidates_against_two_processes(tmp_path):
    import hishel
    from hishel.httpx import CacheClient
    with serving(tmp_path / "data", "--processes", "2") as (process, base):
        storage = hishel.SqliteStorage(database_path=tmp_path / "cache.db")
        with CacheClient(base_url=base, storage=storage, rfc=True) as client:
            for path in PAGES[:6]:
                first = client.get(path)
                assert first.status_code == 200 and first.extensions["caching"]["stored"], path
                for _ in range(3):  # each time perhaps another process: the same ETag
                    again = client.get(path)
                    status = again.extensions["caching"]
                    assert status["from_cache"] and status["revalidated"], path
                    assert again.content == first.content, path
        process.terminate()
        assert process.wait(timeout=30) == 0
