"""`plankg serve` as users run it, queried by real SPARQL clients over loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("plankg serve did not start: " + process.stderr.read().decode())
    yield base + "/sparql"
    process.terminate()
    process.wait(timeout=10)


def test_sparqlwrapper(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery("PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                    "SELECT ?t WHERE { ?d eli:id_local ?t } ORDER BY ?t LIMIT 1")
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["t"]["value"]
    client.setQuery("ASK { ?s ?p ?o }")
    assert client.query().convert()["boolean"] is True
    client.setQuery("PREFIX pk: <https://w3id.org/plankg/def#> "
                    "CONSTRUCT { ?t pk:heading ?h } WHERE { ?t pk:heading ?h } LIMIT 5")
    client.setReturnFormat(TURTLE)
    assert len(Graph().parse(data=client.query().convert(), format="turtle")) == 5


def test_rdflib_sparqlstore(endpoint):
    store = SPARQLStore(endpoint, returnFormat="json")
    g = Graph(store=store)
    rows = list(g.query("PREFIX pk: <https://w3id.org/plankg/def#> "
                        "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                        "SELECT ?h WHERE { ?t a pk:Task ; eli:number \"13\" ; pk:heading ?h }"))
    assert [str(r[0]) for r in rows] == ["完善寄递末端网络"]
    assert bool(g.query("ASK { ?s ?p ?o }"))
    drc = URIRef("https://w3id.org/plankg/id/agency/140521/drc")
    described = g.query(f"DESCRIBE <{drc}>").graph
    assert (drc, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), None) in described
