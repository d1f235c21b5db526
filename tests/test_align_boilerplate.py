"""Issue 15, alignment: a heading common to every plan (加强组织领导) is no evidence of lineage, and
the documents of the child plan's own chain (cited, based on) come first.

Fixtures (fictional, see ``tests/fixtures/alignment/README.md``): a provincial plan on old trees
whose closing measures are 加强组织领导 and 强化督促落实, and two city plans with like measures,
one numbered as the city plan the seed plan is based on (晋市政办〔2022〕24号), one of another city.
"""

from __future__ import annotations

import dataclasses

import pytest

from plankg.graph.align import (
    CHAIN,
    THRESHOLD,
    align,
    align_many,
    generic_share,
    heading_weight,
    text_scores,
)
from plankg.graph.chain import chain_paths
from plankg.graph.model import DocNumber
from plankg.graph.parse import parse_file
from tests.conftest import FIXTURES, SEED
from tests.gold import REAL_CORPUS

ALIGNMENT = FIXTURES / "alignment"
REAL = REAL_CORPUS


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


@pytest.fixture(scope="module")
def trees():
    return parse_file(ALIGNMENT / "boilerplate-province.md")


@pytest.fixture(scope="module")
def city():
    return parse_file(ALIGNMENT / "chain-city.md")


@pytest.fixture(scope="module")
def elsewhere():
    return parse_file(ALIGNMENT / "chain-elsewhere.md")


def _task(plan, number: int):
    return next(t for t in plan.tasks if t.number == number)


@pytest.mark.parametrize("heading", ["加强组织领导", "强化组织领导", "加强组织保障", "强化督促落实",
                                     "加强督查考核", "加强宣传引导", "营造良好氛围", "健全工作机制",
                                     "强化责任落实", "加大资金支持", "强化考核督促", "形成工作合力"])
def test_safeguard_headings_are_pure_boilerplate(heading):
    assert generic_share(heading) == 1.0
    assert heading_weight(heading, "发展网络货运") == 0.0


@pytest.mark.parametrize("heading, share", [("发展网络货运", 0.0), ("促进文物回流", 0.0),
                                            ("精准疫情防控", 0.0), ("加强统计监测", 0.33),
                                            ("加大困难行业扶持力度", 0.4),
                                            ("加强全民健身场地建设", 0.2)])
def test_substantive_headings_keep_their_full_weight(heading, share):
    assert round(generic_share(heading), 2) == share
    assert heading_weight(heading, heading) == 1.0


def test_half_generic_headings_weigh_part(seed):
    assert heading_weight("加强宣传推介", "加强宣传推介") == 0.6667  # 推介 is the substance
    assert heading_weight("加大金融支持服务业力度", "发展网络货运") == 0.9091


def test_the_trap_wins_under_the_old_rule(seed, trees):
    """Every heading counting in full (the rule before issue 15, still that of text_scores), the
    old-tree plan's 加强组织领导 is task 62's best measure, far above the threshold."""
    task = _task(seed, 62)
    old = text_scores([(task.heading, task.text)], [(m.heading, m.text) for m in trees.tasks])[0]
    assert [round(s, 3) for s in old] == [0.0, 0.0, 0.005, 0.002, 0.582, 0.013]
    assert max(old) > THRESHOLD


def test_a_shared_boilerplate_heading_links_nothing(seed, trees):
    assert align(seed, trees) == []
    best = align(seed, trees, top=1, threshold=0.0)
    by_task = {r.child_task: r for r in best}
    assert (by_task[62].parent_measure, by_task[62].score) == (5, 0.1019)  # 0.85 × text cosine
    assert by_task[65].score < 0.1  # 强化考核督促 against 强化督促落实
    assert "generic heading ×0.00" in by_task[62].method
    assert max(r.score for r in best) < 0.2


def test_the_child_plans_chain(seed, city, elsewhere, trees):
    def numbered(series: str, year: int, serial: int):
        return dataclasses.replace(trees, number=DocNumber(series, year, serial), title=None)

    assert chain_paths(seed, [city, elsewhere, trees, numbered("晋政办发", 2022, 35),
                              numbered("发改财金", 2022, 271), numbered("沁政办函", 2021, 10)]) == [
        "based_on", None, None,
        "based_on > based_on (curated)",  # the city plan's basis, in relations.csv
        "based_on > based_on (curated) > ensures_implementation_of (curated)",
        None]  # repealed by the seed plan: a predecessor, not a parent


def test_a_measure_of_the_chain_ranks_first(seed, city, elsewhere):
    rows = [r for r in align_many(seed, [elsewhere, city]) if r.child_task == 10]
    assert [(r.rank, r.parent_document, r.parent_measure, r.score) for r in rows] == [
        (1, "晋市政办〔2022〕24号", 1, 0.5749), (2, "长政办发〔2022〕61号", 1, 0.5455)]
    assert rows[0].method.startswith("chain: based_on; ")
    assert rows[1].score > rows[0].score - CHAIN  # on text alone the other city's would win


def test_outside_the_chain_the_same_measure_ranks_second(seed, city, elsewhere):
    unrelated = dataclasses.replace(city, number=None)  # no longer the seed plan's basis
    rows = [r for r in align_many(seed, [elsewhere, unrelated]) if r.child_task == 10]
    assert [(r.parent_document, r.score) for r in rows] == [
        ("长政办发〔2022〕61号", 0.5455), ("晋城市推进服务业提质增效2022年行动计划", 0.4749)]
    assert "chain" not in rows[1].method


def test_a_boilerplate_heading_links_on_its_text(seed, city, elsewhere):
    """Both cities close with 加强组织领导; the text of the chain's says what task 62 says."""
    rows = [r for r in align_many(seed, [elsewhere, city]) if r.child_task == 62]
    assert [(r.parent_document, r.parent_measure) for r in rows] == [("晋市政办〔2022〕24号", 3)]
    assert rows[0].score == pytest.approx(0.4267, abs=1e-4)
    assert "generic heading ×0.00" in rows[0].method


def test_a_task_citing_the_parent_gets_the_citation_signal(seed, elsewhere):
    cited = dataclasses.replace(elsewhere, number=DocNumber("晋市政办发", 2022, 6))  # task 10 cites
    best = {r.child_task: r for r in align(seed, cited, top=1)}
    assert best[10].method.startswith("citation: ensures_implementation_of; ")
    assert best[10].score == pytest.approx(1.0666, abs=1e-4)


def test_align_is_align_many_of_one_parent(seed):
    parent = parse_file(ALIGNMENT / "province-2022.md")
    rows = align(seed, parent)
    assert rows == align_many(seed, [parent])
    assert {r.parent_document for r in rows} == {"晋政办发〔2022〕99号"}


@pytest.mark.skipif(not REAL.is_dir(), reason=f"no corpus at {REAL}")
@pytest.mark.parametrize("name", ["05-guobanfa-2018-129-xiaofei-fupin.md",
                                  "02-guofa-2018-42-nongye-jixiehua.md"])
def test_task_62_against_real_national_opinions(seed, name):
    """Before issue 15, 05's 加强组织领导 scored 0.58 against task 62, the best link of the corpus."""
    rows = align(seed, parse_file(REAL / name), top=1, threshold=0.0)
    best = next(r for r in rows if r.child_task == 62)
    print(f"{name}: task 62 best {best.score:.4f} (measure {best.parent_measure} "
          f"{best.parent_heading})")
    assert best.score < 0.15
    assert [r for r in rows if r.score >= THRESHOLD] == []
