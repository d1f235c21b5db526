"""Hostile requests, on every backend: nothing outside is reached, no local file is read, and the
served graph never changes.

A loopback listener counts every connection made to it, and a temporary file holds a marker
string that only a read of that file could put into an answer. Every request below names the
listener or the file in some way (SERVICE, FROM, dataset parameters, LOAD, owl:imports, a
remote JSON-LD context, an RDF/XML external entity, Virtuoso's built-in functions); each gets a
4xx, or a harmless answer where the standard says the name is only a name. The listener must
see no connection, no body may hold the marker, and a canonical dump of the served graph (sorted
N-Quads) is the same after the whole suite as before it.
"""

from __future__ import annotations

import socket
import threading
import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from plankg.service import create_app

SPARQL_QUERY = {"content-type": "application/sparql-query"}
SPARQL_UPDATE = {"content-type": "application/sparql-update"}
TURTLE = {"content-type": "text/turtle"}
JSON_LD = {"content-type": "application/ld+json"}


class Listener:
    """A TCP server on loopback that accepts, counts and closes every connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@dataclass
class Suite:
    """What the suite shares: the client, the bait, the graph before, and the answers."""

    client: TestClient
    listener: Listener
    marker: str
    marker_path: str
    before: list[str]
    answered: dict


def canonical_dump(store) -> list[str]:
    """The served graph as sorted N-Quads lines."""
    return sorted(str(q) for q in store.backend.quads())


@pytest.fixture(scope="module")
def suite(backend_store, tmp_path_factory):
    marker = f"plankg-marker-{uuid.uuid4().hex}"
    folder = tmp_path_factory.mktemp("bait")
    path = folder / "secret.ttl"  # Turtle, so that a FROM <file:…> that loaded it would show it
    path.write_text(f'<urn:x:s> <urn:x:p> "{marker}" .\n', encoding="utf-8")
    listener = Listener()
    try:
        yield Suite(TestClient(create_app(backend_store)), listener, marker, path.as_uri(),
                    canonical_dump(backend_store), {})
    finally:
        listener.close()


def _q(text: str):
    return lambda url, file: ("get", "/sparql", {"params": {"query": text.format(url=url,
                                                                               file=file)}})


def _body(path: str, body: str, headers: dict):
    return lambda url, file: ("post", path, {"content": body.format(url=url, file=file).encode(),
                                             "headers": headers})


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "{file}"> ]>\n'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
       'xmlns:ex="http://example.org/">\n  <rdf:Description rdf:about="http://example.org/a">\n'
       '    <ex:p>&secret;</ex:p>\n  </rdf:Description>\n</rdf:RDF>\n')
IMPORTS = ('@prefix owl: <http://www.w3.org/2002/07/owl#> .\n'
           '<http://example.org/onto> a owl:Ontology ; owl:imports <{url}onto> .\n')
SHAPES_GRAPH = ('@prefix sh: <http://www.w3.org/ns/shacl#> .\n'
                '<http://example.org/data> sh:shapesGraph <{url}shapes> .\n')
JSONLD_REMOTE = '{{"@context": "{url}ctx", "@id": "http://example.org/a", "name": "x"}}'
JSONLD_IMPORT = ('{{"@context": {{"@import": "{url}ctx", "@vocab": "http://example.org/"}}, '
                 '"@id": "http://example.org/a", "name": "x"}}')
JSONLD_FILE = '{{"@context": ["{file}"], "@id": "http://example.org/a", "name": "x"}}'
JSONLD_SCOPED = ('{{"@context": {{"p": {{"@id": "http://example.org/p", "@context": "{url}c"}}}}, '
                 '"@id": "http://example.org/a", "p": {{"q": 1}}}}')

REFUSED, BAD, HARMLESS = {403}, {400}, {200}
# name: (request, the statuses it may get)
CASES = {
    "service-iri": (_q("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"), REFUSED),
    "service-silent": (_q("SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"), REFUSED),
    "service-var-values": (_q("SELECT * WHERE {{ VALUES ?e {{ <{url}> }} "
                              "SERVICE ?e {{ ?s ?p ?o }} }}"), REFUSED),
    "service-lowercase": (_q("select * where {{ service <{url}> {{ ?s ?p ?o }} }}"), REFUSED),
    "service-escaped": (_q("SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}"),
                        REFUSED | BAD),
    # where rdflib's parser (which inspects) and the engine's could disagree on what is a
    # comment: a bare CR is refused outright (400); U+2028 ends no comment for either (a
    # harmless answer); an escaped newline ends it for both (SERVICE seen and refused)
    "service-after-cr-comment": (_q("SELECT * WHERE {{ ?a ?b ?c #x\rSERVICE <{url}> "
                                    "{{ ?s ?p ?o }}\n}}"), BAD),  # Oxigraph fetched it
    "service-after-cr-comment-body": (_body("/sparql", "ASK {{ ?a ?b ?c #\rSERVICE <{url}> "
                                            "{{ ?s ?p ?o }}\n}}", SPARQL_QUERY), BAD),
    "query-page-cr-comment": (lambda url, file: ("get", "/query", {"params": {
        "query": f"SELECT * WHERE {{ ?a ?b ?c #\rSERVICE <{url}> {{ ?s ?p ?o }}\n}}"}}), BAD),
    "service-after-u2028-comment": (_q("SELECT * WHERE {{ ?a ?b ?c #x\u2028SERVICE <{url}> "
                                       "{{ ?s ?p ?o }}\n}}"), HARMLESS),
    "service-after-escaped-newline": (_q("SELECT * WHERE {{ ?a ?b ?c #x\\u000ASERVICE <{url}> "
                                         "{{ ?s ?p ?o }}\n}}"), REFUSED),
    "service-after-long-string": (_q("SELECT * WHERE {{ BIND(\'\'\'a\'\' \'\'\' AS ?x) "
                                     "SERVICE <{url}> {{ ?s ?p ?o }} }}"), REFUSED),
    "service-in-optional": (_q("SELECT * WHERE {{ ?s a pk:Task OPTIONAL {{ SERVICE <{url}> "
                               "{{ ?s ?p ?o }} }} }}"), REFUSED),
    "service-in-subquery": (_q("SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> "
                               "{{ ?s ?p ?o }} }} }} }}"), REFUSED),
    "service-in-exists": (_q("ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}"),
                          REFUSED),
    "service-construct": (_q("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> "
                             "{{ ?s ?p ?o }} }}"), REFUSED),
    "service-post-body": (_body("/sparql", "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                                SPARQL_QUERY), REFUSED),
    "from-http": (_q("SELECT * FROM <{url}g> WHERE {{ ?s ?p ?o }}"), REFUSED),
    "from-file": (_q("SELECT * FROM <{file}> WHERE {{ ?s ?p ?o }}"), REFUSED),
    "from-named-http": (_q("SELECT * FROM NAMED <{url}g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
                        REFUSED),
    "from-named-file": (_q("SELECT * FROM NAMED <{file}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
                        REFUSED),
    "construct-from-file": (_q("CONSTRUCT {{ ?s ?p ?o }} FROM <{file}> WHERE {{ ?s ?p ?o }}"),
                            REFUSED),
    "describe-from-http": (_q("DESCRIBE <{url}> FROM <{url}>"), REFUSED),
    "default-graph-uri-http": (lambda url, file: ("get", "/sparql", {"params": {
        "query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": url}}), REFUSED),
    "default-graph-uri-file": (lambda url, file: ("post", "/sparql", {"data": {
        "query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": file}}), REFUSED),
    "named-graph-uri-http": (lambda url, file: ("get", "/sparql", {"params": {
        "query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", "named-graph-uri": url}}),
        REFUSED),
    "named-graph-uri-file": (lambda url, file: ("post", "/sparql", {"params": {
        "named-graph-uri": file}, "content": b"ASK { GRAPH ?g { ?s ?p ?o } }",
        "headers": SPARQL_QUERY}), REFUSED),
    "load-update-get": (lambda url, file: ("get", "/sparql", {"params": {
        "update": f"LOAD <{url}>"}}), REFUSED),
    "load-update-form": (lambda url, file: ("post", "/sparql", {"data": {
        "update": f"LOAD <{file}> INTO GRAPH <https://w3id.org/plankg/graph/curated>"}}), REFUSED),
    "load-sparql-update": (_body("/sparql", "LOAD <{url}>", SPARQL_UPDATE), REFUSED),
    "drop-sparql-update": (_body("/sparql", "DROP ALL", SPARQL_UPDATE), REFUSED),
    "load-as-query": (_q("LOAD <{url}>"), BAD),
    "load-as-query-body": (_body("/sparql", "LOAD <{file}>", SPARQL_QUERY), BAD),
    "insert-as-query": (_q("INSERT DATA {{ <urn:x:a> <urn:x:b> <urn:x:c> }}"), BAD),
    # names that are only names: nothing is fetched, the answer is empty
    "graph-file": (_q("SELECT * WHERE {{ GRAPH <{file}> {{ ?s ?p ?o }} }}"), HARMLESS),
    "describe-http": (_q("DESCRIBE <{url}>"), HARMLESS),
    # a function named by an IRI: Virtuoso's built-ins are such IRIs (bif: and sql: are
    # predefined prefixes there), and bif:http_get fetches its argument
    "function-iri": (_q("SELECT ?x WHERE {{ BIND(<{url}f>(1) AS ?x) }}"), REFUSED),
    "bif-http-get": (_q('SELECT ?x WHERE {{ BIND(<bif:http_get>("{url}") AS ?x) }}'), REFUSED),
    "bif-http-get-prefixed": (_q('SELECT ?x WHERE {{ BIND(bif:http_get("{url}") AS ?x) }}'),
                              REFUSED),
    "bif-http-get-declared": (_q('PREFIX b: <bif:> ASK {{ FILTER(b:http_get("{url}")) }}'),
                              REFUSED),
    "bif-http-get-empty-prefix": (_q('PREFIX : <bif:> ASK {{ FILTER(:http_get("{url}")) }}'),
                                  REFUSED),
    "bif-http-get-base": (_q('BASE <bif:> SELECT * WHERE {{ ?s ?p ?o }} '
                             'ORDER BY <http_get>("{url}")'), REFUSED),
    "bif-file-to-string": (_q('SELECT ?x WHERE {{ BIND(bif:file_to_string("{file}") AS ?x) }}'),
                           REFUSED),
    "sql-function": (_q("SELECT ?x WHERE {{ BIND(sql:SPARQL_SELECT_KNOWN_GRAPHS() AS ?x) }}"),
                     REFUSED),
    "query-page-bif": (lambda url, file: ("get", "/query", {"params": {
        "query": f'SELECT ?x WHERE {{ BIND(bif:http_get("{url}") AS ?x) }}'}}), REFUSED),
    "query-page-service": (lambda url, file: ("get", "/query", {"params": {
        "query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"}}), REFUSED),
    "query-page-from-file": (lambda url, file: ("get", "/query", {"params": {
        "query": f"SELECT * FROM <{file}> WHERE {{ ?s ?p ?o }}"}}), REFUSED),
    "named-query-iri-param": (lambda url, file: ("get", "/api/queries/citations", {"params": {
        "document": file}}), {200, 400, 404}),
    # uploads
    "validate-owl-imports": (_body("/api/validate", IMPORTS, TURTLE), HARMLESS),
    "validate-shapes-graph": (_body("/api/validate", SHAPES_GRAPH, TURTLE), HARMLESS),
    "validate-jsonld-remote-context": (_body("/api/validate", JSONLD_REMOTE, JSON_LD), BAD),
    "validate-jsonld-import": (_body("/api/validate", JSONLD_IMPORT, JSON_LD), BAD),
    "validate-jsonld-file-context": (_body("/api/validate", JSONLD_FILE, JSON_LD), BAD),
    "validate-jsonld-scoped-context": (_body("/api/validate", JSONLD_SCOPED, JSON_LD), BAD),
    "validate-rdfxml": (_body("/api/validate", XXE, {"content-type": "application/rdf+xml"}),
                        {415}),
    "validate-rdfxml-as-text": (_body("/api/validate", XXE, {"content-type": "text/plain"}),
                                BAD),
    "validate-rdfxml-as-html": (_body("/api/validate", XXE, {"content-type": "text/html"}), BAD),
    "validate-rdfxml-as-turtle": (_body("/api/validate", XXE, TURTLE), BAD),
    "validate-page-rdfxml": (lambda url, file: ("post", "/validate", {"data": {
        "text": XXE.format(file=file)}}), BAD),
    "sparql-rdfxml-body": (_body("/sparql", XXE, SPARQL_QUERY), BAD),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_request_is_refused_and_reaches_nothing(suite, name):
    make, statuses = CASES[name]
    method, path, kwargs = make(suite.listener.url, suite.marker_path)
    response = getattr(suite.client, method)(path, **kwargs)
    suite.answered[name] = response.status_code
    assert response.status_code in statuses, response.text[:300]
    assert suite.marker not in response.text
    assert "Traceback" not in response.text
    if response.status_code >= 400 and response.headers["content-type"].startswith(
            "application/json"):
        problem = response.json()
        assert problem["message_zh"] and problem["message_en"]
    assert suite.listener.connections == 0


def test_refused_requests_say_why(suite):
    url = suite.listener.url
    service = suite.client.get("/sparql", params={
        "query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"}).json()
    assert "SERVICE" in service["message_en"] and "SERVICE" in service["message_zh"]
    remote = suite.client.post("/api/validate", content=JSONLD_REMOTE.format(url=url).encode(),
                               headers=JSON_LD).json()
    assert "remote JSON-LD context" in remote["message_en"] and "远程" in remote["message_zh"]
    xml = suite.client.post("/api/validate", content=XXE.format(file="x").encode(),
                            headers={"content-type": "application/rdf+xml"}).json()
    assert "application/rdf+xml" in xml["message_en"]


def test_after_the_whole_suite_nothing_was_reached_and_the_graph_is_unchanged(suite,
                                                                              backend_store):
    assert set(suite.answered) == set(CASES), "run the whole module: the suite comes first"
    assert suite.listener.connections == 0
    assert canonical_dump(backend_store) == suite.before
    assert len(suite.before) > 6000


def test_xsd_casts_and_builtins_are_still_answered(suite):
    query = ('SELECT ?n WHERE { BIND(xsd:integer("41") + 1 AS ?n) '
             'FILTER(STRSTARTS(STR(<http://www.w3.org/2001/XMLSchema#string>("ab")), "a")) }')
    response = suite.client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "42"


def test_queries_with_crlf_line_ends_are_answered(suite):
    query = "# Windows line ends\r\nASK {\r\n  ?t a pk:Task # a task\r\n}\r\n"
    response = suite.client.get("/sparql", params={"query": query})
    assert response.status_code == 200 and response.json()["boolean"] is True
