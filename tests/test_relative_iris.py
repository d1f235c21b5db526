"""Regression: a query with relative IRIs sent to /sparql was a syntax error (Oxigraph), a
server error (rdflib) or resolved against the SPARQL server's own address (Virtuoso). The
SPARQL 1.1 Protocol makes the endpoint's address the base IRI; a BASE in the query wins. On
every backend, in the killable query workers, and on the /query page (which was a syntax
error on Oxigraph and no rows on rdflib, there too). Outside HTTP (``plankg sparql``, with or
without ``--store``, and ``plankg.open().sparql``) the base is that of our IRIs: without one,
rdflib found no rows and Oxigraph gave a syntax error for the same query."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from plankg.graph.store import GraphStore
from plankg.service import create_app

ENDPOINT = "http://testserver/sparql"  # the address the test client's requests go to
CONSTRUCT = "CONSTRUCT { <s> <p> 1 } WHERE {}"
SELECT = "SELECT ?x ?y WHERE { BIND(<a/b> AS ?x) BIND(<../c?d#e> AS ?y) }"
OWN_BASE = "BASE <https://example.org/x/> SELECT ?x WHERE { BIND(<a> AS ?x) }"


@pytest.fixture(scope="module")
def client(backend_store):
    return TestClient(create_app(backend_store))


@pytest.fixture(scope="module")
def pooled():
    """The service with one query worker (oxigraph in memory, filled from the release)."""
    from importlib.resources import as_file

    from plankg.graph.paths import release_dir
    from plankg.graph.publish import RELEASE_TRIG, load_release
    from plankg.graph.workers import QueryPool, WorkerSpec
    with as_file(release_dir().joinpath(RELEASE_TRIG)) as path:
        pool = QueryPool(WorkerSpec("oxigraph:memory", release=path), size=1, timeout=20)
    try:
        yield TestClient(create_app(GraphStore.of(load_release()), pool=pool))
    finally:
        pool.close()


def _values(response) -> list[str]:
    assert response.status_code == 200, response.text
    row = response.json()["results"]["bindings"][0]
    return [row[v]["value"] for v in response.json()["head"]["vars"]]


def _check(client):
    built = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": "text/turtle"})
    assert built.status_code == 200, built.text
    assert set(Graph().parse(data=built.text, format="turtle")) == {
        (URIRef("http://testserver/s"), URIRef("http://testserver/p"), Literal(1))}
    assert _values(client.get("/sparql", params={"query": SELECT})) == [
        "http://testserver/a/b", "http://testserver/c?d#e"]
    by_post = client.post("/sparql", content=SELECT.encode(),
                          headers={"content-type": "application/sparql-query"})
    assert _values(by_post)[0] == "http://testserver/a/b"
    assert _values(client.get("/sparql", params={"query": OWN_BASE})) == [
        "https://example.org/x/a"]
    page = client.get("/query", params={"query": SELECT})  # the page answers as /sparql does
    assert page.status_code == 200, page.text
    assert "http://testserver/a/b" in page.text and "http://testserver/c?d#e" in page.text
    own = client.get("/query", params={"query": OWN_BASE})
    assert own.status_code == 200 and "https://example.org/x/a" in own.text


def test_relative_iris_resolve_against_the_endpoint(client):
    _check(client)


def test_relative_iris_resolve_in_the_query_workers(pooled):
    _check(pooled)


@pytest.mark.parametrize("host", ["h> } SERVICE <http://e/", "h\\x{}|^`\"", "例子.中国:8000",
                                  "example.org:8080"])
def test_a_hostile_host_header_cannot_leave_the_base_iri(backend_store, host):
    """The base comes from the request's address, whose Host header a client writes: it stays
    one absolute IRI (Starlette falls back to the server's address for a malformed host, and
    the characters an IRI may not hold are percent-encoded)."""
    from starlette.requests import Request

    from plankg.graph.backends.values import sparql_term
    from plankg.graph.store import inspect_query
    from plankg.service.sparql import RESULT_FORMATS, _endpoint

    request = Request({"type": "http", "scheme": "http", "path": "/sparql", "root_path": "",
                       "server": ("127.0.0.1", 8000), "query_string": b"",
                       "headers": [(b"host", host.encode())]})
    base = _endpoint(request)
    assert base.startswith("http://") and base.endswith("/sparql")
    sparql_term(URIRef(base))  # refuses what an IRI may not hold
    body = backend_store.serialize(SELECT, inspect_query(SELECT), base_iri=base,
                                   fmt=RESULT_FORMATS["application/sparql-results+json"])
    assert b"/a/b" in body and b"SERVICE <" not in body
    if host == "example.org:8080":
        assert b"http://example.org:8080/a/b" in body


RELATIVE = "SELECT ?label WHERE { <id/agency/140521/drc> skos:prefLabel ?label } ORDER BY ?label"
ABSOLUTE = RELATIVE.replace("<id/", "<https://w3id.org/plankg/id/")
ITS_OWN = "BASE <https://w3id.org/plankg/id/agency/140521/> " + RELATIVE.replace(
    "<id/agency/140521/drc>", "<drc>")


def test_outside_http_relative_iris_resolve_against_our_base(backend_store):
    expected = backend_store.answer(ABSOLUTE).rows
    assert len(expected) == 2  # its Chinese and English names
    assert backend_store.answer(RELATIVE).rows == expected
    assert backend_store.answer(ITS_OWN).rows == expected
    assert backend_store.answer("ASK { <id/agency/140521/drc> ?p ?o }").boolean is True
    built = backend_store.answer("CONSTRUCT { <s> <p> ?l } WHERE { <id/agency/140521/drc> "
                                 "skos:prefLabel ?l }").graph
    assert {str(s) for s in built.subjects()} == {"https://w3id.org/plankg/s"}


def test_plankg_sparql_resolves_relative_iris_with_and_without_a_store(capsys, tmp_path):
    from plankg.graph.cli import main
    printed = []
    for store in ([], ["--store", f"oxigraph:{tmp_path / 'store'}"]):
        if store:
            assert main(["load", "--store", store[1]]) == 0
        capsys.readouterr()
        assert main(["sparql", *store, "--format", "json", RELATIVE]) == 0
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1] and "县发展和改革局" in printed[0]
