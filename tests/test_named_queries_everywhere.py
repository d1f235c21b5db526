"""Every named query, with each of its parameters spelled every way people spell them, gives the
same rows through the CLI (``plankg query``), the API (``/api/queries/NAME``) and every store
backend (memory, Oxigraph, Virtuoso).

Regression: ``/api/queries/tasks-by-agency?agency=县工信局&role=support`` answered 400 "SPARQL
syntax error … expected "("" on Oxigraph and Virtuoso, whose parameters are substituted into
the query text: ``?role`` was replaced in the query's ORDER BY too (``ORDER BY … <…/role/support>``
reads as a function call). rdflib binds with ``initBindings``, so the CLI was right.

Each case is a group of spellings of the same values: a name in Chinese, in English, by alias or
key, or by IRI; a 发文字号 in any bracket form or by IRI (documents have no English name); a role
by its Chinese word or its English key. The rows of rdflib's ``initBindings`` with the group's
first spelling are the reference, and every spelling, every road and every backend must give
exactly them (never none: each case is chosen to have rows).
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from plankg.graph.cli import main
from plankg.graph.publish import load_release
from plankg.graph.queries import load_queries, run_named, run_named_on_store
from plankg.graph.sparql import to_records
from plankg.service import create_app
from tests.test_queries import PARAMS

QINSHUI = ["沁政办发〔2022〕33号", "沁政办发[2022]33号", "沁政办发（2022）33号",
           "https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33"]
FGCJ = ["发改财金〔2022〕271号", "发改财金[2022]271号", "发改财金 (2022) 271号",
        "https://w3id.org/plankg/eli/cn/cn/2022/fgcj-271"]
QZBH = ["沁政办函〔2021〕10号", "沁政办函[2021]10号", "沁政办函(2021)10号",
        "https://w3id.org/plankg/eli/cn/140521/2021/qzbh-10"]

# The spellings of one value, by parameter kind (the kinds of the query headers).
SPELLINGS: dict[str, list[list[str]]] = {
    "agency": [
        ["县工信局", "Qinshui County Bureau of Industry and Information Technology",
         "140521/industry-it", "https://w3id.org/plankg/id/agency/140521/industry-it"],
        ["县发展和改革局", "Qinshui County Development and Reform Bureau", "县发改局",
         "县发展和改革委员会", "140521/drc"],
        ["县卫体局", "140521/health-sports"],
    ],
    "role": [["牵头", "lead"], ["配合", "support"], ["负责", "responsible"],
             ["未写明", "unspecified"]],
    "sector": [["婴幼儿托育", "infant and toddler care", "childcare"],
               ["信息服务", "Information services", "information"]],
    "document": [QINSHUI, FGCJ, QZBH],
    "docnumber": [FGCJ[:3] + ["发改财金（2022）271号"], QZBH[:3], QINSHUI[:3]],
    "indicator": [["5G基站", " 5G基站 "]],
    "literal": [["1"]],
    "task": [["https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33/task/1"]],
}

# Values that have no rows there (a group is used for a parameter only where it has some).
EMPTY = {("document-implementers", "document", QINSHUI[0]),
         ("document-implementers", "document", QZBH[0]),
         ("task-lineage", "plan", FGCJ[0]), ("task-lineage", "plan", QZBH[0]),
         # a plan filter (docnumber) of the task queries: only the county plan has tasks
         *((name, "plan", doc) for name in ("tasks-by-agency", "task-agencies",
                                            "tasks-by-sector", "task-targets")
           for doc in (FGCJ[0], QZBH[0])),
         ("task-agencies", "role", "负责"), ("task-agencies", "role", "未写明"),
         ("task-targets", "number", "1"),
         ("plan-documents", "plan", FGCJ[0]), ("plan-documents", "plan", QZBH[0])}


def _base(name: str) -> dict[str, str]:
    """The query's required parameters at the value tests/test_queries.py's PARAMS gives."""
    query = load_queries()[name]
    return {p.name: PARAMS[name][p.name] for p in query.params if p.required}


def _cases() -> list[tuple[str, tuple[dict[str, str], ...]]]:
    """(query, spellings of its parameter values): one case per query and per parameter value
    group, the other required parameters held at their base value."""
    cases = []
    for name, query in sorted(load_queries().items()):
        if query.is_check:
            continue
        base = _base(name)
        if not any(p.required for p in query.params):
            cases.append((name, (dict(base),)))
        for param in query.params:
            for group in SPELLINGS[param.kind]:
                if (name, param.name, group[0]) in EMPTY:
                    continue
                cases.append((name, tuple({**base, param.name: spelled} for spelled in group)))
    cases.append(("targets", ({"sector": "信息服务", "agency": "县工信局"},
                              {"sector": "information", "agency": "140521/industry-it"})))
    return cases


CASES = _cases()
SPELLED = [(name, values) for name, group in CASES for values in group]


def _id(case) -> str:
    name, values = case
    values = values if isinstance(values, dict) else values[0]
    return name + "[" + ",".join(f"{k}={v}" for k, v in values.items()) + "]"


@pytest.fixture(scope="module")
def g():
    return load_release()


@pytest.fixture(scope="module")
def reference(g):
    """The rows of rdflib's initBindings for each case's first spelling."""
    return {_id(case): to_records(run_named(g, case[0], case[1][0])) for case in CASES}


def _reference(reference, name: str, values: dict[str, str]) -> list[dict]:
    for case in CASES:
        if case[0] == name and values in case[1]:
            return reference[_id(case)]
    raise AssertionError(f"no case for {name} {values}")


def test_every_query_and_every_parameter_has_a_case():
    covered = {(name, key) for name, values in SPELLED for key in values}
    wanted = {(name, p.name) for name, q in load_queries().items() if not q.is_check
              for p in q.params}
    assert wanted <= covered
    assert {name for name, _ in CASES} == {n for n, q in load_queries().items() if not q.is_check}
    assert all(kind in SPELLINGS for q in load_queries().values() for kind in
               (p.kind for p in q.params))


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_spelling_gives_the_same_rows_on_rdflib(g, reference, case):
    name, group = case
    expected = reference[_id(case)]
    assert expected, f"{_id(case)} has no rows: choose a value that has some"
    for values in group[1:]:
        assert to_records(run_named(g, name, values)) == expected, values


@pytest.mark.parametrize("spelled", SPELLED, ids=_id)
def test_the_cli_gives_the_same_rows(reference, spelled, capsys, monkeypatch):
    monkeypatch.delenv("PLANKG_STORE", raising=False)  # plankg query reads the release
    name, values = spelled
    argv = ["query", name, "--format", "json"]
    for key, value in values.items():
        argv += ["--param", f"{key}={value}"]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out) == _reference(reference, name, values)


@pytest.fixture(scope="module")
def client(backend_store):
    return TestClient(create_app(backend_store))


@pytest.mark.parametrize("spelled", SPELLED, ids=_id)
def test_the_api_and_every_backend_give_the_same_rows(reference, backend_store, client, spelled):
    name, values = spelled
    expected = _reference(reference, name, values)
    response = client.get(f"/api/queries/{name}", params=values)
    assert response.status_code == 200, response.text
    assert response.json() == expected
    # the API reads records_on_store; plankg query --store and lineage read run_named_on_store
    assert to_records(run_named_on_store(backend_store, name, values)) == expected


SCOPES = """SELECT ?s ?o (COUNT(?x) AS ?n)
WHERE {
  { SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 5 }
  { SELECT ?s (SAMPLE(?p) AS ?o) WHERE { ?s ?p ?z } GROUP BY ?s HAVING (COUNT(?o) > 0) }
  VALUES ?o2 { "y" }
  BIND(STR(?o) AS ?x)
  FILTER(?o != "?o")  # ?o
}
GROUP BY ?s ?o
HAVING (COUNT(?o) > 0)
ORDER BY ?o DESC(?s)"""


def test_a_bound_variable_stays_a_variable_where_only_a_variable_may_stand():
    """Substituted where a term may stand (a triple, an expression), and nowhere else: not in a
    projection, after AS, in a VALUES header, or in GROUP BY, HAVING and ORDER BY."""
    import pyoxigraph as ox
    from rdflib import Literal
    from rdflib.plugins.sparql.parser import parseQuery

    from plankg.graph.backends.values import bind_terms

    bound = bind_terms(SCOPES, {"o": Literal("y")})
    assert bound.splitlines() == [
        "SELECT ?s ?o (COUNT(?x) AS ?n)",
        'WHERE { VALUES (?o) { ("y") }',
        '  { SELECT ?s ?o WHERE { ?s ?p "y" } ORDER BY ?o LIMIT 5 }',
        "  { SELECT ?s (SAMPLE(?p) AS ?o) WHERE { ?s ?p ?z } GROUP BY ?s HAVING (COUNT(?o) > 0) }",
        '  VALUES ?o2 { "y" }',
        '  BIND(STR("y") AS ?x)',
        '  FILTER("y" != "?o")  # ?o',
        "}",
        "GROUP BY ?s ?o",
        "HAVING (COUNT(?o) > 0)",
        "ORDER BY ?o DESC(?s)",
    ]
    parseQuery(bound)  # rdflib's parser and Oxigraph's both read it
    ox.Store().query(bound)
