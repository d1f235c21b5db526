"""The service: SPARQL 1.1 Protocol at /sparql and the JSON API, through a real ASGI client."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from plankg.graph.publish import load_release
from plankg.graph.store import GraphStore
from plankg.service import create_app

SELECT = "SELECT DISTINCT ?n WHERE { ?t a pk:Task ; eli:number ?n ; pk:leadAgency ?a } ORDER BY ?n"
CURATED = "https://w3id.org/plankg/graph/curated/agencies"


@pytest.fixture(scope="module")
def store(backend_store):
    """The API and the protocol run on every backend (memory, Oxigraph, Virtuoso)."""
    return backend_store


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store))


def _numbers(response) -> list[str]:
    return [b["n"]["value"] for b in response.json()["results"]["bindings"]]


def test_query_by_get_post_form_and_post_body(client):
    expected = ["13", "19", "26", "37", "39", "48", "49", "53", "54"]
    assert sorted(_numbers(client.get("/sparql", params={"query": SELECT})), key=int) == expected
    assert sorted(_numbers(client.post("/sparql", data={"query": SELECT})), key=int) == expected
    body = client.post("/sparql", content=SELECT.encode(),
                       headers={"content-type": "application/sparql-query"})
    assert sorted(_numbers(body), key=int) == expected


@pytest.mark.parametrize("accept, content_type", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/html, text/*;q=0.5", "text/csv; charset=utf-8"),
])
def test_select_content_negotiation(client, accept, content_type):
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": SELECT}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type


@pytest.mark.parametrize("accept, content_type, parse_as", [
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/n-triples", "application/n-triples; charset=utf-8", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/trig", "application/trig; charset=utf-8", "trig"),
])
def test_construct_content_negotiation(client, accept, content_type, parse_as):
    query = "CONSTRUCT { ?t pk:heading ?h } WHERE { ?t a pk:Task ; pk:heading ?h }"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"] == content_type
    g = Graph().parse(data=response.content, format=parse_as)
    assert len(g) == 66
    assert "完善寄递末端网络" in {str(o) for o in g.objects()}


def test_csv_and_tsv_follow_the_results_formats(client):
    query = ('SELECT ?s ?o WHERE { VALUES (?s ?o) { (<https://x/a> "a,\\"b\\"") } }')
    text = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"}).text
    assert text == 's,o\r\nhttps://x/a,"a,""b"""\r\n'
    assert list(csv.reader(io.StringIO(text))) == [["s", "o"], ["https://x/a", 'a,"b"']]
    tsv = client.get("/sparql", params={"query": query},
                     headers={"accept": "text/tab-separated-values"}).text
    assert tsv.splitlines()[0] == "?s\t?o"
    assert tsv.splitlines()[1] == '<https://x/a>\t"a,\\"b\\""'


def test_ask_and_describe(client):
    ask = client.get("/sparql", params={"query": "ASK { ?d eli:id_local \"发改财金〔2022〕271号\" }"})
    assert ask.json() == {"head": {}, "boolean": True}
    describe = client.get("/sparql", params={
        "query": "DESCRIBE <https://w3id.org/plankg/id/agency/140521/drc>"},
        headers={"accept": "text/turtle"})
    assert "县发改局" in describe.text


@pytest.mark.parametrize("method, kwargs, status", [
    ("get", {"params": {"query": "SELECT ?x WHERE { ?x "}}, 400),
    ("get", {"params": {"query": ["ASK {}", "ASK {}"]}}, 400),
    ("get", {"params": {"update": "DROP ALL"}}, 403),
    ("post", {"data": {"update": "DROP ALL"}}, 403),
    ("post", {"content": b"DROP ALL", "headers": {"content-type": "application/sparql-update"}},
     403),
    ("post", {"content": b"ASK {}", "headers": {"content-type": "text/plain"}}, 415),
    ("post", {"content": b"ASK {}"}, 415),
    ("post", {"content": b"ASK { ?s ?p \"\xff\" }",
              "headers": {"content-type": "application/sparql-query"}}, 400),
    ("put", {"content": b"ASK {}"}, 405),
    ("delete", {}, 405),
    ("get", {"params": {"query": "ASK {}"}, "headers": {"accept": "image/png"}}, 406),
    ("get", {"params": {"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}}, 403),
    ("get", {"params": {"query": "ASK {}", "default-graph-uri": "http://example.org/x"}}, 403),
])
def test_protocol_errors(client, store, method, kwargs, status):
    before = sorted(map(str, store.backend.quads()))
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status
    body = response.json()
    assert body["message_zh"] and body["message_en"] and "Traceback" not in response.text
    assert sorted(map(str, store.backend.quads())) == before


def test_dataset_parameters(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    curated = client.get("/sparql", params={"query": count, "default-graph-uri": CURATED})
    union = client.get("/sparql", params={"query": count})
    assert int(_numbers(curated)[0]) < int(_numbers(union)[0])
    named = client.get("/sparql", params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": CURATED})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [CURATED]


def test_service_refuses_to_fetch_anything(client):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                      "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }",
                      f"SELECT * FROM <http://127.0.0.1:{port}/g> WHERE {{ ?s ?p ?o }}"):
            assert client.get("/sparql", params={"query": query}).status_code == 403
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


def test_service_description(client):
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    g = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = {str(o) for o in g.objects(None, __import__("rdflib").URIRef(sd + "name"))}
    assert CURATED in names and len(names) == 9  # every graph of the release, and the manifest


def test_cors(client):
    response = client.get("/sparql", params={"query": "ASK {}"},
                          headers={"origin": "https://notebook.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_sixteen_parallel_queries_right_after_start():
    app_client = TestClient(create_app(GraphStore.of(load_release())))
    queries = [SELECT, "ASK { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n) WHERE { ?s a pk:Task }",
               "SELECT ?h WHERE { ?t pk:heading ?h } ORDER BY ?h LIMIT 3"] * 4
    results: list = [None] * len(queries)

    def run(i: int) -> None:
        results[i] = app_client.get("/sparql", params={"query": queries[i]}).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(queries))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 16


def test_api_tasks_match_the_cli_json(client, capsys):
    from plankg.service.cli import main
    assert main(["tasks", "--format", "json", "--agency", "县工信局"]) == 0
    cli = json.loads(capsys.readouterr().out)
    api = client.get("/api/tasks", params={"agency": "县工信局"}).json()
    assert api == cli and len(api) == 26


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory) -> GraphStore:
    """A synthetic corpus of four plans (plankg synth), on an Oxigraph store."""
    import pyoxigraph as ox

    from plankg.graph.backends import open_store
    from plankg.graph.synth import write_corpus
    corpus = tmp_path_factory.mktemp("corpus") / "corpus.nq"
    write_corpus(corpus, plans=4, seed=3, fmt="nq")
    backend = open_store("oxigraph:memory")
    backend.load_file(corpus, fmt=ox.RdfFormat.N_QUADS)
    return GraphStore(backend)


def test_api_tasks_of_one_plan_read_only_that_plan(corpus_store, monkeypatch):
    """On a corpus of several plans: ?plan= gives that plan's tasks (what the whole graph
    filtered gives), read from the store per plan, and a few plans' contexts are kept."""
    from plankg.graph import store as store_module
    from plankg.graph.tasks import task_records
    store = corpus_store
    store.memo.clear()
    client = TestClient(create_app(store))
    plans = client.get("/api/plans").json()
    assert len(plans) == 4
    monkeypatch.setattr(store_module, "PLAN_CACHE", 2)
    for plan in plans:
        number = plan["number"]
        got = client.get("/api/tasks", params={"plan": number}).json()
        assert len(got) == int(plan["tasks"]) and {t["plan"] for t in got} == {number}
        assert got == json.loads(json.dumps(task_records(store.task_graph(), plan=number)))
    kept = [k for k in store.memo if isinstance(k, tuple) and k[0] == "plan_tasks"]
    assert len(kept) == 2
    assert client.get("/api/tasks", params={"plan": "沁政办发〔2099〕1号"}).status_code == 404


def test_task_list_page_is_one_plan_and_links_into_it(corpus_store):
    """The task list shows one plan (the newest with tasks unless ?plan= names one), reads only
    that plan's tasks, and every row links to its task in that plan: task 1 of each plan is a
    different task."""
    import re
    from urllib.parse import quote, unquote
    store = corpus_store
    store.memo.clear()
    client = TestClient(create_app(store))
    plans = [p for p in client.get("/api/plans").json() if p["tasks"]]
    assert len(plans) >= 2

    def rows(page: str) -> list[tuple[str, str, str]]:
        return re.findall(r'<tr><td>(\d+)</td><td><a href="/tasks/(\d+)\?plan=([^"]+)">', page)

    default = client.get("/tasks")
    assert default.status_code == 200
    newest = plans[0]["number"]
    found = rows(default.text)
    assert len(found) == int(plans[0]["tasks"])
    assert {unquote(p) for _, _, p in found} == {newest}
    assert f'<option value="{newest}" selected>' in default.text
    assert "tasks" not in store.memo  # every plan's tasks were not read
    titles = set()
    for plan in plans:
        page = client.get("/tasks", params={"plan": plan["number"]}).text
        found = rows(page)
        assert len(found) == int(plan["tasks"]), plan["number"]
        assert all(n == m and unquote(p) == plan["number"] for n, m, p in found)
        task = client.get(f"/tasks/1?plan={quote(plan['number'])}")
        assert task.status_code == 200 and plan["number"] in task.text
        title = client.get("/api/tasks/1", params={"plan": plan["number"]}).json()["title"]
        assert title in task.text
        titles.add(title)
    assert len(titles) > 1  # the links must say which plan
    every = rows(client.get("/tasks", params={"plan": "all"}).text)
    assert len(every) == sum(int(p["tasks"]) for p in plans)
    missing = client.get("/tasks", params={"plan": "沁政办发〔2099〕1号"})
    assert missing.status_code == 404 and "沁政办发〔2099〕1号" in missing.text


def test_agency_matrix_is_per_plan_and_counts_tasks_not_numbers(corpus_store):
    """The agencies × sectors page shows one plan as the task list does; over all plans an
    agency's total is the sum of its plans' totals (task 5 of two plans is two tasks)."""
    import re
    store = corpus_store
    client = TestClient(create_app(store))
    plans = [p["number"] for p in client.get("/api/plans").json() if p["tasks"]]

    def totals(plan: str) -> dict[str, int]:
        page = client.get("/agencies", params={"plan": plan})
        assert page.status_code == 200
        return {name: int(total) for name, total in re.findall(
            r'<a href="/agencies/[^"]+">([^<]+)</a></td><td>(\d+)</td>', page.text)}

    per_plan = [totals(plan) for plan in plans]
    for plan, found in zip(plans, per_plan, strict=True):
        tasks = client.get("/api/tasks", params={"plan": plan}).json()
        expected: dict[str, int] = {}
        for task in tasks:
            for name in {a["name"] or a["as_written"] for a in task["agencies"]}:
                expected[name] = expected.get(name, 0) + 1
        assert found == expected, plan
    every = totals("all")
    shared = {n for n in every if sum(n in t for t in per_plan) > 1}
    assert shared  # agencies that serve in more than one plan
    assert all(every[n] == sum(t.get(n, 0) for t in per_plan) for n in every)
    assert totals("") == per_plan[0]


def test_api_task_and_lineage(client):
    task = client.get("/api/tasks/13").json()
    assert task["title"] == "完善寄递末端网络" and task["agencies"][0]["role"] == "lead"
    lineage = client.get("/api/tasks/1/lineage").json()
    assert [s["doc_number"] for s in lineage["steps"] if s["hop"] == 0] == [
        "发改财金〔2022〕271号", "晋政办发〔2022〕33号", "晋政办发〔2022〕35号"]
    missing = client.get("/api/tasks/99")
    assert missing.status_code == 404 and missing.json()["suggestion"] == "1–66"


def test_api_agencies_documents_queries(client):
    agencies = client.get("/api/agencies").json()
    assert agencies[0]["name"] == "县工信局" and agencies[0]["total"] == 26
    drc = client.get("/api/agencies/县发改局").json()
    assert drc["workload"][0]["total"] == 13 and len(drc["tasks"]) == 13
    unknown = client.get("/api/agencies/县发该局")
    assert unknown.status_code == 404 and unknown.json()["suggestion"] == "县发改局"
    doc = client.get("/api/documents/沁政办函(2021)10号").json()
    assert doc["supersession"][0]["status"] == "repealed"
    names = [q["name"] for q in client.get("/api/queries").json()]
    assert "task-lineage" in names
    rows = client.get("/api/queries/tasks-by-agency", params={"agency": "邮政沁水分公司"}).json()
    assert [r["number"] for r in rows] == ["11", "13"]
    bad = client.get("/api/queries/tasks-by-agency")
    assert bad.status_code == 400 and "agency" in bad.json()["message_en"]


def test_api_validate(client):
    from tests.conftest import FIXTURES

    text = (FIXTURES / "shapes" / "task-support-only.md").read_bytes()
    report = client.post("/api/validate", content=text, headers={"content-type": "text/markdown"})
    assert report.status_code == 200 and report.json()["conforms"] is False
    turtle = (FIXTURES / "shapes" / "rdf-labels.ttl").read_bytes()
    report = client.post("/api/validate", content=turtle, headers={"content-type": "text/turtle"})
    assert {r["shape"].rsplit("#", 1)[1] for r in report.json()["results"]} == {
        "TermLabelZhShape", "TermLabelEnShape", "ConceptLabelZhShape"}
    assert client.post("/api/validate", content=b"x", headers={
        "content-type": "application/pdf"}).status_code == 415
    broken = client.post("/api/validate", content=b"@prefix x: <y> .\nx:a x:b",
                         headers={"content-type": "text/turtle"})
    assert broken.status_code == 400 and "RDF" in broken.json()["message_en"]


def test_openapi_and_health(client):
    assert client.get("/healthz").json()["status"] == "ok"
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/tasks", "/api/tasks/{number}/lineage", "/api/validate"} <= set(paths)


def test_twenty_parallel_validations_right_after_start():
    from tests.conftest import FIXTURES

    app_client = TestClient(create_app(GraphStore.of(load_release())))
    bodies = [(FIXTURES / "shapes" / name).read_bytes()
              for name in ("task-support-only.md", "valid.md", "task-role-word.md",
                           "numbering-gap.md")] * 5
    results: list = [None] * len(bodies)

    def run(i: int) -> None:
        response = app_client.post("/api/validate", content=bodies[i],
                                   headers={"content-type": "text/markdown"})
        results[i] = (response.status_code, response.json()["conforms"],
                      len(response.json()["results"]))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [(200, False, 1), (200, True, 0), (200, True, 1), (200, False, 1)] * 5


def test_linked_data_by_content_negotiation(client):
    path = "/eli/cn/140521/2022/qzbf-33/task/13"
    page = client.get(path, headers={"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "完善寄递末端网络" in page.text and 'href="/eli/cn/140521/2022/qzbf-33/section/3"' in page.text
    turtle = client.get(path)
    assert turtle.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=turtle.text, format="turtle")
    task = __import__("rdflib").URIRef("https://w3id.org/plankg" + path)
    assert len(set(g.objects(task, __import__("graph.iris", fromlist=["x"]).CV.hasParticipation))) == 4
    jsonld = client.get("/id/agency/140521/drc", params={"format": "application/ld+json"})
    assert jsonld.status_code == 200 and "playsRole" in jsonld.text
    missing = client.get("/id/agency/140521/drcx")
    assert missing.status_code == 404 and missing.json()["suggestion"].endswith("/140521/drc")


def test_ontology_documentation(client):
    page = client.get("/def", headers={"accept": "text/html"})
    assert page.status_code == 200
    for text in ("pk:leadAgency", "牵头单位", "lead agency", "pk:Task"):
        assert text in page.text
    turtle = client.get("/def", headers={"accept": "text/turtle"})
    assert len(Graph().parse(data=turtle.text, format="turtle")) > 1000


@pytest.mark.parametrize("name, parse_as", [("plankg.trig", "trig"), ("plankg.ttl", "turtle"),
                                            ("plankg.nq", "nquads"), ("plankg.jsonld", "json-ld")])
def test_downloads(client, name, parse_as):
    from rdflib import Dataset
    response = client.get(f"/download/{name}")
    assert response.status_code == 200
    ds = Dataset()
    ds.parse(data=response.content, format=parse_as)
    assert len(ds) >= 6000


def test_tasks_csv_download(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/download/tasks.csv").text)))
    assert len(rows) == 66 and rows[12]["agencies"].startswith("邮政沁水分公司(牵头)")


def test_lineage_names_the_counterparts_of_the_lead_agencies(client):
    lineage = client.get("/api/tasks/19/lineage").json()
    pairs = [(c["agency"], c["role"], c["counterpart"]) for c in lineage["counterparts"]]
    assert ("县工信局", "lead", "省工业和信息化厅") in pairs
    assert ("县行政审批局", "lead", "省行政审批局") in pairs
    assert all(c["source"] for c in lineage["counterparts"])
    assert client.get("/api/tasks/13/lineage").json()["counterparts"] == []  # 邮政 has none
    page = client.get("/tasks/26")
    assert "县农业农村局（牵头）→ 省农业农村厅" in page.text


def _table_rows(html: str) -> list[list[str]]:
    import re
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>", 1)[1])]


def test_history_of_a_plan_series_in_the_api_and_on_a_page(client):
    rows = client.get("/api/plans/沁政办发[2022]33号/history").json()
    assert [(r["number"], r["status"], r["repeal_date"], r["repealed_by"], r["tasks"])
            for r in rows] == [("沁政办函〔2021〕10号", "repealed", "2022-08-24", "沁政办发〔2022〕33号", 0),
                               ("沁政办发〔2022〕33号", "in-force", None, None, 66)]
    missing = client.get("/api/plans/沁政办发〔2022〕34号/history")
    assert missing.status_code == 404 and missing.json()["suggestion"] == "沁政办发〔2022〕33号"
    page = client.get("/plans/沁政办发〔2022〕33号/history")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert [[row[0], row[1], row[4], row[5], row[6]] for row in _table_rows(page.text)] == [
        ["2021", "沁政办函〔2021〕10号", "已废止 repealed",
         "2022-08-24 沁政办发〔2022〕33号 沁水县推进服务业提质增效2022年行动计划", "0"],
        ["2022", "沁政办发〔2022〕33号", "现行 in force", "", "66"]]
    assert client.get("/plans/沁政办发〔2022〕34号/history").status_code == 404
    document = client.get("/documents/沁政办函〔2021〕10号").text
    assert 'href="/plans/沁政办函〔2021〕10号/history"' in document


def test_unknown_addresses_and_wrong_methods_are_bilingual_problems(client):
    response = client.get("/eli/x%0Ay")
    assert response.status_code == 404 and response.json()["message_zh"] == "没有这个地址"
    assert response.json()["message_en"] == "no such address"
    response = client.post("/api/tasks")
    assert response.status_code == 405
    assert response.json()["message_en"] == "this method is not allowed here"
    assert response.headers["allow"] == "GET"


def test_a_bare_carriage_return_is_refused_before_any_engine_sees_it():
    from plankg.graph.errors import QueryArgumentError
    from plankg.graph.store import inspect_query
    with pytest.raises(QueryArgumentError, match="line feed"):
        inspect_query("SELECT * WHERE { ?s ?p ?o } #\rSERVICE <http://127.0.0.1:9/> {}")
    assert inspect_query("SELECT * WHERE {\r\n ?s ?p ?o }").form == "SELECT"
