"""A live server under hostile and heavy work: nothing runs unbounded, and it keeps answering.

Real ``plankg serve`` processes (uvicorn, worker processes, embedded Oxigraph) on loopback.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.conftest import serving

PANIC = ("PREFIX pk: <https://w3id.org/plankg/def#> "
         "SELECT * WHERE { ?a (pk:p|!pk:q)* ?b } ORDER BY ?a ?b")
HUGE_SORT = "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _long(n: int) -> str:
    """LONG, told apart by the name of its result: concurrent identical queries would share one
    computation (the answer cache lets the later ones wait for the first)."""
    return LONG.replace("?n)", f"?n{n})")


def _sparql(base: str, query: str, **headers) -> httpx.Response:
    return httpx.get(f"{base}/sparql", params={"query": query}, headers=headers, timeout=60)


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    data = tmp_path_factory.mktemp("limited")
    with serving(data, "--timeout", "4", env={"PLANKG_WORKER_MEMORY_MB": "600"}) as (_, base):
        yield base


def test_a_query_that_makes_the_engine_panic_is_a_503_and_the_server_lives_on(limited):
    response = _sparql(limited, PANIC)  # it panics after some seconds, or meets the limit first
    assert response.status_code == 503
    assert ("restarted" in response.json()["message_en"]
            or "limit" in response.json()["message_en"])
    assert _sparql(limited, "ASK {}").json()["boolean"] is True


def test_a_query_past_the_memory_limit_is_stopped(limited):
    response = _sparql(limited, HUGE_SORT)
    assert response.status_code == 503
    assert "memory limit of 600 MB" in response.json()["message_en"]
    assert _sparql(limited, "ASK {}").json()["boolean"] is True


def test_health_is_answered_while_every_worker_is_busy(limited):
    answers = []
    busy = [threading.Thread(target=lambda n=n: answers.append(_sparql(limited, _long(n))))
            for n in range(2)]  # two queries, one for each worker
    for thread in busy:
        thread.start()
    try:
        deadline = time.monotonic() + 3  # the queries stop at 4 s
        while time.monotonic() < deadline:  # wait until both workers hold a query
            health = httpx.get(f"{limited}/healthz", timeout=2).json()
            if health["workers"]["queries"]["idle"] == 0:
                break
            time.sleep(0.01)
        assert health["workers"]["queries"]["idle"] == 0 and health["status"] == "ok"
    finally:
        for thread in busy:
            thread.join()
    assert sorted(a.status_code for a in answers) == [503, 503]  # stopped at the time limit


def test_forwarded_addresses_are_not_trusted_by_default(tmp_path):
    """Each request names another client in X-Forwarded-For; they are all one client (the
    loopback peer), so past its one slot they wait and get 429."""
    env = {"PLANKG_CLIENT_QUERIES": "1", "PLANKG_CLIENT_WAIT": "1"}
    with serving(tmp_path, "--timeout", "4", env=env) as (_, base):
        answers = []
        threads = [threading.Thread(target=lambda n=n: answers.append(_sparql(
            base, _long(n), **{"X-Forwarded-For": f"203.0.113.{n}"}))) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert 429 in [a.status_code for a in answers]


def test_a_query_with_a_large_limit_of_its_own_is_read_no_further_than_the_row_cap(tmp_path):
    """The worker stops reading solutions one past the cap, whatever the query's own LIMIT:
    the server never holds or parses the rest of the answer."""
    env = {"PLANKG_MAX_ROWS": "50"}
    with serving(tmp_path, env=env) as (_, base):
        for query in ("SELECT * WHERE { ?s ?p ?o } LIMIT 1000000",
                      "SELECT * WHERE { ?s ?p ?o } OFFSET 10 LIMIT 1000000",
                      "SELECT * WHERE { ?s ?p ?o }"):
            response = _sparql(base, query, accept="application/sparql-results+json")
            assert response.status_code == 200, response.text
            assert len(response.json()["results"]["bindings"]) == 50
            assert response.headers["x-plankg-truncated"] == "50"
        csv = _sparql(base, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1000000", accept="text/csv")
        assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == 51


def test_a_server_keeps_answering_while_two_loads_go_into_its_store(tmp_path):
    """Loads into the store a server reads make new generations; the server's stays on disk
    for it (downloads and named graphs read the files) until it restarts."""
    import subprocess
    import sys
    with serving(tmp_path) as (_, base):
        for n in range(2):
            extra = tmp_path / f"extra-{n}.trig"
            extra.write_text(f"<https://w3id.org/plankg/graph/test-{n}> {{ "
                             f"<https://w3id.org/plankg/id/x{n}> "
                             f"<https://w3id.org/plankg/def#heading> \"x\" . }}\n",
                             encoding="utf-8")
            done = subprocess.run([sys.executable, "-m", "plankg.graph.cli", "load", "--store",
                                   f"oxigraph:{tmp_path / 'oxigraph'}", str(extra)],
                                  check=False, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        assert httpx.get(f"{base}/download/plankg.trig", timeout=30).status_code == 200
        named = _sparql(base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                        accept="application/sparql-results+json")
        assert named.status_code == 200
        assert _sparql(base, "ASK {}").status_code == 200


def test_a_server_does_not_start_on_a_store_being_filled(tmp_path):
    import subprocess
    import sys

    from plankg.graph.backends.generations import Generations
    folder = tmp_path / "store"
    with Generations(folder).writing():  # a load is filling the store
        done = subprocess.run([sys.executable, "-m", "plankg.service.cli", "serve", "--store",
                               f"oxigraph:{folder}", "--port", "0", "--wait", "0"],
                              check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "another process" in done.stderr
    assert "Traceback" not in done.stderr
