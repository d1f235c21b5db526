"""plankg ingest: parent documents as graphs of pk:Measure, their alignment with the county plan,
the lineage they give once loaded beside the release, and the curated link of task 1 to the
provincial plan's task 1."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from plankg.graph import iris
from plankg.graph.errors import RegistryError
from plankg.graph.ingest import ingest, newest_county_plan
from plankg.graph.iris import CV, ELI, PK, RDF
from plankg.graph.parse.text import SourceText
from plankg.graph.publish import load_release
from plankg.graph.queries import run_named
from plankg.graph.sparql import to_records
from plankg.graph.validate import validate_graph
from tests.conftest import FIXTURES, SEED

PROVINCE = FIXTURES / "alignment" / "province-2022.md"
GROUPED = FIXTURES / "ingest" / "national-grouped.md"
ITEMS = FIXTURES / "ingest" / "national-items.md"
RESTARTING = FIXTURES / "plans" / "province-style.md"  # numbering restarts in each section
COUNTY = "沁政办发〔2022〕33号"
P99 = iris.document(division="140000", year=2022, series_key="jzbf", serial=99)
N9 = iris.document(division="cn", year=2022, series_key="fgsl", serial=9)
N5 = iris.document(division="cn", year=2022, series_key="yfsl", serial=5)
Q33 = iris.document(division="140521", year=2022, series_key="qzbf", serial=33)
ALIGNMENT_99 = str(iris.alignment_graph(Q33, P99))


@pytest.fixture(scope="module")
def province() -> dict[str, Graph]:
    return ingest(PROVINCE, child=COUNTY)


def _own(graphs: dict[str, Graph], doc: URIRef) -> Graph:
    return graphs[str(iris.document_graph(doc))]


def _measures(g: Graph) -> list[URIRef]:
    return sorted(g.subjects(RDF.type, PK.Measure), key=str)


def test_the_provincial_plan_becomes_35_measures(province):
    assert sorted(province) == sorted([str(iris.document_graph(P99)), ALIGNMENT_99])
    g = _own(province, P99)
    measures = _measures(g)
    assert len(measures) == 35 and not list(g.subjects(RDF.type, PK.Task))
    assert sorted(int(g.value(m, ELI.number)) for m in measures) == list(range(1, 36))
    assert set(g.objects(P99, RDF.type)) == {ELI.LegalResource}  # a parent, not a plan
    assert g.value(P99, ELI.id_local) == Literal("晋政办发〔2022〕99号")
    assert g.value(P99, PK.level) == iris.concept("level", "province")
    for n, heading, section in [(1, "全面落实服务业普惠性纾困扶持措施", 2),
                                (12, "加快5G网络和算力设施建设", 4), (35, "加强统计监测", 7)]:
        m = iris.task(P99, n)
        assert g.value(m, PK.heading) == Literal(heading, lang="zh")
        assert g.value(m, PK.directlyPartOf) == iris.section(P99, section)
    first = iris.task(P99, 1)
    assert [str(g.value(a, PK.asWritten)) for a in sorted(g.objects(first, CV.hasParticipation))
            ][:2] == ["省发展改革委", "省财政厅"]


def test_a_national_set_of_measures_grouped_under_headings():
    (name, g), = ingest(GROUPED).items()
    assert name == str(iris.document_graph(N9))
    assert len(_measures(g)) == 12
    assert g.value(N9, PK.level) == iris.concept("level", "national")
    assert g.value(N9, ELI.passed_by) == iris.agency(division="cn", key="ndrc")
    three, eleven = iris.task(N9, 3), iris.task(N9, 11)
    assert g.value(three, PK.heading) == Literal("减免国有房屋租金", lang="zh")
    assert g.value(three, PK.directlyPartOf) == iris.section(N9, 1)  # as a plan's task: 一、
    group = iris.section(N9, 1, sub=2)  # the group heading （二） is kept, below its section
    assert g.value(group, PK.heading) == Literal("降低经营成本", lang="zh")
    assert g.value(group, PK.directlyPartOf) == iris.section(N9, 1)
    assert g.value(eleven, PK.heading) == Literal("分区分级精准防控", lang="zh")
    assert g.value(eleven, PK.directlyPartOf) == iris.section(N9, 3)
    assert g.value(iris.section(N9, 2, sub=1), PK.heading) == Literal("餐饮业", lang="zh")
    four = iris.assignment(iris.task(N9, 4), 1)
    assert (iris.agency(division="cn", key="ndrc"), CV.playsRole, four) in g
    assert g.value(four, CV.role) == iris.concept("role", "responsible")


def test_a_national_set_of_measures_numbered_with_items_only():
    (_, g), = ingest(ITEMS).items()
    headings = {str(m).split("yfsl-5/")[1]: str(g.value(m, PK.heading)) for m in _measures(g)}
    assert headings == {"section/1/task/1": "保持服务业信贷总量稳定增长",
                        "section/1/task/2": "用好再贷款再贴现",
                        "section/1/task/3": "合理延期还本付息",
                        "section/2/task/1": "降低支付手续费", "section/2/task/2": "提升融资效率"}
    assert g.value(N5, ELI.passed_by) == iris.agency(division="cn", key="pboc")
    assert str(g.value(N5, ELI.date_document)) == "2022-05-10"


@pytest.mark.parametrize("path", [PROVINCE, GROUPED, ITEMS], ids=lambda p: p.name)
def test_offsets_give_back_every_character_of_the_text(path):
    text = path.read_text(encoding="utf-8")
    source = SourceText(text, file=path.name)
    (g, *_) = ingest(path).values()
    for m in _measures(g):
        start, end = int(g.value(m, PK.startOffset)), int(g.value(m, PK.endOffset))
        assert text[start:end] == str(g.value(m, PK.text))
        assert int(g.value(m, PK.sourceLine)) == source.line_of(start)
        assert str(g.value(m, PK.sourceFile)) == path.name


@pytest.mark.parametrize("path", [PROVINCE, GROUPED, ITEMS], ids=lambda p: p.name)
def test_the_ingested_graph_conforms_to_the_shapes(path):
    (g, *_) = ingest(path).values()
    report = validate_graph(g, file=path.name)
    assert report.conforms and report.results == []


def test_alignment_targets_are_the_ingested_measures_even_where_numbering_restarts():
    graphs = ingest(RESTARTING, child=COUNTY)
    p20 = iris.document(division="140000", year=2023, series_key="jzbf", serial=20)
    own, links = _own(graphs, p20), graphs[str(iris.alignment_graph(Q33, p20))]
    targets = set(links.objects(None, PK.alignmentTarget))
    assert targets and all((t, RDF.type, PK.Measure) in own for t in targets)
    task64 = set(links.objects(iris.task(Q33, 64), PK.alignedWith))
    # 5.2 完善统计监测; not 5.1 加强统筹调度, which shared only the boilerplate 加强 (issue 15)
    assert task64 == {iris.task(p20, 2, section_no=5)}


def _lineage_hop0(graphs: dict[str, Graph]) -> list[tuple]:
    ds: Dataset = load_release()
    for name, g in graphs.items():
        target = ds.graph(URIRef(name))
        for triple in g:
            target.add(triple)
    rows = to_records(run_named(ds, "task-lineage", {"number": "1"}))
    return [(r["relation"], r["evidence"], r["score"], r["level"], r["doc_number"], r["title"])
            for r in rows if r["hop"] == 0]


CURATED_35 = ("implementsMeasure", "curated", None, "province", "晋政办发〔2022〕35号",
              "全面落实服务业普惠性纾困扶持措施")
STATED = [("ensures_implementation_of", "stated", None, "national", "发改财金〔2022〕271号",
           "关于促进服务业领域困难行业恢复发展的若干政策"),
          ("ensures_implementation_of", "stated", None, "province", "晋政办发〔2022〕33号",
           "山西省促进服务业领域困难行业恢复发展的若干措施")]


def test_lineage_of_task_1_shows_the_ingested_measure_at_hop_0(province):
    assert _lineage_hop0(province) == [*STATED, CURATED_35, (
        "alignedWith", "inferred", 0.838, "province", "晋政办发〔2022〕99号",
        "全面落实服务业普惠性纾困扶持措施")]


def test_an_accepted_review_makes_the_link_curated(tmp_path):
    reviewed = tmp_path / "reviewed.csv"
    reviewed.write_text("child_task,parent_measure,decision,reviewer,date\n"
                        "1,1,accept,研究员甲,2026-11-25\n", encoding="utf-8")
    graphs = ingest(PROVINCE, child=COUNTY, review=reviewed)
    assert _lineage_hop0(graphs) == [*STATED, CURATED_35, (
        "implementsMeasure", "curated", 0.838, "province", "晋政办发〔2022〕99号",
        "全面落实服务业普惠性纾困扶持措施")]
    links = graphs[ALIGNMENT_99]
    assert (iris.task(Q33, 1), PK.implementsMeasure, iris.task(P99, 1)) in links


def test_cli_ingest_writes_trig(tmp_path, capsys):
    from plankg.graph.cli import main

    out = tmp_path / "province.trig"
    assert main(["ingest", str(PROVINCE), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"35 measures, 23 links from the tasks of {COUNTY} (0 accepted)" in err
    quads = list(ox.parse(out.read_bytes(), format=ox.RdfFormat.TRIG))
    assert {q.graph_name.value for q in quads} == {str(iris.document_graph(P99)), ALIGNMENT_99}
    assert newest_county_plan() == COUNTY
    assert main(["ingest", str(ITEMS)]) == 0  # no --out: TriG on standard output
    printed = capsys.readouterr().out
    assert len({q.graph_name.value for q in ox.parse(printed.encode(), format=ox.RdfFormat.TRIG)
                }) == 1  # no link from the county plan: its alignment graph is empty


def test_cli_ingest_into_a_store_is_idempotent(tmp_path, capsys):
    from plankg.graph.backends import open_store
    from plankg.graph.cli import main

    spec = f"oxigraph:{tmp_path / 'store'}"
    counts = []
    for _ in range(2):
        assert main(["ingest", str(PROVINCE), "--store", spec]) == 0
        backend = open_store(spec)
        counts.append((backend.count(), sorted(backend.graph_names())))
        backend.close()
    assert counts[0] == counts[1]
    assert counts[0][1] == sorted([str(iris.document_graph(P99)), ALIGNMENT_99,
                                   str(iris.MANIFEST_GRAPH)])


@pytest.mark.parametrize("args, message", [
    (["@missing.md"], "missing.md: 无法读取文件"),
    (["@empty.md"], "empty.md:1: 未找到编号任务或措施"),
    ([str(PROVINCE), "--child", "沁政办发〔2021〕10号"], "unknown plan: 沁政办发〔2021〕10号"),
    ([str(SEED)], "qinshui-2022-service-plan.md:5: 沁政办发〔2022〕33号 已是图中的规划"),
    ([str(PROVINCE), "--review", "@bad.csv"], "bad.csv:2: 审核结论只能是 accept 或 reject"),
    ([str(PROVINCE), "--out", "@nowhere/x.trig"], "cannot write"),
])
def test_cli_ingest_bad_input_is_exit_2_without_a_traceback(tmp_path, capsys, args, message):
    from plankg.graph.cli import main

    (tmp_path / "empty.md").write_text("一、总体要求\n\n只有一段话。\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("child_task,parent_measure,decision\n1,1,maybe\n",
                                      encoding="utf-8")
    args = [str(tmp_path / a[1:]) if a.startswith("@") else a for a in args]  # @: in tmp_path
    assert main(["ingest", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_curated_link_of_task_1_to_the_provincial_task_1(built):
    provincial = iris.document(division="140000", year=2022, series_key="jzbf", serial=35)
    measure = iris.task(provincial, 1)
    curated = built.dataset.graph(iris.curated_graph("relations"))
    assert (iris.task(Q33, 1), PK.implementsMeasure, measure) in curated
    assert curated.value(measure, PK.heading) == Literal("全面落实服务业普惠性纾困扶持措施",
                                                         lang="zh")
    rows = [r for r in to_records(run_named(built.dataset, "task-lineage", {"number": "1"}))
            if r["relation"] == "implementsMeasure"]
    assert [(r["hop"], r["evidence"], r["doc_number"], r["document"]) for r in rows] == [
        (0, "curated", "晋政办发〔2022〕35号", str(measure))]
    assert rows[0]["source"].startswith(
        "http://swt.shanxi.gov.cn/ztzl/scztbzzl/202211/t20221117_7445956.shtml; 编辑判断 / "
        "editorial judgement: ")


def test_a_curated_task_link_names_both_tasks():
    from plankg.graph.registry import _relation

    row = next(csv.DictReader(io.StringIO(
        "subject,subject_task,relation,object,object_task,object_heading,source\n"
        "沁政办发〔2022〕33号,1,implementsMeasure,晋政办发〔2022〕35号,,,a note\n")))
    with pytest.raises(RegistryError) as caught:
        _relation(row, line=2)
    assert (caught.value.file, caught.value.line) == ("relations.csv", 2)

