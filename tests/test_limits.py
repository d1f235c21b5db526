"""Hardening: a runaway query is stopped at the time limit by killing its worker process,
while everyone else is answered; the served graph never changes."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.conftest import serving

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 6·10³ cubed rows
TRIVIAL = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """``plankg serve`` with a 2-second limit and two query workers."""
    with serving(tmp_path_factory.mktemp("data"), "--timeout", "2", "--workers", "2") as (_, base):
        yield base


def _sparql(base: str, query: str, timeout: float = 30) -> httpx.Response:
    return httpx.get(base + "/sparql", params={"query": query}, timeout=timeout,
                     headers={"Accept": "application/sparql-results+json"})


def test_a_runaway_query_is_stopped_and_others_are_answered_meanwhile(limited):
    before = httpx.get(limited + "/download/plankg.nq", timeout=30).content
    assert before.count(b"\n") > 6000
    answers: dict = {}

    def runaway():
        started = time.monotonic()
        answers["runaway"] = _sparql(limited, RUNAWAY)
        answers["runaway_s"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # the runaway query is running in its worker now
    for _ in range(3):
        started = time.monotonic()
        assert httpx.get(limited + "/healthz", timeout=5).status_code == 200
        assert time.monotonic() - started < 1
        started = time.monotonic()
        trivial = _sparql(limited, TRIVIAL, timeout=5)
        assert trivial.status_code == 200 and trivial.json()["boolean"] is True
        assert time.monotonic() - started < 1
    thread.join(30)
    response = answers["runaway"]
    assert response.status_code == 503
    assert "2 s limit" in response.json()["message_en"] and "时限" in response.json()["message_zh"]
    assert 1.9 < answers["runaway_s"] < 6
    # the killed worker is replaced: later queries are answered by two workers again
    time.sleep(3)
    for _ in range(4):
        assert _sparql(limited, TRIVIAL, timeout=5).status_code == 200
    assert httpx.get(limited + "/download/plankg.nq", timeout=30).content == before


def test_refusals_happen_before_any_worker_runs(limited):
    response = _sparql(limited, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert response.status_code == 403
    response = _sparql(limited, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert response.status_code == 403


def test_request_bodies_over_5_mb_get_413():
    from fastapi.testclient import TestClient

    from plankg.graph.publish import load_release
    from plankg.graph.store import GraphStore
    from plankg.service import create_app
    client = TestClient(create_app(GraphStore.of(load_release())))
    big = "ASK { ?s ?p ?o } #" + "x" * (5 * 1024 * 1024)
    for content_type in ("application/sparql-query", "application/x-www-form-urlencoded"):
        response = client.post("/sparql", content=big.encode(),
                               headers={"Content-Type": content_type})
        assert response.status_code == 413
        assert "5 MB" in response.json()["message_en"]
    assert client.post("/sparql", content=b"ASK { ?s ?p ?o }",
                       headers={"Content-Type": "application/sparql-query"}).status_code == 200
