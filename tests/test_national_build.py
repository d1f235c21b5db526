"""National documents in the graph: their identity, their measures and what the shapes make of
them (texts of our own; the real ones are in ``test_corpus_real``)."""

from __future__ import annotations

import json

from rdflib import Literal

from plankg.graph import iris
from plankg.graph.build import plan_graph
from plankg.graph.build.documents import document_iri
from plankg.graph.cli import main
from plankg.graph.iris import DCTERMS, PK, RDF
from plankg.graph.ontology import load_ontology, sector_labels
from plankg.graph.parse import parse_number, parse_plan
from plankg.graph.registry import load_registry
from plankg.graph.validate import validate_plan
from tests.test_parse_national import OPINION


def _graph(text: str):
    registry = load_registry()
    plan = parse_plan(text, source_file="opinion.md", registry=registry)
    return plan_graph(plan, registry=registry, sectors=sector_labels(load_ontology()))


def test_national_series_are_national_never_unresolved():
    registry = load_registry()
    for number in ("国发〔2019〕3号", "国办函〔2020〕11号", "发改财金〔2022〕271号", "财税〔2019〕13号",
                   "人社部发〔2018〕12号"):
        iri = str(document_iri(parse_number(number), registry=registry))
        assert iri.startswith(iris.BASE + "eli/cn/cn/"), iri
    local = str(document_iri(parse_number("晋市政办发〔2031〕99号"), registry=registry))
    assert "/unresolved/" in local


def test_an_opinion_is_a_plan_of_measures_with_its_ending_kept():
    g = _graph(OPINION)
    doc = iris.document(division="cn", year=2031, series_key="gf", serial=7)
    assert (doc, RDF.type, PK.Plan) in g
    assert len(set(g.subjects(RDF.type, PK.Measure))) == 3
    assert not set(g.subjects(RDF.type, PK.Task))
    assert (doc, PK.genre, iris.concept("genre", "several-opinions")) in g
    assert (doc, PK.closing, Literal("各地区、各部门要结合实际抓好落实。", lang="zh")) in g
    assert "国务院" in str(g.value(doc, PK.signature))
    assert len(set(g.subjects(RDF.type, PK.FramingPart))) == 2
    passed_by = g.value(doc, iris.ELI.passed_by)
    assert passed_by == iris.agency(division="cn", key="state-council")


def test_the_first_listed_rule_and_the_words_after_a_name_are_in_the_graph():
    text = OPINION.replace("（工业和信息化部、商务部等负责）",
                           "（工业和信息化部、商务部等负责，排在第一位的部门为牵头部门，下同）")
    g = _graph(text)
    doc = iris.document(division="cn", year=2031, series_key="gf", serial=7)
    assert str(g.value(doc, PK.firstListedLeads)) == "排在第一位的部门为牵头部门，下同"
    ruled = {str(g.value(a, PK.asWritten)) for a in g.subjects(PK.leadByListOrder, Literal(True))}
    assert ruled == {"工业和信息化部", "市场监管总局", "财政部"}
    followed = {str(g.value(a, PK.asWritten)): str(o) for a, o in g.subject_objects(PK.followedBy)}
    assert followed == {"商务部": "等"}


def test_suggestions_name_agencies_of_the_documents_own_level():
    g = _graph(OPINION.replace("市场监管总局负责", "示例监管总局负责"))
    node = iris.agency(division="cn", key="unregistered-" + iris.slug("示例监管总局"))
    closest = g.value(node, PK.closestRegisteredAgency)
    assert closest is not None and "/agency/cn/" in str(closest)
    collective = iris.agency(division="cn", key="unregistered-" + iris.slug("各省级人民政府"))
    assert g.value(collective, PK.closestRegisteredAgency) is None


def test_validation_says_what_it_took_the_document_for():
    report = validate_plan(parse_plan(OPINION, source_file="opinion.md"))
    assert report.conforms, [(f.line, f.message_en) for f in report.violations]
    assert report.kind["kind"] == "policy" and report.kind["genre"] == "several-opinions"
    assert report.kind["zh"].startswith("按「国家级 · 若干意见」校验")
    # the same text as a plan must name agencies for every task
    plan = parse_plan(OPINION.replace("高质量发展的若干意见", "高质量发展三年行动计划").replace(
        "（市场监管总局负责）", ""), source_file="plan.md")
    report = validate_plan(plan)
    assert report.kind["kind"] == "plan"
    assert [f.shape.rsplit("#", 1)[-1] for f in report.violations] == ["TaskAgency"]


def test_the_source_address_of_a_copy_is_kept(tmp_path):
    text = "<!-- source: http://www.gov.cn/zhengce/example.htm (example) -->\n\n" + OPINION
    g = _graph(text)
    doc = iris.document(division="cn", year=2031, series_key="gf", serial=7)
    assert str(g.value(doc, DCTERMS.source)) == "http://www.gov.cn/zhengce/example.htm"


def test_tasks_from_a_source_lists_its_measures(tmp_path, capsys):
    path = tmp_path / "opinion.md"
    path.write_text(OPINION, encoding="utf-8")
    assert main(["tasks", "--source", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["title"], r["section"]) for r in rows] == [
        (3, "壮大示例主体", 2), (4, "完善示例标准", 2), (5, "加强示例保障", 3)]
    assert [(a["as_written"], a["role"]) for a in rows[2]["agencies"]] == [
        ("财政部", "responsible"), ("发展改革委", "responsible"),
        ("各省级人民政府", "responsible")]


def test_items_numbered_on_from_framing_parts_leave_no_gap_but_a_real_gap_is_reported():
    plan_text = OPINION.replace("高质量发展的若干意见", "高质量发展三年行动计划")
    assert not validate_plan(parse_plan(plan_text, source_file="plan.md")).violations
    gap = plan_text.replace("（四）完善示例标准。健全示例标准体系。（市场监管总局负责）\n", "")
    shapes = [f.shape.rsplit("#", 1)[-1]
              for f in validate_plan(parse_plan(gap, source_file="gap.md")).violations]
    assert shapes == ["NumberingGapShape"]


def test_a_gap_in_the_measures_of_an_opinion_is_reported_too():
    gap = OPINION.replace("（四）完善示例标准。健全示例标准体系。（市场监管总局负责）\n", "")
    report = validate_plan(parse_plan(gap, source_file="gap.md"))
    assert [(f.shape.rsplit("#", 1)[-1], f.line) for f in report.violations] == [
        ("NumberingGapShape", 26)]
