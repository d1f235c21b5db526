"""The Python API: ``plankg.open()`` and its answers, the same as the command line's."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

import plankg
from plankg.graph.cli import main
from plankg.graph.errors import PlanKGError
from tests.conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def g():
    return plankg.open()


def _cli_json(capsys, *argv) -> list[dict]:
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_tasks_by_agency_and_role_word(g):
    assert [t["number"] for t in g.tasks(agency="县发改局", role="配合")] == [49]
    assert [t["number"] for t in g.tasks(agency="县发展和改革局", role="support")] == [49]


def test_the_answers_are_the_command_lines(g, capsys):
    assert list(g.tasks(sector="房地产业")) == _cli_json(capsys, "tasks", "--sector", "房地产业")
    assert list(g.query("tasks-by-agency", agency="县教育局", role="配合")) == _cli_json(
        capsys, "query", "tasks-by-agency", "-p", "agency=县教育局", "-p", "role=配合")
    assert list(g.lineage(1)) == _cli_json(capsys, "lineage", "1")


def test_agency_workload_is_a_dataframe_with_one_row_per_agency(g):
    frame = g.query("agency-workload").to_pandas()
    assert list(frame.columns) == ["plan", "agency", "name", "total", "lead", "support",
                                   "responsible", "unspecified"]
    assert frame["agency"].is_unique and len(frame) == 30
    assert frame.set_index("name").loc["县工信局", "total"] == 26


def test_records_to_csv(g, tmp_path):
    rows = g.tasks(agency="县发改局", role="配合")
    text = rows.to_csv(tmp_path / "t.csv")
    header, first = text.splitlines()[:2]
    assert header.split(",")[:3] == ["plan", "number", "title"]
    assert first.startswith("沁政办发〔2022〕33号,49,加快推进托幼一体化建设,")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == text


def test_sparql_rows_boolean_and_graph(g):
    rows = g.sparql("SELECT ?n WHERE { ?t a pk:Task ; eli:number ?n } ORDER BY xsd:integer(?n)")
    assert len(rows) == 66 and rows[0] == {"n": "1"}
    assert g.sparql("ASK { ?t a pk:Task }") is True
    graph = g.sparql("CONSTRUCT { ?t a pk:Task } WHERE { ?t a pk:Task }")
    assert isinstance(graph, Graph) and len(graph) == 66


def test_validate_diff_and_align(g):
    plan = FIXTURES / "plans" / "qinshui-2023.md"
    found = g.validate(plan, against="built")
    assert found.conforms and found.report.changes["previous"] == "沁政办发〔2022〕33号"
    bad = g.validate(ROOT / "examples" / "upload.ttl")
    assert not bad.conforms and [f["line"] for f in bad] == [37]
    diff = g.diff("沁政办发〔2022〕33号", plan)
    assert {"kind": "added", "old": None, "new": 5, "heading": "提升普惠金融服务水平"} in diff
    assert ("5G基站", 40.0, 50.0) in {(t["indicator"], t["old"], t["new"]) for t in diff.targets}
    links = g.align(ROOT / "graph" / "sources" / "qinshui-2022-service-plan.md",
                    ROOT / "examples" / "provincial-plan.md", top=1)
    assert links and {r["rank"] for r in links} == {1}


def test_unknown_names_are_the_command_lines_errors(g):
    with pytest.raises(PlanKGError, match="县发改委"):
        g.tasks(agency="县发改委")
    with pytest.raises(PlanKGError):
        g.tasks(role="主办")


def test_a_store_gives_the_rows_the_release_gives(g, tmp_path):
    spec = f"oxigraph:{tmp_path / 'store'}"
    assert main(["load", "--store", spec]) == 0
    with plankg.open(store=spec) as stored:
        assert list(stored.query("agency-workload")) == list(g.query("agency-workload"))
        assert [t["number"] for t in stored.tasks(agency="县发改局", role="配合")] == [49]
    with pytest.raises(PlanKGError):
        plankg.open(store=f"oxigraph:{tmp_path / 'nothing-here'}")
