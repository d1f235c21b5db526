"""Hypothesis on /sparql: queries made of SPARQL's own tokens (and bits of anything), queries
built from a small grammar (patterns, filters, functions, property paths, aggregates, modifiers),
and those with a token dropped or thrown in; on rdflib and on Oxigraph, in several formats:
whatever the text, the answer is never a 5xx. Derandomised: the same examples each run."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plankg.graph.publish import load_release
from plankg.graph.store import GraphStore
from plankg.service import create_app

TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o",
          "*", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "AS", "VALUES", "LIMIT",
          "OFFSET", "ORDER BY", "GROUP BY", "HAVING", "COUNT", "SUM", "DISTINCT", "FROM", "NAMED",
          "SERVICE", "SILENT", "PREFIX", "BASE", "a", ".", ";", ",", "pk:Task", "<http://x/a>",
          "<>", '"x"', '"x"@zh', '"1"^^xsd:integer', "1", "-1", "1.5", "1e9", "9" * 30, "true",
          "UNDEF", "REGEX", "STR", "LANG", "IRI", "BNODE", "NOW", "RAND", "SHA256", "CONCAT",
          "SUBSTR", "IF", "COALESCE", "EXISTS", "NOT", "IN", "!", "&&", "||", "=", "<", ">", "+",
          "/", "^", "|", "?", "xsd:integer", "xsd:dateTime", "eli:number", "_:b", "[", "]", "#",
          "\n", "$x", "^^", "'''", '"""', "\\u0041", "\\", "GROUP_CONCAT", "SAMPLE", "YEAR",
          "langMatches", "sameTerm", "STRDT", "UUID", "bif:http_get"]
OPENINGS = ["SELECT * WHERE {", "ASK {", "SELECT ?s (COUNT(*) AS ?n) WHERE {",
            "CONSTRUCT { ?s ?p ?o } WHERE {"]
ACCEPT = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
          "text/turtle"]
tokens = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=40).map(
    " ".join)
soup = st.one_of(tokens, st.tuples(st.sampled_from(OPENINGS), tokens).map(
    lambda parts: f"{parts[0]} {parts[1]} }}"))

# Queries that parse, mostly: every pattern hangs off ?s, one of the 66 tasks, so that no
# answer can be a runaway cross product on rdflib.
TERMS = ["?o", "?x", '"x"', '"县工信局"@zh', "1", "-1.5e3", '"1"^^xsd:integer',
         '"2022-01-01"^^xsd:date', "pk:Task", "<https://w3id.org/plankg/id/agency/140521/drc>",
         "9" * 25, "true", '""']
NAMED = ["pk:heading", "eli:number", "pk:leadAgency", "pk:assignedAgency/skos:prefLabel",
         "(pk:directlyPartOf)+", "^eli:cites", "rdfs:label|skos:prefLabel"]
PREDICATES = ["?p", "!rdf:type", *NAMED]  # in the group, where ?s is already a task
FUNCTIONS = ["STR", "LANG", "STRLEN", "UCASE", "isIRI", "DATATYPE", "ABS", "ROUND", "YEAR",
             "SHA256", "ENCODE_FOR_URI", "xsd:integer", "xsd:dateTime", "BNODE", "IRI"]
OPERATORS = ["=", "!=", "<", ">=", "+", "*", "/", "&&", "||"]
term = st.sampled_from(TERMS)
expression = st.one_of(
    st.builds(lambda a, op, b: f"({a} {op} {b})", term, st.sampled_from(OPERATORS), term),
    st.builds(lambda f, a: f"{f}({a})", st.sampled_from(FUNCTIONS), term),
    st.builds(lambda a, b: f'REGEX(STR({a}), "{b}", "i")', term, st.text(max_size=4)),
    st.builds(lambda a, b: f"COALESCE({a}, {b})", term, term),
    st.builds(lambda a: f"IF(BOUND(?o), {a}, ?x)", term))
pattern = st.one_of(
    st.builds(lambda p, o: f"?s {p} {o} .", st.sampled_from(PREDICATES), term),
    st.builds(lambda e: f"FILTER({e})", expression),
    st.builds(lambda p: f"OPTIONAL {{ ?s {p} ?o }}", st.sampled_from(PREDICATES)),
    # groups of their own are evaluated before the join on rdflib: no ?p there
    st.builds(lambda e: f"BIND({e} AS ?b)", expression),
    st.builds(lambda ts: f"VALUES ?x {{ {' '.join(ts)} }}", st.lists(term, max_size=3)),
    st.builds(lambda p: f"MINUS {{ ?s {p} ?o }}", st.sampled_from(NAMED)),
    st.builds(lambda a, b: f"{{ ?s {a} ?o }} UNION {{ ?s {b} ?x }}",
              st.sampled_from(NAMED), st.sampled_from(NAMED)))
HEADS = ["SELECT * WHERE", "SELECT DISTINCT ?s ?o WHERE", "ASK",
         "SELECT ?s (COUNT(?o) AS ?n) (SAMPLE(?x) AS ?e) WHERE",
         "SELECT (GROUP_CONCAT(STR(?o); SEPARATOR=\",\") AS ?all) WHERE",
         "CONSTRUCT { ?s ?p ?o } WHERE", "DESCRIBE ?s WHERE"]
TAILS = ["", "ORDER BY ?o", "GROUP BY ?s", "LIMIT 3", "OFFSET 2 LIMIT 1", "ORDER BY DESC(?s) LIMIT 5",
         "GROUP BY ?s HAVING (COUNT(?o) > 1)", "LIMIT " + "9" * 25]
structured = st.builds(lambda head, body, tail: f"{head} {{ ?s a pk:Task . {' '.join(body)} }} "
                       f"{tail}", st.sampled_from(HEADS), st.lists(pattern, max_size=3),
                       st.sampled_from(TAILS))


@st.composite
def mutated(draw) -> str:
    """A structured query, sometimes with a token dropped or one thrown in."""
    words = draw(structured).split(" ")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(words) - 1))
        if draw(st.booleans()):
            del words[at]
        else:
            words.insert(at, draw(st.sampled_from(TOKENS)))
    return " ".join(words)


queries = st.one_of(soup, structured, mutated())


@pytest.fixture(scope="module")
def clients() -> dict[str, TestClient]:
    release = load_release()
    return {engine: TestClient(create_app(GraphStore.of(release, engine=engine)))
            for engine in ("memory", "oxigraph")}


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(query=queries, engine=st.sampled_from(["memory", "oxigraph"]),
       accept=st.sampled_from(ACCEPT))
def test_no_query_text_gets_a_server_error(clients, query, engine, accept):
    response = clients[engine].get("/sparql", params={"query": query},
                                   headers={"accept": accept})
    assert response.status_code < 500, (query, response.text[:300])
    if response.status_code >= 400:
        assert response.json()["message_zh"] and response.json()["message_en"]
