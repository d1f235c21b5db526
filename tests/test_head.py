"""HEAD is answered wherever GET is (RFC 9110, 9.3.2): the GET's status and headers, its
Content-Length, and no body. Link checkers and monitors send HEAD; FastAPI's routes take none,
so before this every HEAD got 405. In-process (the app strips the body itself) and on a real
``plankg serve`` (uvicorn)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from plankg.graph.backends import open_store
from plankg.graph.load import ensure_release
from plankg.graph.store import GraphStore
from plankg.service import create_app

PATHS = ["/", "/healthz", "/api/plans", "/api/tasks/1/lineage", "/tasks/1", "/query",
         "/sparql?query=" + quote("ASK {}"), "/id/agency/140521/drc", "/def",
         "/download/plankg.ttl", "/docs", "/openapi.json"]
SAME = ("content-type", "etag", "cache-control", "vary")


@pytest.fixture(scope="module")
def client():
    backend = open_store("oxigraph:memory")
    ensure_release(backend)
    yield TestClient(create_app(GraphStore(backend)), follow_redirects=False)
    backend.close()


def _same_but_the_body(got: httpx.Response, head: httpx.Response, path: str) -> None:
    assert head.status_code == got.status_code == 200, path
    assert head.content == b"", path
    assert int(head.headers["content-length"]) == len(got.content), path
    for name in SAME:
        assert head.headers.get(name) == got.headers.get(name), (path, name)


@pytest.mark.parametrize("path", PATHS)
def test_head_is_a_get_without_its_body(client, path):
    computed = client.head(path)  # the first request for the path: the route answers it
    got = client.get(path)
    _same_but_the_body(got, computed, path)
    _same_but_the_body(got, client.head(path), path)  # a kept answer, sent by HitsFirst


def test_head_gets_304_for_a_matching_etag(client):
    etag = client.get("/api/plans").headers["etag"]
    again = client.head("/api/plans", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag


def test_head_where_get_is_refused_gets_the_same_refusal(client):
    got, head = client.get("/api/validate"), client.head("/api/validate")  # a POST route only
    assert head.status_code == got.status_code == 404 and head.content == b""
    assert int(head.headers["content-length"]) == len(got.content) > 0


def test_head_on_a_live_server(server):
    """uvicorn drops a HEAD's body in any case: what matters here is that it is not refused."""
    with httpx.Client(base_url=server, timeout=30) as live:
        for path in ("/", "/api/plans", "/sparql?query=" + quote("ASK {}"), "/healthz"):
            _same_but_the_body(live.get(path), live.head(path), path)
