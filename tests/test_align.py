"""The aligner against a hand-made gold table: precision@1, recall, and no decoy matched."""

from __future__ import annotations

import csv

import pytest

from graph.align import THRESHOLD, align
from graph.parse import parse_file
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

    from graph.cli import main
    code = main(["align", "--child", "沁政办发[2022]33号", "--parent",
                 str(ALIGNMENT / "province-2022.md"), "--top", "1", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and rows
    assert set(rows[0]) >= {"child_task", "parent_measure", "rank", "score", "method"}


def test_tasks_without_a_counterpart_get_no_link(links):
    gold = {int(r["county_task"]) for r in _rows("gold.tsv")}
    assert sorted({r.child_task for r in links if r.rank == 1} - gold) == []
