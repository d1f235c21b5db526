"""``plankg tasks``, ``sparql``, ``query`` and ``lineage`` read a loaded store (issue: a
researcher's day, point 6): with ``--store`` (or ``PLANKG_STORE``) they give the rows the server
gives on that store, they open it read-only as the server does, and a bad store is a clear
error (exit 2), never a traceback. Before, they read the built release only."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plankg.graph.backends import open_store
from plankg.graph.cli import main
from plankg.graph.store import GraphStore
from plankg.graph.synth import write_corpus
from plankg.service import create_app

COUNTY_PLAN = "沁政办发〔2022〕33号"
NAMED = [("agency-workload", {}), ("plans", {}), ("tasks-by-agency", {"agency": "县发改局"}),
         ("targets", {"sector": "婴幼儿托育"})]
PLANS = ("SELECT ?plan ?number WHERE { ?plan a pk:Plan ; eli:id_local ?number } "
         "ORDER BY ?number")


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch):
    monkeypatch.delenv("PLANKG_STORE", raising=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    """An Oxigraph store a researcher filled with ``plankg load``: the release, and a batch
    of synthetic plans the release does not hold."""
    folder = tmp_path_factory.mktemp("cli-store")
    batch = folder / "batch.nq"
    write_corpus(batch, plans=3, seed=31, fmt="nq")
    spec = f"oxigraph:{folder / 'store'}"
    assert main(["load", "--store", spec]) == 0
    assert main(["load", str(batch), "--store", spec]) == 0
    return spec


@contextmanager
def serving(spec: str):
    """The app ``plankg serve`` makes on ``spec``, with its copy in memory (``warm``)."""
    backend = open_store(spec)
    backend.warm()
    try:
        with TestClient(create_app(GraphStore(backend))) as client:
            yield client
    finally:
        backend.close()


@pytest.fixture(scope="module")
def server(corpus):
    with serving(corpus) as client:
        yield client


def cli(capsys, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def cli_json(capsys, *argv: str):
    return json.loads(cli(capsys, *argv, "--format", "json"))


def _params(values: dict[str, str]) -> list[str]:
    return [arg for k, v in values.items() for arg in ("-p", f"{k}={v}")]


@pytest.mark.parametrize("name, values", NAMED)
def test_query_gives_the_servers_rows(capsys, corpus, server, name, values):
    rows = cli_json(capsys, "query", name, *_params(values), "--store", corpus)
    answer = server.get(f"/api/queries/{name}", params=values)
    assert answer.status_code == 200, answer.text
    assert rows and rows == answer.json()


def test_the_store_is_read_not_the_release(capsys, corpus):
    on_store = cli_json(capsys, "query", "plans", "--store", corpus)
    in_release = cli_json(capsys, "query", "plans")
    assert {p["number"] for p in in_release} < {p["number"] for p in on_store}
    workload = cli_json(capsys, "query", "agency-workload", "--store", corpus)
    assert len(workload) > len(cli_json(capsys, "query", "agency-workload"))


def test_plankg_store_in_the_environment(capsys, corpus, server, monkeypatch):
    monkeypatch.setenv("PLANKG_STORE", corpus)
    assert cli_json(capsys, "query", "plans") == server.get("/api/queries/plans").json()


@pytest.mark.parametrize("plan", [None, COUNTY_PLAN])
def test_tasks_give_the_servers_records(capsys, corpus, server, plan):
    flags = ["--plan", plan] if plan else []
    records = cli_json(capsys, "tasks", *flags, "--store", corpus)
    answer = server.get("/api/tasks", params={"plan": plan} if plan else {})
    assert records and records == answer.json()
    if plan:
        assert [r["number"] for r in records] == list(range(1, 67))
    filtered = cli_json(capsys, "tasks", "--agency", "县发改局", "--role", "support",
                        "--store", corpus)
    assert filtered == server.get("/api/tasks", params={"agency": "县发改局",
                                                          "role": "support"}).json()


@pytest.mark.parametrize("plan", [None, COUNTY_PLAN])
def test_lineage_gives_the_servers_steps(capsys, corpus, server, plan):
    flags = ["--plan", plan] if plan else []
    steps = cli_json(capsys, "lineage", "1", *flags, "--store", corpus)
    answer = server.get("/api/tasks/1/lineage", params={"plan": plan} if plan else {})
    assert steps and steps == answer.json()["steps"]
    if plan:  # the county plan's task 1, as in the release
        assert steps == cli_json(capsys, "lineage", "1", *flags)


def test_sparql_gives_the_servers_answer(capsys, corpus, server):
    results = json.loads(cli(capsys, "sparql", PLANS, "--store", corpus, "--format",
                             "sparql-json"))
    answer = server.get("/sparql", params={"query": PLANS},
                        headers={"Accept": "application/sparql-results+json"})
    assert results["results"]["bindings"] == answer.json()["results"]["bindings"]
    assert len(results["results"]["bindings"]) > 1
    assert cli(capsys, "sparql", "ASK { ?t a pk:Task }", "--store", corpus).strip() == "true"
    turtle = cli(capsys, "sparql", "CONSTRUCT { ?p eli:id_local ?n } WHERE { ?p a pk:Plan ; "
                 "eli:id_local ?n }", "--store", corpus)
    assert COUNTY_PLAN in turtle


def test_reading_changes_nothing_and_blocks_nobody(capsys, corpus, server):
    """A command opens the current generation read-only beside a running server, registers
    as its reader while it reads, and lets go: nothing written, a load afterwards proceeds."""
    root = Path(corpus.removeprefix("oxigraph:"))
    before = sorted(p.name for p in root.iterdir())
    readers = sorted(p.name for p in (root / "readers").iterdir())
    pointer = (root / "CURRENT").read_text()
    cli(capsys, "query", "agency-workload", "--store", corpus)
    cli(capsys, "tasks", "--store", corpus)
    assert (root / "CURRENT").read_text() == pointer
    assert sorted(p.name for p in root.iterdir()) == before
    assert sorted(p.name for p in (root / "readers").iterdir()) == readers
    assert main(["load", "--store", corpus]) == 0  # the release again: a new generation
    capsys.readouterr()
    assert (root / "CURRENT").read_text() != pointer
    assert server.get("/api/queries/plans").status_code == 200  # still on its generation


@pytest.mark.parametrize("spec, says", [
    ("bogus", "unknown store"),
    ("oxigraph:{tmp}/missing", "does not exist"),
    ("oxigraph:{tmp}", "holds no plankg Oxigraph store"),
    ("oxigraph:{tmp};cache=ram", "bad Oxigraph store option"),
    ("memory", "lives only inside one process"),
    ("oxigraph:memory", "lives only inside one process"),
    ("sparql:ftp://x/sparql", "must start with http"),
    ("sparql:http://127.0.0.1:9/sparql;timeout=soon", "timeout= must be a positive number"),
    ("sparql:http://127.0.0.1:9/sparql", "cannot reach the SPARQL server"),
])
@pytest.mark.parametrize("command", [["query", "plans"], ["tasks"], ["lineage", "1"],
                                     ["sparql", "ASK {}"], ["status"],
                                     ["validate", "{seed}", "--against", "store"]])
def test_a_bad_store_is_a_clear_error(capsys, tmp_path, spec, says, command):
    from tests.conftest import SEED
    spec = spec.format(tmp=tmp_path)
    command = [str(SEED) if part == "{seed}" else part for part in command]
    assert main([*command, "--store", spec]) == 2
    out, err = capsys.readouterr()
    assert out == "" and says in err and "错误 / error" in err
    assert not (tmp_path / "missing").exists()  # a reading command makes no store


def test_a_bad_store_never_shows_a_traceback(tmp_path):
    run = subprocess.run([sys.executable, "-m", "plankg.service.cli", "query", "plans", "--store",
                          f"oxigraph:{tmp_path / 'missing'}"], capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "不存在" in run.stderr


def test_source_and_store_are_exclusive(capsys, corpus):
    from tests.conftest import SEED
    assert main(["tasks", "--source", str(SEED), "--store", corpus]) == 2
    assert "not both" in capsys.readouterr().err


def test_virtuoso(capsys, virtuoso):
    """The same on a SPARQL server (Virtuoso): the commands give the API's rows."""
    assert main(["load", "--store", virtuoso.spec]) == 0
    capsys.readouterr()
    with serving(virtuoso.spec) as client:
        for name, values in NAMED:
            rows = cli_json(capsys, "query", name, *_params(values), "--store", virtuoso.spec)
            assert rows == client.get(f"/api/queries/{name}", params=values).json(), name
        steps = cli_json(capsys, "lineage", "1", "--store", virtuoso.spec)
        assert steps == client.get("/api/tasks/1/lineage").json()["steps"]
        tasks = cli_json(capsys, "tasks", "--plan", COUNTY_PLAN, "--store", virtuoso.spec)
        assert tasks == client.get("/api/tasks", params={"plan": COUNTY_PLAN}).json()
