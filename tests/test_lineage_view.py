"""Lineage that people can read (issue "A researcher's day"): ``plankg lineage`` prints a tree
within 100 columns, and the task page draws the lineage with no label over a label, a box or an
edge, no text cut off, no edge through a box it does not connect, and a kind line in each box.
The overlaps are computed from the SVG the page serves (tests/svg_geometry.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, URIRef

from plankg.graph.cli import main
from plankg.graph.ingest import ingest
from plankg.graph.lineage_view import lineage_tree
from plankg.graph.publish import load_release
from plankg.graph.queries import run_named
from plankg.graph.render import width
from plankg.graph.sparql import to_records
from plankg.graph.store import GraphStore
from plankg.service import create_app
from plankg.service.lineage_layout import _dot_source, _run_dot
from plankg.service.lineage_svg import lineage_svg
from tests.conftest import FIXTURES
from tests.svg_geometry import problems

COUNTY = "沁政办发〔2022〕33号"
PROVINCE = FIXTURES / "alignment" / "province-2022.md"
SVG = "{http://www.w3.org/2000/svg}"

# the drawing needs Graphviz's dot: skipped without it, unless PLANKG_REQUIRE_DOT=1 (as in CI)
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and os.environ.get("PLANKG_REQUIRE_DOT") != "1",
    reason="Graphviz's dot is not installed (set PLANKG_REQUIRE_DOT=1 to fail instead)")


def _with_parents(review=None) -> Dataset:
    """The release and the ingested provincial plan 99 aligned with the county plan, as the
    ingest tests load them: task 1 then also reaches measure 1 of 99 (proposed, or accepted)."""
    ds = load_release()
    for name, g in ingest(PROVINCE, child=COUNTY, review=review).items():
        target = ds.graph(URIRef(name))
        for triple in g:
            target.add(triple)
    return ds


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[str, Dataset]:
    reviewed = tmp_path_factory.mktemp("review") / "reviewed.csv"
    reviewed.write_text("child_task,parent_measure,decision,reviewer,date\n"
                        "1,1,accept,研究员甲,2026-11-25\n", encoding="utf-8")
    return {"release": load_release(), "proposed": _with_parents(),
            "reviewed": _with_parents(reviewed)}


def _widest(text: str) -> int:
    return max(width(line) for line in text.splitlines())


# The command line: a tree, 100 columns at most

def test_lineage_of_task_1_is_a_tree_within_100_columns(capsys):
    assert main(["lineage", "1"]) == 0
    out = capsys.readouterr().out
    assert _widest(out) <= 100  # the table was 408 columns wide
    lines = out.splitlines()
    assert lines[0] == f"任务 Task 1 · {COUNTY}"
    assert "├─ 落实措施 implementsMeasure → 晋政办发〔2022〕35号 任务 Task 1" in lines
    chain = [line.split("─ ", 1)[1] for line in lines if "based_on →" in line]
    assert chain == ["依据 based_on → 规划 Plan 晋市政办〔2022〕24号",
                     "依据 based_on → 规划 Plan 晋政办发〔2022〕35号"]
    assert any(line.startswith("      └─ 依据 based_on") for line in lines)  # under the city's
    assert lines[-1] == "共 8 行 / 8 rows"


@pytest.mark.parametrize("name", ["release", "proposed", "reviewed"])
def test_every_task_of_the_seed_plan_fits_in_100_columns(datasets, name):
    widest = {n: _widest(lineage_tree(to_records(run_named(
        datasets[name], "task-lineage", {"number": str(n)})))) for n in range(1, 67)}
    assert max(widest.values()) <= 100, {n: w for n, w in widest.items() if w > 100}


def test_the_tree_wraps_to_a_narrower_limit(datasets):
    steps = to_records(run_named(datasets["proposed"], "task-lineage", {"number": "1"}))
    tree = lineage_tree(steps, limit=60)
    assert _widest(tree) <= 60
    assert "内容对齐 alignedWith → 晋政办发〔2022〕99号 条目 Item 1" in tree
    assert "推断 inferred 0.838" in tree


def test_the_data_formats_are_unchanged(capsys):
    assert main(["lineage", "1", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 8 and list(records[0])[:4] == ["plan", "plan_number", "number", "hop"]
    assert main(["lineage", "1", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("plan,plan_number,number,hop,")
    assert main(["lineage", "1", "--format", "sparql-json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]["bindings"]) == 8


# The drawing on the task page

def _page_svg(client: TestClient, number: int) -> str:
    response = client.get(f"/tasks/{number}?plan={quote(COUNTY)}")
    assert response.status_code == 200
    return re.search(r"<svg.*?</svg>", response.text, re.DOTALL).group(0)


@pytest.fixture(scope="module")
def clients(datasets) -> dict[str, TestClient]:
    return {name: TestClient(create_app(GraphStore.of(ds))) for name, ds in datasets.items()}


@needs_dot
@pytest.mark.parametrize("name, number", [("release", 1), ("release", 2), ("release", 5),
                                          ("release", 19), ("release", 66), ("proposed", 1),
                                          ("proposed", 10), ("reviewed", 1)])
def test_the_drawing_has_no_overlap(clients, name, number):
    assert problems(_page_svg(clients[name], number)) == []


@needs_dot
def test_every_box_says_what_it_is(clients):
    root = ET.fromstring(_page_svg(clients["proposed"], 1))
    boxes = {}
    for group in root.iter(SVG + "g"):
        if group.get("class") == "box":
            kind, number, _ = ("".join(t.itertext()) for t in group.iter(SVG + "text"))
            assert kind == group.get("data-kind")
            boxes.setdefault(number, []).append(kind)
    assert boxes == {COUNTY: ["任务 Task 1", "规划 Plan"],
                     "发改财金〔2022〕271号": ["政策文件 Policy"],
                     "晋政办发〔2022〕33号": ["政策文件 Policy"],
                     "晋政办发〔2022〕35号": ["任务 Task 1", "规划 Plan"],  # the plan and its task
                     "晋政办发〔2022〕99号": ["条目 Item 1"],  # its document is not in the answer
                     "晋市政办〔2022〕24号": ["规划 Plan"]}


@needs_dot
def test_edges_and_labels_say_how_we_know(clients):
    root = ET.fromstring(_page_svg(clients["proposed"], 1))
    dashes = {" | ".join(t.text for t in g.iter(SVG + "text")): g.find(SVG + "path").get(
        "stroke-dasharray") for g in root.iter(SVG + "g") if g.get("class") == "edge"}
    assert dashes["属于 is_part_of"] is None  # stated: solid
    assert dashes["落实措施 | implementsMeasure"] == "6 4"  # curated: dashed (a long label: 2 lines)
    assert dashes["内容对齐 alignedWith | 0.838"] == "2 3"  # inferred: dotted, with its score
    legend = [t.text for t in root.iter(SVG + "text")][-3:]
    assert legend == ["原文 stated", "整理 curated", "推断 inferred"]


def test_no_text_goes_to_dot():
    from plankg.service.lineage_layout import Link, Spot

    source = _dot_source([Spot("https://x/任务", 0, 200, 62), Spot("b", 1, 200, 62)],
                         [Link("https://x/任务", "b", (120, 17))])
    assert "任务" not in source and "https" not in source and 'WIDTH="120"' in source


def test_without_dot_the_page_says_so_and_keeps_the_table(datasets, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on it
    _run_dot.cache_clear()
    steps = to_records(run_named(datasets["release"], "task-lineage", {"number": "1"}))
    record = {"iri": steps[0]["task"], "number": 1, "plan": COUNTY, "title": ""}
    note = lineage_svg(record, steps)
    assert note.startswith('<p class="lineage-note"') and "Graphviz" in note
    page = TestClient(create_app(GraphStore.of(datasets["release"]))).get("/tasks/1")
    assert page.status_code == 200 and 'class="lineage-note"' in page.text
    assert '<table id="lineage">' in page.text
    _run_dot.cache_clear()


def _step(frm: str, doc: str, relation: str, level: str, number: str, title: str,
          evidence: str = "stated", score: float | None = None) -> dict:
    return {"plan_number": "某县发〔2022〕1号", "number": "3", "hop": 0, "from": frm,
            "from_number": "", "relation": relation, "evidence": evidence, "score": score,
            "level": level, "document": doc, "doc_number": number, "title": title,
            "source": "x.md:1", "task": TASK}


TASK, D = "https://w3id.org/plankg/eli/cn/1/2022/a-1/task/3", "https://w3id.org/plankg/eli/cn/"
AWKWARD = [  # steps between documents of one level, both ways; upward; a loop; an unknown level
    _step(TASK, D + "p/a-1", "is_part_of", "county", "某县发〔2022〕1号", "某县行动计划"),
    _step(TASK, D + "s/b-2", "cites", "province", "某省发〔2022〕2号", "某省若干措施"),
    _step(D + "s/b-2", D + "s/b-3", "cites", "province", "某省发〔2022〕3号", "某省实施方案",
          "curated"),
    _step(D + "s/b-3", D + "s/b-2", "cites", "province", "某省发〔2022〕2号", "某省若干措施"),
    _step(D + "s/b-3", D + "c/c-4", "based_on", "city", "某市发〔2022〕4号", "某市行动计划"),
    _step(D + "c/c-4", D + "x/y-5", "cites", "", "某〔2022〕5号", "某通知"),
    _step(TASK, D + "s/b-3/task/2", "alignedWith", "province", "某省发〔2022〕3号", "一项措施",
          "inferred", 0.71),
    _step(TASK, D + "s/b-3/task/2", "implementsMeasure", "province", "某省发〔2022〕3号",
          "一项措施", "curated"),
    _step(D + "p/a-1", D + "n/n-6", "ensures_implementation_of", "national", "国发〔2022〕6号",
          "国务院关于某事的意见"),
    _step(D + "p/a-1", D + "n/n-6", "cites", "national", "国发〔2022〕6号", "国务院关于某事的意见"),
    _step(D + "n/n-6", D + "n/n-6", "cites", "national", "国发〔2022〕6号", "国务院关于某事的意见"),
]


@needs_dot
def test_an_awkward_lineage_is_drawn_without_overlap():
    svg = lineage_svg({"iri": TASK, "number": 3, "plan": "某县发〔2022〕1号", "title": "某任务"},
                      AWKWARD)
    assert problems(svg) == []
    kinds = [g.get("data-kind") for g in ET.fromstring(svg).iter(SVG + "g")
             if g.get("class") == "box"]
    assert kinds == ["任务 Task 3", "规划 Plan", "政策文件 Policy", "规划 Plan", "规划 Plan",
                     "政策文件 Policy", "任务 Task 2", "政策文件 Policy"]


def test_an_awkward_lineage_is_a_tree_within_the_limit():
    tree = lineage_tree(AWKWARD, limit=72)
    assert _widest(tree) <= 72
    assert tree.count("（其上溯源见前 / its lineage is shown above）") == 2  # 2号 again, 6号 again
    assert "内容对齐 alignedWith → 某省发〔2022〕3号 任务 Task 2" in tree
