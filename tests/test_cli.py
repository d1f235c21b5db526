"""The plankg command, run in-process through its main()."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from plankg.graph.cli import main
from tests.conftest import ROOT, SEED


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tasks_json_gives_all_66_tasks(capsys, expected_tasks):
    code, out, _ = run(capsys, "tasks", "--format", "json")
    assert code == 0
    tasks = json.loads(out)
    assert [t["number"] for t in tasks] == list(range(1, 67))
    for task, row in zip(tasks, expected_tasks):
        assert task["plan"] == "沁政办发〔2022〕33号"
        assert task["title"] == row["heading"]
        assert task["section"] == int(row["section"])
        printed = [tuple(e.split(":")) for e in row["agencies"].split("|")]
        assert [(a["as_written"], a["role"]) for a in task["agencies"]] == printed
        assert set(task) >= {"plan", "number", "title", "text", "section", "sector", "agencies",
                             "cites", "targets", "iri"}
    assert tasks[0]["sector"] is None and tasks[3]["sector"] == "现代金融"
    assert tasks[0]["cites"] == ["发改财金〔2022〕271号", "晋政办发〔2022〕33号"]
    assert tasks[48]["agencies"][4] == {
        "name": "县发展和改革局", "name_en": "Qinshui County Development and Reform Bureau",
        "role": "support", "as_written": "县发改局",
        "iri": "https://w3id.org/plankg/id/agency/140521/drc"}
    five_g = tasks[17]["targets"][0]
    assert (five_g["indicator"], five_g["value"], five_g["unit"]) == ("5G基站", 40.0, "个")


@pytest.mark.parametrize("argv, numbers", [
    (["--agency", "县发改局", "--role", "support"], [49]),
    (["--agency", "县发展和改革委员会"], [1, 3, 11, 12, 15, 18, 19, 25, 49, 50, 59, 60, 64]),
    (["--agency", "140521/post-qinshui", "--role", "lead"], [13]),
    (["--role", "unspecified"], [31]),
    (["--sector", "婴幼儿托育"], [49]),
    (["--sector", "real-estate"], [45, 46, 47, 48]),
    (["--plan", "沁政办发[2022]33号", "--sector", "Household services"], [41]),
])
def test_tasks_filters(capsys, argv, numbers):
    code, out, _ = run(capsys, "tasks", *argv, "--format", "json")
    assert code == 0
    assert [t["number"] for t in json.loads(out)] == numbers


def test_tasks_table_and_csv(capsys):
    code, out, _ = run(capsys, "tasks", "--agency", "人行沁水县支行")
    assert code == 0
    assert "编号 No." in out and "共 5 项任务 / 5 tasks" in out
    lines = out.splitlines()
    assert [ln.split()[0] for ln in lines[2:7]] == ["1", "4", "5", "7", "48"]
    code, out, _ = run(capsys, "tasks", "--format", "csv", "--role", "lead")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(r["number"]) for r in rows] == [13, 19, 26, 37, 39, 48, 49, 53, 54]


def test_unknown_names_suggest_the_closest(capsys):
    code, _, err = run(capsys, "tasks", "--agency", "县发该局")
    assert code == 2
    assert "县发该局" in err and "县发改局" in err and "did you mean" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "tasks", "--plan", "沁政办发〔2022〕34号")
    assert code == 2 and "沁政办发〔2022〕33号" in err


def test_tasks_from_a_source_file(capsys, tmp_path):
    code, out, _ = run(capsys, "tasks", "--source", str(SEED), "--format", "json")
    assert code == 0 and len(json.loads(out)) == 66
    bad = tmp_path / "empty.md"
    bad.write_text("")
    code, _, err = run(capsys, "tasks", "--source", str(bad))
    assert code == 2 and "empty.md:1" in err and "文件为空" in err


def test_sparql(capsys, tmp_path):
    query = ("SELECT ?n WHERE { ?t a pk:Task ; eli:number ?n ; pk:leadAgency ?a . "
             "?a skos:prefLabel \"邮政沁水分公司\"@zh } ORDER BY ?n")
    code, out, _ = run(capsys, "sparql", query, "--format", "sparql-json")
    assert code == 0
    assert [b["n"]["value"] for b in json.loads(out)["results"]["bindings"]] == ["13"]
    code, out, _ = run(capsys, "sparql", query, "--format", "json")
    assert json.loads(out) == [{"n": "13"}]
    file = tmp_path / "q.rq"
    file.write_text("ASK { ?d eli:id_local \"发改财金〔2022〕271号\" }")
    code, out, _ = run(capsys, "sparql", "-f", str(file))
    assert (code, out.strip()) == (0, "true")
    code, out, _ = run(capsys, "sparql", "CONSTRUCT { ?t pk:heading ?h } WHERE "
                       "{ ?t eli:number \"13\" ; pk:heading ?h }", "--format", "ttl")
    assert code == 0 and "完善寄递末端网络" in out
    code, _, err = run(capsys, "sparql", "SELECT ?x WHERE { ?x ")
    assert code == 2 and "SPARQL" in err and "Traceback" not in err


def test_build_check_says_the_release_is_current(capsys):
    code, out, _ = run(capsys, "build", "--check")
    assert code == 0 and "up to date" in out


def test_build_writes_release_files(capsys, tmp_path):
    code, out, _ = run(capsys, "build", "--out", str(tmp_path))
    assert code == 0
    assert (tmp_path / "plankg.trig").read_bytes() == (
        ROOT / "graph" / "release" / "plankg.trig").read_bytes()
    for stage in ("parse", "build", "reason", "write", "total"):
        assert re.search(rf"{stage}: \d+ ms", out)


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from plankg.service.cli import _parser
    commands = _parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"plankg {name}" in readme, name


def test_query_and_queries(capsys):
    code, out, _ = run(capsys, "queries")
    assert code == 0
    for name in ("task-lineage", "tasks-by-agency", "checks/support-only-task-violation"):
        assert name in out
    assert "agency:agency role:role?" in out
    code, out, _ = run(capsys, "query", "tasks-by-agency", "-p", "agency=邮政沁水分公司",
                       "--format", "json")
    assert code == 0 and [r["number"] for r in json.loads(out)] == ["11", "13"]
    code, out, _ = run(capsys, "query", "find-document", "--param", "number=晋市政办[2022]24号",
                       "--format", "sparql-json")
    binding = json.loads(out)["results"]["bindings"][0]
    assert binding["document"] == {"type": "uri", "value":
                                   "https://w3id.org/plankg/eli/cn/140500/2022/jszb-24"}
    code, out, _ = run(capsys, "query", "agency-workload", "--format", "csv")
    assert out.splitlines()[1].split(",")[2:4] == ["县工信局", "26"]
    code, _, err = run(capsys, "query", "tasks-by-agency", "-p", "agency")
    assert code == 2 and "K=V" in err


def test_lineage_shortcut(capsys):
    code, out, _ = run(capsys, "lineage", "1")
    assert code == 0
    for number in ("发改财金〔2022〕271号", "晋政办发〔2022〕33号", "晋市政办〔2022〕24号",
                   "晋政办发〔2022〕35号"):
        assert number in out
    assert "implementsMeasure" in out and "共 8 行 / 8 rows" in out
    code, _, err = run(capsys, "lineage", "99")
    assert code == 2 and "has no task 99" in err


def test_check_command(capsys):
    code, out, _ = run(capsys, "check")
    assert code == 0 and out.count("通过 / pass") == 7


def test_tasks_from_html_and_rdf_sources(capsys, tmp_path):
    from tests.test_validate import _html_page

    page = tmp_path / "plan.html"
    page.write_text(_html_page(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, _ = run(capsys, "tasks", "--source", str(page), "--format", "json")
    assert code == 0 and [t["number"] for t in json.loads(out)] == list(range(1, 67))
    turtle = tmp_path / "plan.ttl"
    turtle.write_text((ROOT / "graph" / "release" / "plankg.ttl").read_text(encoding="utf-8"),
                      encoding="utf-8")
    code, out, _ = run(capsys, "tasks", "--source", str(turtle), "--role", "lead",
                       "--format", "json")
    assert code == 0 and [t["number"] for t in json.loads(out)] == [13, 19, 26, 37, 39, 48, 49,
                                                                  53, 54]
