"""plankg validate: every shape fires on its own fixture, at the right node and line; the seed
plan conforms with exactly the expected warning; bad input is a clear error."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib.namespace import SH

from plankg.graph.errors import SourceParseError
from plankg.graph.validate import validate_file
from plankg.graph.validate.engine import shapes_graph
from tests.conftest import FIXTURES, SEED

SHAPES = FIXTURES / "shapes"
CASES = sorted(p for p in SHAPES.iterdir() if p.suffix in (".md", ".ttl"))


def _expected(path: Path) -> list[tuple[str, str, int, str | None]]:
    found = []
    for match in re.finditer(r"expect: (\w+) (\w+) (\d+)(?: (https?:\S+))?", path.read_text("utf-8")):
        found.append((match[1], match[2], int(match[3]), match[4]))
    return found


def _got(report) -> list[tuple[str, str, int]]:
    return [(f.severity, f.shape.rsplit("#", 1)[-1], f.line) for f in report.results]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_fixture_gives_exactly_its_expected_findings(path):
    report = validate_file(path)
    expected = _expected(path)
    assert Counter(_got(report)) == Counter((s, n, line) for s, n, line, _ in expected)
    for severity, name, line, focus in expected:
        if focus:
            assert any(f.shape.endswith("#" + name) and f.line == line and
                       focus in (f.focus, f.value) for f in report.results), (name, focus)
    assert report.conforms == (not any(s == "Violation" for s, *_ in expected))


def test_every_shape_has_a_fixture_that_makes_it_fire():
    shapes = shapes_graph()
    named = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(SH.sparql, None)}
    named |= {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(SH.path, None)}
    fired = {name for path in CASES for _, name, _, _ in _expected(path)}
    assert named - fired == set()


def test_seed_plan_conforms_with_exactly_one_warning():
    report = validate_file(SEED)
    assert report.conforms
    assert [(f.severity, f.line, f.task.rsplit("/", 1)[-1], f.message_en) for f in report.results] == [
        ("Warning", 131, "31",
         "the responsibility bracket has no role word (牵头, 配合, 负责): 县工信局、县住建局")]


def _results(report_graph):
    rows = set()
    for result in report_graph.subjects(SH.focusNode, None):
        messages = frozenset(str(m) for m in report_graph.objects(result, SH.resultMessage))
        rows.add((report_graph.value(result, SH.focusNode), report_graph.value(result, SH.value),
                  report_graph.value(result, SH.resultSeverity),
                  report_graph.value(result, SH.sourceShape), messages))
    return rows


@pytest.mark.parametrize("name", ["numbering-duplicate.md", "task-role-word.md", "rdf-labels.ttl",
                                  "agency-outside-registry.md", "rdf-document.ttl",
                                  "repeals-later.md"])
def test_oxigraph_sparql_constraints_agree_with_pyshacl(name):
    """The SPARQL-based constraints give the same results as pySHACL evaluating them itself."""
    from rdflib import Graph

    from plankg.graph.registry import load_registry
    from plankg.graph.validate import context_graph, load_graph_file
    from plankg.graph.validate.engine import run_shacl

    data, _ = load_graph_file(SHAPES / name)
    graph = Graph() + data
    graph += context_graph(load_registry())
    ours = run_shacl(graph)
    reference = run_shacl(graph, sparql_engine="pyshacl")
    assert ours[0] == reference[0]
    assert _results(ours[1]) == _results(reference[1])
    assert _results(ours[1])  # the fixture does make something fire


@pytest.mark.parametrize("content, suffix, message, line", [
    (b"", ".md", "the file is empty", 1),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ".md", "binary", 3),
    ("一、总体要求\n\n只有一段话。\n".encode(), ".txt", "no numbered tasks", 1),
    ("一、任务\n\n1. 第一项。内容。〔县财政局负责\n".encode(), ".md", "never closed", 3),
    (b"@prefix ex: <http://example.org/> .\nex:a ex:b \"unclosed .\n", ".ttl", "RDF syntax", 2),
    (b"{\"@context\": \"http://example.org/remote\", \"@id\": \"http://x/a\"}", ".jsonld",
     "remote JSON-LD context", None),
    (b"not a zip", ".docx", "not a valid .docx", None),
])
def test_unreadable_input_is_exit_2_with_a_reason(tmp_path, capsys, content, suffix, message,
                                                   line):
    from plankg.graph.cli import main

    path = tmp_path / f"input{suffix}"
    path.write_bytes(content)
    with pytest.raises(SourceParseError) as caught:
        validate_file(path)
    assert message in str(caught.value) and caught.value.line == line
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "input" in err and message in err and "Traceback" not in err


def test_input_files_are_not_changed(tmp_path):
    path = tmp_path / "plan.md"
    data = (SHAPES / "task-role-word.md").read_bytes()
    path.write_bytes(data)
    validate_file(path)
    assert path.read_bytes() == data and sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]


def _html_page(markdown: str) -> str:
    body = "\n".join(f"<p>{line}</p>" for line in markdown.splitlines() if line.strip())
    return ("<!DOCTYPE html>\n<html><head><title>政府网站</title>\n<script>var x = '1. 假任务。';"
            "</script><style>p{}</style></head>\n<body>\n<div class=\"nav\">首页 &gt; 政策文件</div>\n"
            f"{body}\n</body></html>\n")


def _docx(markdown: str, path: Path) -> None:
    import zipfile
    from xml.sax.saxutils import escape
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(line)}</w:t></w:r></w:p>"
                         for line in markdown.splitlines() if line.strip())
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml",
                   f"<w:document xmlns:w=\"{ns}\"><w:body>{paragraphs}</w:body></w:document>")


def test_html_and_docx_give_the_same_plan_as_the_text(tmp_path):
    from plankg.graph.parse import parse_plan
    from plankg.graph.validate.inputs import read_input

    source = FIXTURES / "plans" / "qinshui-2023.md"
    markdown = source.read_text(encoding="utf-8")
    (tmp_path / "plan.html").write_text(_html_page(markdown), encoding="utf-8")
    _docx(markdown, tmp_path / "plan.docx")
    want = parse_plan(markdown, source_file="plan.md")
    for name in ("plan.html", "plan.docx"):
        text = read_input(tmp_path / name).text
        got = parse_plan(text, source_file=name)
        assert [(t.number, t.heading, t.text, [(a.as_written, a.role) for a in t.assignments])
                for t in got.tasks] == [
            (t.number, t.heading, t.text, [(a.as_written, a.role) for a in t.assignments])
            for t in want.tasks]
        assert (got.number, got.title, got.date) == (want.number, want.title, want.date)


def test_findings_point_into_the_html_file(tmp_path):
    markdown = (SHAPES / "task-role-word.md").read_text(encoding="utf-8")
    page = tmp_path / "plan.html"
    page.write_text(_html_page(markdown), encoding="utf-8")
    [finding] = validate_file(page).results
    html_line = page.read_text(encoding="utf-8").splitlines()[finding.line - 1]
    assert "2. 第二项任务。" in html_line


def test_against_the_built_graph_reports_changes_and_warnings():
    from plankg.graph.publish import load_release

    report = validate_file(FIXTURES / "plans" / "qinshui-2023.md", against=load_release())
    assert report.conforms
    changes = report.changes
    assert changes["previous"] == "沁政办发〔2022〕33号"
    # the same pairs as tests/test_diff.py: 3 → 2 and 58 → 11 carried over under new headings
    assert [t["heading"] for t in changes["added"]] == ["提升普惠金融服务水平"]
    assert len(changes["carried"]) == 15 and len(changes["dropped"]) == 66 - 15
    assert [(t["indicator"], t["old"], t["new"], t["change"]) for t in changes["targets"]] == [
        ("5G基站", 40.0, 50.0, "raised"), ("3岁以下婴幼儿托位数", 500.0, 600.0, "raised")]
    # it repeals 沁政办发〔2022〕33号 and states a basis of its own year: no warning about either
    assert not [f for f in report.results if "RepealsPreviousYear" in (f.shape or "")]


def test_against_warns_when_last_year_is_not_repealed(tmp_path):
    from plankg.graph.publish import load_release

    text = (FIXTURES / "plans" / "qinshui-2023.md").read_text(encoding="utf-8")
    cut = text.replace("同时废止", "继续有效")
    path = tmp_path / "no-repeal.md"
    path.write_text(cut, encoding="utf-8")
    report = validate_file(path, against=load_release())
    names = [f.shape.rsplit("#", 1)[-1] for f in report.results if f.severity == "Warning"]
    assert "RepealsPreviousYear" in names
    assert report.conforms  # warnings only


def test_against_a_store_reads_only_the_previous_plan_and_agrees_with_the_graph(backend_store):
    """On every backend: the plans' headers, then the previous plan's records, give the same
    report as the whole graph."""
    from plankg.graph import iris
    from plankg.graph.iris import PK
    from plankg.graph.publish import load_release

    new_year = FIXTURES / "plans" / "qinshui-2023.md"
    headers, read_plan = backend_store.plans_to_compare()  # what the CLI uses
    asked: list[str] = []

    def plan_context(plan):
        asked.append(str(plan))
        return read_plan(plan)

    assert not list(headers.subjects(PK.hasTarget))  # headers only: no task, no goal
    from_store = validate_file(new_year, against=headers, plan_context=plan_context)
    whole = validate_file(new_year, against=load_release())
    assert asked == [str(iris.document(division="140521", year=2022, series_key="qzbf",
                                       serial=33))]
    assert from_store.as_dict() == whole.as_dict() and from_store.changes["carried"]


def test_cli_against_a_store(tmp_path, capsys):
    from plankg.graph.cli import main

    store = f"oxigraph:{tmp_path / 'store'}"
    new_year = str(FIXTURES / "plans" / "qinshui-2023.md")
    assert main(["validate", new_year, "--against", "store", "--store", store]) == 2
    assert "the folder does not exist" in capsys.readouterr().err  # said, not made
    assert not (tmp_path / "store").exists()
    import pyoxigraph as ox

    from plankg.graph.backends import open_store
    other = tmp_path / "other.nq"  # a store that holds something, but no plan
    other.write_text('<https://example.org/a> <https://example.org/b> "c" '
                     '<https://example.org/g> .\n', encoding="utf-8")
    backend = open_store(store)
    backend.load_file(other, fmt=ox.RdfFormat.N_QUADS)
    backend.close()
    assert main(["validate", new_year, "--against", "store", "--store", store]) == 2
    assert "the store holds no plans" in capsys.readouterr().err
    assert main(["load", "--store", store]) == 0
    capsys.readouterr()
    assert main(["validate", new_year, "--against", "store", "--store", store]) == 0
    out = capsys.readouterr().out
    assert "沁政办发〔2022〕33号" in out and "5G基站" in out


def test_cli_formats(capsys):
    import json

    from plankg.graph.cli import main

    assert main(["validate", str(SHAPES / "task-support-only.md"), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["conforms"] is False
    [result] = data["results"]
    assert set(result) >= {"severity", "focus", "path", "message_zh", "message_en", "line"}
    assert main(["validate", str(SEED), "--format", "ttl"]) == 0
    assert "sh:ValidationReport" in capsys.readouterr().out
    assert main(["validate", str(SEED), str(SHAPES / "task-agency.md")]) == 1
    out = capsys.readouterr().out
    assert "任务 / task 31" in out and "任务 / task 2" in out


def test_plan_level_findings_name_only_their_own_plans_tasks(tmp_path):
    """A SPARQL constraint whose subquery did not project $this was answered for every plan of
    a many-plan graph (one finding per plan for each task); now each task is reported once, for
    its own plan."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from plankg.graph._ox import from_ox
    from plankg.graph.iris import PROV
    from plankg.graph.synth import write_corpus
    from plankg.graph.validate import validate_graph

    corpus = tmp_path / "corpus.nq"
    write_corpus(corpus, plans=12, seed=3)
    g = Graph()
    for q in ox.parse(path=str(corpus), format=ox.RdfFormat.N_QUADS):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    found = [f for f in validate_graph(g).results if f.shape.endswith("TaskRoleWordMissingShape")]
    assert found
    assert len({(f.focus, f.value) for f in found}) == len(found)
    for finding in found:
        assert g.value(URIRef(finding.value), PROV.wasDerivedFrom) == URIRef(finding.focus)
