"""`plankg serve` as users run it, queried by real SPARQL clients over loopback."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper


def test_sparqlwrapper(server):
    endpoint = server + "/sparql"
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


def test_rdflib_sparqlstore(server):
    endpoint = server + "/sparql"
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
