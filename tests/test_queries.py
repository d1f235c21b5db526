"""Named queries: headers, parameter use, and their answers on the seed plan, worked out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Variable
from rdflib.plugins.sparql import prepareQuery

from plankg.graph.errors import QueryArgumentError, UnknownNameError
from plankg.graph.publish import load_release
from plankg.graph.queries import load_queries, run_checks, run_named
from plankg.graph.sparql import to_records
from plankg.graph.store import _walk  # the algebra walker the store uses to inspect queries
from tests.conftest import FIXTURES, ROOT

DOC = "https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33"


@pytest.fixture(scope="module")
def g():
    return load_release()


def rows(g, name, **params):
    return to_records(run_named(g, name, params))


def _triple_variables(algebra) -> set[Variable]:
    found = set()
    for node in _walk(algebra):
        if node.name == "BGP":
            for triple in node.triples:
                found |= {t for t in triple if isinstance(t, Variable)}
    return found


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_header_matches_the_query(name):
    query = load_queries()[name]
    assert Path(query.file).stem == name.split("/")[-1]
    algebra = prepareQuery(query.text).algebra
    assert tuple(str(v) for v in algebra["PV"]) == query.returns
    assert any(n.name == "OrderBy" for n in _walk(algebra)), "every SELECT has an ORDER BY"
    used = _triple_variables(algebra)
    for param in query.params:
        assert Variable(param.name) in used, f"{param.name} is not in a triple pattern"
    assert "PREFIX" in query.text  # pastes into any SPARQL client as it is


def test_no_query_text_is_built_by_string_formatting():
    keywords = re.compile(r"\b(SELECT|CONSTRUCT|WHERE\s*\{|PREFIX|ASK\s*\{)")
    formatting = re.compile(r"""(\bf["']|\.format\(|%\s*\(|["']\s*\+|\+\s*["'])""")
    offenders = []
    for folder in ("graph", "service"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if keywords.search(line) and formatting.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_task_lineage_of_task_1(g):
    got = [(r["hop"], r["from_number"], r["relation"], r["evidence"], r["level"], r["doc_number"])
           for r in rows(g, "task-lineage", number="1")]
    assert got == [
        (0, "1", "ensures_implementation_of", "stated", "national", "发改财金〔2022〕271号"),
        (0, "1", "ensures_implementation_of", "stated", "province", "晋政办发〔2022〕33号"),
        (0, "1", "implementsMeasure", "curated", "province", "晋政办发〔2022〕35号"),
        (1, "1", "is_part_of", "stated", "county", "沁政办发〔2022〕33号"),
        (1, "沁政办发〔2022〕33号", "based_on", "stated", "city", "晋市政办〔2022〕24号"),
        (2, "晋市政办〔2022〕24号", "based_on", "curated", "province", "晋政办发〔2022〕35号"),
        (2, "晋政办发〔2022〕35号", "cites", "curated", "national", "发改财金〔2022〕271号"),
        (2, "晋政办发〔2022〕35号", "ensures_implementation_of", "curated", "national",
         "发改财金〔2022〕271号"),
    ]
    assert rows(g, "task-lineage", number="1", plan="沁政办发[2022]33号") == rows(
        g, "task-lineage", number="1")


def test_task_lineage_of_a_task_without_citations(g):
    got = [(r["hop"], r["relation"], r["doc_number"]) for r in rows(g, "task-lineage", number="5")]
    assert got == [(1, "is_part_of", "沁政办发〔2022〕33号"), (1, "based_on", "晋市政办〔2022〕24号"),
                   (2, "based_on", "晋政办发〔2022〕35号"), (2, "cites", "发改财金〔2022〕271号"),
                   (2, "ensures_implementation_of", "发改财金〔2022〕271号")]


def test_document_implementers(g):
    got = [(r["plan"], r["part_number"], r["relation"], r["evidence"])
           for r in rows(g, "document-implementers", document="发改财金〔2022〕271号")]
    assert got == [("晋政办发〔2022〕35号", None, "cites", "curated"),
                   ("晋政办发〔2022〕35号", None, "ensures_implementation_of", "curated"),
                   ("沁政办发〔2022〕33号", "1", "ensures_implementation_of", "stated")]
    city = rows(g, "document-implementers", document="晋市政办〔2022〕24号")
    assert [(r["part"], r["relation"]) for r in city] == [(DOC, "based_on")]


def test_tasks_by_agency(g):
    got = rows(g, "tasks-by-agency", agency="县发改局")
    assert [r["number"] for r in got] == ["1", "3", "11", "12", "15", "18", "19", "25", "49",
                                          "50", "59", "60", "64"]
    assert {r["as_written"] for r in got} == {"县发展和改革局", "县发改局", "县发展和改革委员会"}
    support = rows(g, "tasks-by-agency", agency="县教育局", role="配合")
    assert [r["number"] for r in support] == ["39", "49", "53", "54"]


def test_agency_workload(g):
    got = rows(g, "agency-workload")
    assert len(got) == 30
    top = got[0]
    assert (top["name"], top["total"], top["lead"], top["support"], top["responsible"],
            top["unspecified"]) == ("县工信局", 26, 1, 3, 21, 1)
    by_name = {r["name"]: r for r in got}
    assert (by_name["邮政沁水分公司"]["total"], by_name["邮政沁水分公司"]["lead"]) == (2, 1)
    assert sum(r["total"] for r in got) == 163  # every agency entry, counted by hand


def test_co_responsible_agencies(g):
    got = rows(g, "co-responsible-agencies")
    pairs = {frozenset((r["name_a"], r["name_b"])): r["shared"] for r in got}
    assert pairs[frozenset(("县人社局", "县财政局"))] == 6  # tasks 1, 3, 22, 53, 54, 55
    assert pairs[frozenset(("人行沁水县支行", "晋城银保监分局沁水监管组"))] == 2  # tasks 1, 4
    assert got[0]["shared"] == 6


def test_sector_summary(g):
    got = {r["label"]: (r["tasks"], r["agencies"], r["targets"], r["pillar"])
           for r in rows(g, "sector-summary")}
    assert len(got) == 14
    assert got["现代商贸"] == (6, 6, 0, "生活性服务业")
    assert got["现代金融"] == (5, 3, 1, "生产性服务业")
    assert got["婴幼儿托育"] == (1, 5, 2, "生活性服务业")
    assert sum(v[0] for v in got.values()) == 48  # tasks 4-51


def test_targets(g):
    every = rows(g, "targets")
    assert len(every) == 16
    assert (every[0]["task_number"], every[0]["indicator"], every[0]["value"]) == (
        None, "服务业增加值增速", 9)
    childcare = rows(g, "targets", sector="婴幼儿托育")
    assert [(r["indicator"], r["value"], r["comparator"]) for r in childcare] == [
        ("3岁以下托位数", 500, "exact"), ("示范托育机构", 1, "at-least")]
    post = rows(g, "targets", agency="县民政局")
    assert [r["task_number"] for r in post] == ["42", "42", "42", "43"]
    both = rows(g, "targets", sector="real-estate", agency="县住建局")
    assert [(r["indicator"], r["value"], r["unit"]) for r in both] == [("商品房建设周期", 24, "个月")]


def test_citations_both_ways(g):
    out = rows(g, "citations", document="沁政办发〔2022〕33号")
    assert [(r["direction"], r["part_number"], r["relation"], r["other_number"]) for r in out] == [
        ("cites", None, "based_on", "晋市政办〔2022〕24号"),
        ("cites", None, "repeals", "沁政办函〔2021〕10号"),
        ("cites", "1", "implementsMeasure", None),  # curated: task 1 of 晋政办发〔2022〕35号
        ("cites", "1", "ensures_implementation_of", "发改财金〔2022〕271号"),
        ("cites", "1", "ensures_implementation_of", "晋政办发〔2022〕33号"),
        ("cites", "10", "ensures_implementation_of", "晋市政办发〔2022〕6号"),
    ]
    back = rows(g, "citations", document="晋政办发〔2022〕33号")
    assert [(r["direction"], r["part_number"], r["other_number"]) for r in back] == [
        ("cited_by", "1", "沁政办发〔2022〕33号")]


def test_supersession(g):
    out = rows(g, "supersession", document="沁政办函〔2021〕10号")
    assert [(r["number"], r["in_force"], r["status"], r["repeals"], r["repealed_by"],
             r["repeal_date"]) for r in out] == [
        ("沁政办函〔2021〕10号", False, "repealed", None, "沁政办发〔2022〕33号", "2022-08-24"),
        ("沁政办发〔2022〕33号", True, "in-force", "沁政办函〔2021〕10号", None, None)]


def test_series_history(g):
    got = [(r["number"], r["year"], r["status"], r["repeal_date"], r["repealed_by"], r["tasks"])
           for r in rows(g, "series-history", plan="沁政办发[2022]33号")]
    assert got == [("沁政办函〔2021〕10号", "2021", "repealed", "2022-08-24", "沁政办发〔2022〕33号", 0),
                   ("沁政办发〔2022〕33号", "2022", "in-force", None, None, 66)]
    assert rows(g, "series-history", plan="沁政办函〔2021〕10号") == rows(
        g, "series-history", plan="沁政办发〔2022〕33号")


def test_series_history_over_five_years():
    """The seed, then the fictional 2023, 2024 and 2025 plans, each repealing the one before."""
    from rdflib import URIRef

    from plankg.graph.validate import load_graph_file

    ds = load_release()
    for path in (FIXTURES / "plans" / "qinshui-2023.md", FIXTURES / "diff" / "qinshui-2024.md",
                 FIXTURES / "diff" / "qinshui-2025.md"):
        data, _ = load_graph_file(path)
        graph = ds.graph(URIRef(f"urn:test:{path.name}"))
        graph += data
    got = [(r["number"], r["status"], r["repeal_date"], r["repealed_by"], r["repealed_by_title"],
            r["tasks"]) for r in rows(ds, "series-history", plan="沁政办发〔2024〕7号")]
    assert got == [
        ("沁政办函〔2021〕10号", "repealed", "2022-08-24", "沁政办发〔2022〕33号",
         "沁水县推进服务业提质增效2022年行动计划", 0),
        ("沁政办发〔2022〕33号", "repealed", "2023-04-10", "沁政办发〔2023〕12号",
         "沁水县推进服务业提质增效2023年行动计划", 66),
        ("沁政办发〔2023〕12号", "repealed", "2024-03-18", "沁政办发〔2024〕7号",
         "沁水县推进服务业提质增效2024年行动计划", 16),
        ("沁政办发〔2024〕7号", "repealed", "2025-03-20", "沁政办发〔2025〕4号",
         "沁水县推进服务业提质增效2025年行动计划", 10),
        ("沁政办发〔2025〕4号", "in-force", None, None, None, 12)]


@pytest.mark.parametrize("typed", ["发改财金〔2022〕271号", "发改财金[2022]271号",
                                   "发改财金（2022）271 号", "发改财金【２０２２】271号"])
def test_find_document_tolerates_variants(g, typed):
    out = rows(g, "find-document", number=typed)
    assert [(r["number"], r["level"], r["issuer"], r["date"]) for r in out] == [
        ("发改财金〔2022〕271号", "national", "国家发展和改革委员会", "2022-02-18")]


def test_plans(g):
    assert [(r["number"], r["tasks"], r["level"]) for r in rows(g, "plans")] == [
        ("沁政办发〔2022〕33号", 66, "county")]


def test_parameter_errors(g):
    with pytest.raises(UnknownNameError, match="县发改局"):
        run_named(g, "tasks-by-agency", {"agency": "县发该局"})
    with pytest.raises(QueryArgumentError, match="missing required parameter agency"):
        run_named(g, "tasks-by-agency", {})
    with pytest.raises(QueryArgumentError, match="has no parameter colour"):
        run_named(g, "tasks-by-agency", {"agency": "县工信局", "colour": "red"})
    with pytest.raises(UnknownNameError, match="tasks-by-agency"):
        run_named(g, "tasks-by-agenci")
    with pytest.raises(QueryArgumentError, match="not a document number"):
        run_named(g, "find-document", {"number": "hello"})


def test_seed_passes_every_check(g):
    assert {name: len(a.rows) for name, a in run_checks(g).items() if a.rows} == {}


CHECKS = sorted(n for n, q in load_queries().items() if q.is_check)


def test_every_check_has_a_fixture():
    stems = {p.stem for p in (FIXTURES / "checks").glob("*.ttl")}
    assert {n.split("/")[-1] for n in CHECKS} == stems


@pytest.mark.parametrize("name", CHECKS)
def test_each_check_fires_on_its_fixture(name):
    path = FIXTURES / "checks" / f"{name.split('/')[-1]}.ttl"
    expected = re.findall(r"^# expect: (\S+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert expected, f"{path.name} states no expected focus"
    fixture = Graph().parse(path)
    focus = [r["focus"] for r in to_records(run_named(fixture, name))]
    assert focus == expected


@pytest.mark.parametrize("name", CHECKS)
def test_checks_agree_on_oxigraph_and_rdflib(name):
    path = FIXTURES / "checks" / f"{name.split('/')[-1]}.ttl"
    fixture = Graph().parse(path)
    ox_rows = run_checks(fixture)[name].rows
    rdflib_rows = run_checks(fixture, engine="rdflib")[name].rows
    assert ox_rows == rdflib_rows and ox_rows


PARAMS = {"task-lineage": {"number": "1"}, "document-implementers": {"document": "发改财金〔2022〕271号"},
          "tasks-by-agency": {"agency": "县工信局"}, "targets": {"sector": "婴幼儿托育"},
          "citations": {"document": "沁政办发〔2022〕33号"},
          "supersession": {"document": "沁政办函〔2021〕10号"},
          "find-document": {"number": "发改财金[2022]271号"},
          "series-history": {"plan": "沁政办发〔2022〕33号"},
          "indicator-history": {"indicator": "5G基站"}, "task-agencies": {"number": "49"},
          "tasks-by-sector": {"sector": "婴幼儿托育"}, "task-targets": {"number": "18"},
          "plan-documents": {"plan": "沁政办发〔2022〕33号"}}


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_named_queries_give_the_same_rows_on_every_backend(g, backend_store, name):
    """Every named query and check, on memory, Oxigraph and Virtuoso, gives exactly the rows of
    rdflib's engine on the built graph (bound with initBindings)."""
    from plankg.graph.queries import records_on_store, run_named_on_store

    on_rdflib = to_records(run_named(g, name, PARAMS.get(name, {})))
    on_backend = to_records(run_named_on_store(backend_store, name, PARAMS.get(name, {})))
    assert on_backend == on_rdflib
    assert on_rdflib or name.startswith("checks/")
    assert records_on_store(backend_store, name, PARAMS.get(name, {})) == on_rdflib
