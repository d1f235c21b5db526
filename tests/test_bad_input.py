"""Bad input everywhere gets a 4xx with a message in Chinese and English, quickly: never a 500,
never a hang, and the service answers normally afterwards. On every backend."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from plankg.service import create_app

QUERY = {"content-type": "application/sparql-query"}
TURTLE = {"content-type": "text/turtle"}
JSON_LD = {"content-type": "application/ld+json"}
MARKDOWN = {"content-type": "text/markdown"}
BIG = "9" * 5000  # more digits than Python converts to an int by default (4,300)
DEEP = 10_000


def _sparql(text: str):
    return ("post", "/sparql", {"content": text.encode(), "headers": QUERY})


def _validate(body: bytes | str, headers: dict):
    return ("post", "/api/validate", {"content": body.encode() if isinstance(body, str) else body,
                                      "headers": headers})


# name: (request, expected status)
CASES = {
    # malformed SPARQL, and SPARQL nested deeper than any parser should recurse
    "sparql-unfinished": (("get", "/sparql", {"params": {"query": "SELECT ?x WHERE { ?x"}}), 400),
    "sparql-empty": (("get", "/sparql", {"params": {"query": ""}}), 400),
    "sparql-garbage": (_sparql("}}}} SELEC ??"), 400),
    "sparql-bad-iri": (_sparql("SELECT * WHERE { <a b> ?p ?o }"), 400),
    "sparql-lone-surrogate": (_sparql('ASK { ?s ?p "\\ud800" }'), {200, 400}),  # rdflib: no match
    "sparql-nested-braces": (_sparql("SELECT * WHERE " + "{ " * DEEP + "?s ?p ?o" + " }" * DEEP),
                             400),
    "sparql-nested-parentheses": (_sparql("ASK { FILTER(" + "(" * DEEP + "1" + ")" * DEEP
                                          + ") }"), 400),
    "sparql-nested-optional": (_sparql("ASK { " + "OPTIONAL { ?s ?p ?o " * 2000 + "}" * 2000
                                       + " }"), 400),
    "sparql-huge-limit": (_sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999"),
                          400),
    "sparql-huge-offset": (_sparql("SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999999999999"),
                           400),
    "sparql-5000-digit-limit": (_sparql("SELECT * WHERE { ?s ?p ?o } LIMIT " + BIG), 400),
    "sparql-huge-subquery-limit": (_sparql("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } "
                                           "LIMIT 9223372036854775808 } }"), 400),
    # invalid UTF-8, in the query string and in bodies
    "sparql-utf8-query-string": (("get", "/sparql?query=%FF%FE", {}), 400),
    "sparql-utf8-body": (("post", "/sparql", {"content": b'ASK { ?s ?p "\xff" }',
                                              "headers": QUERY}), 400),
    "sparql-utf8-form": (("post", "/sparql", {"content": b"query=%FF", "headers": {
        "content-type": "application/x-www-form-urlencoded"}}), 400),
    "validate-utf8": (_validate(b"<http://x/a> <http://x/p> \"\xff\" .", TURTLE), 400),
    "validate-page-utf8": (("post", "/validate", {"content": b"text=\xff", "headers": {
        "content-type": "application/x-www-form-urlencoded"}}), 400),
    "agency-utf8": (("get", "/api/agencies/%FF", {}), 404),
    "tasks-filter-utf8": (("get", "/api/tasks?agency=%FF%FE", {}), 404),
    "document-utf8": (("get", "/api/documents/%FF", {}), 404),
    "history-utf8": (("get", "/api/plans/%FF/history", {}), 404),
    "named-query-utf8": (("get", "/api/queries/tasks-by-agency?agency=%FF", {}), 404),
    "resource-utf8": (("get", "/eli/%FF", {}), {400, 404}),
    "resource-not-an-iri": (("get", "/eli/a%20%22b%22", {}), {400, 404}),
    # wrong Content-Types
    "sparql-text-plain": (("post", "/sparql", {"content": b"ASK {}", "headers": {
        "content-type": "text/plain"}}), 415),
    "sparql-no-content-type": (("post", "/sparql", {"content": b"ASK {}"}), 415),
    "sparql-json-body": (("post", "/sparql", {"content": b'{"query": "ASK {}"}', "headers": {
        "content-type": "application/json"}}), 415),
    "validate-xml": (_validate(b"<a/>", {"content-type": "application/xml"}), 415),
    "validate-no-content-type": (("post", "/api/validate", {"content": b"1. x"}), 415),
    "validate-multipart": (_validate(b"--x--", {
        "content-type": "multipart/form-data; boundary=x"}), 415),
    # malformed Turtle, JSON-LD and plan text
    "turtle-unfinished": (_validate("@prefix : <http://x/> . :a :b", TURTLE), 400),
    "turtle-binary": (_validate(b"\x00\x01\x02\x03", TURTLE), 400),
    "jsonld-not-json": (_validate("{not json", JSON_LD), 400),
    "jsonld-not-an-object": (_validate('"a string"', JSON_LD), 400),
    "jsonld-bad-id": (_validate('{"@id": 5}', JSON_LD), 400),
    "jsonld-huge-number": (_validate('{"@id": "http://x/a", "http://x/p": ' + BIG + "}",
                                     JSON_LD), 400),
    "jsonld-nested-objects": (_validate('{"@id": "http://x/a", "http://x/p": '
                                        + '{"http://x/p": ' * DEEP + "1" + "}" * DEEP + "}",
                                        JSON_LD), 400),
    "jsonld-nested-arrays": (_validate('{"@id": "http://x/a", "http://x/p": ' + "[" * DEEP + "1"
                                       + "]" * DEEP + "}", JSON_LD), 400),
    "plan-empty": (_validate(b"", MARKDOWN), 400),
    "plan-binary": (_validate(b"\x00\x01\x02", {"content-type": "text/plain"}), 400),
    "plan-no-tasks": (_validate("hello world", MARKDOWN), 400),
    "plan-huge-numbers": (_validate(f"沁政办发〔{BIG}〕{BIG}号\n{BIG}.任务", MARKDOWN), 400),
    "plan-nested-brackets": (_validate("1." + "（" * DEEP + "县发改局" + "）" * DEEP, MARKDOWN),
                             400),
    "plan-html-only-tags": (_validate("<html>" * DEEP, {"content-type": "text/html"}), 400),
    "validate-page-empty": (("post", "/validate", {"data": {"text": ""}}), 400),
    # huge and odd numbers in paths and parameters
    "task-huge-number": (("get", "/api/tasks/99999999999999999999999", {}), 404),
    "lineage-huge-number": (("get", "/api/tasks/99999999999999999999999/lineage", {}), 404),
    "lineage-negative": (("get", "/api/tasks/-1/lineage", {}), 404),
    "lineage-float": (("get", "/api/tasks/1e999/lineage", {}), 404),
    "lineage-arabic-digit": (("get", "/api/tasks/%D9%A3/lineage", {}), 404),
    "task-page-huge-number": (("get", "/tasks/99999999999999999999999", {}), 404),
    "task-huge-plan": (("get", "/api/tasks/1?plan=99999999999999999999999", {}), 404),
    "tasks-nested-filter": (("get", "/api/tasks", {"params": {"sector": "(" * DEEP}}), 404),
    "agency-long-name": (("get", "/api/agencies/" + "A" * DEEP, {}), 404),
    "document-long-number": (("get", "/api/documents/" + "〔" * 5000, {}), 404),
    "named-query-missing-parameter": (("get", "/api/queries/tasks-by-agency", {}), 400),
    "named-query-unknown": (("get", "/api/queries/no-such-query", {}), 404),
    "role-nul": (("get", "/api/tasks?role=%00", {}), 400),
    "query-page-nested": (("get", "/query", {"params": {"query": "{" * DEEP}}), 400),
    "accept-garbage": (("get", "/sparql", {"params": {"query": "ASK {}"},
                                           "headers": {"accept": "*/*;q=abc"}}), 406),
    "format-garbage": (("get", "/def?format=garbage", {}), 406),
}


@pytest.fixture(scope="module")
def client(backend_store):
    return TestClient(create_app(backend_store))


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gets_a_4xx_with_a_bilingual_message(client, name):
    (method, path, kwargs), expected = CASES[name]
    started = time.monotonic()
    response = getattr(client, method)(path, **kwargs)
    assert time.monotonic() - started < 10
    assert response.status_code in (expected if isinstance(expected, set) else {expected}), \
        response.text[:300]
    assert "Traceback" not in response.text
    if response.status_code < 400:  # a harmless answer
        return
    if response.headers["content-type"].startswith("application/json"):
        problem = response.json()
        assert problem["message_zh"] and problem["message_en"]
        assert any("\u4e00" <= c <= "\u9fff" for c in problem["message_zh"])
    else:  # a page: the error is shown in both languages
        assert "/" in response.text and any("\u4e00" <= c <= "\u9fff" for c in response.text)


def test_the_service_answers_normally_after_bad_input(client):
    for name in ("sparql-nested-braces", "jsonld-nested-objects", "sparql-lone-surrogate"):
        (method, path, kwargs), _ = CASES[name]
        getattr(client, method)(path, **kwargs)
    response = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?t a pk:Task }"})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "66"
    assert client.get("/api/tasks/1").json()["number"] == 1


def test_numbers_too_large_for_the_engine_are_harmless(client):
    """A 5,000-digit integer in a query: refused, or evaluated to nothing; never a 500."""
    response = client.get("/sparql", params={"query": f"SELECT ?x WHERE {{ BIND({BIG} * 2 AS ?x) }}"})
    assert response.status_code in (200, 400)
    big_literal = f'<http://x/a> <http://x/p> "{BIG}"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    assert client.post("/api/validate", content=big_literal.encode(),
                       headers=TURTLE).status_code == 200
