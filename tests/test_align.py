"""The aligner against a hand-made gold table: precision@1, recall, and no decoy matched."""

from __future__ import annotations

import csv

import pytest

from plankg.graph.align import THRESHOLD, align
from plankg.graph.parse import parse_file
from tests.conftest import FIXTURES, SEED

ALIGNMENT = FIXTURES / "alignment"


def _rows(name: str) -> list[dict[str, str]]:
    with open(ALIGNMENT / name, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="module")
def links():
    return align(parse_file(SEED), parse_file(ALIGNMENT / "province-2022.md"), top=3)


def test_precision_at_1_and_recall_on_the_gold_pairs(links):
    gold = {int(r["county_task"]): int(r["province_measure"]) for r in _rows("gold.tsv")}
    best = {r.child_task: r.parent_measure for r in links if r.rank == 1}
    proposed = {t: m for t, m in best.items() if t in gold}
    correct = sum(1 for t, m in proposed.items() if gold[t] == m)
    precision = correct / len(proposed)
    recall = correct / len(gold)
    print(f"precision@1 {precision:.2f}, recall {recall:.2f}, threshold {THRESHOLD}, "
          f"gold pairs {len(gold)}")
    assert precision >= 0.9
    assert recall >= 0.8


def test_no_decoy_is_matched_above_the_threshold(links):
    decoys = {int(r["province_measure"]) for r in _rows("decoys.tsv")}
    assert {r.parent_measure for r in links} & decoys == set()


def test_same_headings_rank_first(links):
    gold = [r for r in _rows("gold.tsv") if r["kind"] == "same-heading"]
    best = {r.child_task: r.parent_measure for r in links if r.rank == 1}
    assert {int(r["county_task"]): best.get(int(r["county_task"])) for r in gold} == {
        int(r["county_task"]): int(r["province_measure"]) for r in gold}


def test_cli_align(capsys):
    import json

    from plankg.graph.cli import main
    code = main(["align", "--child", "沁政办发[2022]33号", "--parent",
                 str(ALIGNMENT / "province-2022.md"), "--top", "1", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and rows
    assert set(rows[0]) >= {"child_task", "parent_measure", "rank", "score", "method"}


def test_tasks_without_a_counterpart_get_no_link(links):
    gold = {int(r["county_task"]) for r in _rows("gold.tsv")}
    assert sorted({r.child_task for r in links if r.rank == 1} - gold) == []


def test_review_round_trip(capsys, tmp_path):
    import csv as csvlib

    from rdflib import Graph, URIRef

    from plankg.graph.cli import main
    from plankg.graph.iris import PK

    parent = str(ALIGNMENT / "province-2022.md")
    assert main(["align", "--child", str(SEED), "--parent", parent, "--top", "1",
                 "--format", "csv"]) == 0
    rows = list(csvlib.DictReader(capsys.readouterr().out.splitlines()))
    assert rows and {"decision", "reviewer", "date"} <= set(rows[0])
    by_task = {r["child_task"]: r for r in rows}
    by_task["1"].update(decision="accept", reviewer="研究员甲", date="2026-11-25")
    by_task["2"].update(decision="reject")
    reviewed = tmp_path / "reviewed.csv"
    with open(reviewed, "w", encoding="utf-8", newline="") as f:
        writer = csvlib.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["align", "--child", str(SEED), "--parent", parent, "--top", "1",
                 "--format", "ttl", "--review", str(reviewed)]) == 0
    g = Graph().parse(data=capsys.readouterr().out, format="turtle")
    task = "https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33/task/"
    measure = "https://w3id.org/plankg/eli/cn/140000/2022/jzbf-99/task/"
    assert (URIRef(task + "1"), PK.implementsMeasure, URIRef(measure + "1")) in g
    assert (URIRef(task + "2"), PK.alignedWith, None) not in g  # rejected
    assert (URIRef(task + "10"), PK.alignedWith, URIRef(measure + "8")) in g  # still proposed
    status = {str(s).rsplit("/", 3)[-3]: str(o).rsplit("/", 1)[-1]
              for s, o in g.subject_objects(PK.reviewStatus)}
    assert (status["1"], status["2"], status["10"]) == ("accepted", "rejected", "proposed")
    bad = tmp_path / "bad.csv"
    bad.write_text("child_task,parent_measure,decision\n1,1,maybe\n", encoding="utf-8")
    assert main(["align", "--child", str(SEED), "--parent", parent, "--format", "ttl",
                 "--review", str(bad)]) == 2
    assert "bad.csv:2" in capsys.readouterr().err


def test_lineage_shows_reviewed_and_proposed_measures(tmp_path):
    from plankg.graph.align import align
    from plankg.graph.alignment_graph import Decision, alignment_graph
    from plankg.graph.build import build_dataset
    from plankg.graph.queries import run_named, run_named_on_store
    from plankg.graph.sparql import to_records
    from plankg.graph.store import GraphStore

    child = parse_file(SEED)
    parent = parse_file(ALIGNMENT / "province-2022.md")
    rows = align(child, parent, top=1)
    decisions = {(1, 1): Decision(1, 1, "accept", "研究员甲", "2026-11-25"),
                 (2, 2): Decision(2, 2, "reject", "", "")}
    ds = build_dataset([child, parent])
    target = ds.graph(__import__("graph.iris", fromlist=["x"]).named_graph("alignment"))
    for triple in alignment_graph(rows, child=child, parent=parent, decisions=decisions):
        target.add(triple)

    def measures(number: str, rows_):
        return [(r["relation"], r["evidence"], r["doc_number"], r["title"], r["level"])
                for r in rows_ if r["hop"] == 0 and r["relation"] in
                ("implementsMeasure", "alignedWith")]

    task1 = to_records(run_named(ds, "task-lineage", {"number": "1"}))
    assert measures("1", task1) == [
        ("implementsMeasure", "curated", "晋政办发〔2022〕35号", "全面落实服务业普惠性纾困扶持措施",
         "province"),  # the curated fact of the registry
        ("implementsMeasure", "curated", "晋政办发〔2022〕99号", "全面落实服务业普惠性纾困扶持措施",
         "province")]  # the reviewed link
    assert next(r["score"] for r in task1 if r["relation"] == "implementsMeasure"
                and r["doc_number"] == "晋政办发〔2022〕99号") > THRESHOLD
    assert measures("2", to_records(run_named(ds, "task-lineage", {"number": "2"}))) == []
    task10 = to_records(run_named(ds, "task-lineage", {"number": "10"}))
    assert [m[:2] for m in measures("10", task10)] == [("alignedWith", "inferred")]
    store = GraphStore.of(ds)
    assert to_records(run_named_on_store(store, "task-lineage", {"number": "1"})) == task1
