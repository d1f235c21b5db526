"""The seed plan, parsed, against facts read off the source by hand (not the parser's output)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

# Canonical names for the printed names that differ from them (the registry's merges).
CANONICAL = {"县发改局": "县发展和改革局", "县发展和改革委员会": "县发展和改革局",
             "县服务业发展领导小组有关成员单位": "县服务业发展领导小组成员单位"}


def test_header(seed_plan):
    assert str(seed_plan.number) == "沁政办发〔2022〕33号"
    assert seed_plan.title == "沁水县推进服务业提质增效2022年行动计划"
    assert seed_plan.issuer == "沁水县人民政府办公室"
    assert seed_plan.date == dt.date(2022, 8, 24)
    assert seed_plan.recipients == "各乡（镇）人民政府，开发区管委会，县人民政府各委、办、局"
    assert seed_plan.division == "140521"


def test_sections_and_subsectors(seed_plan):
    top = [(s.number, s.title) for s in seed_plan.sections if s.level == 1]
    assert top == [(1, "工作目标"), (2, "促进服务业恢复稳定增长"), (3, "大力发展生产性服务业"),
                   (4, "提升发展生活性服务业"), (5, "加快发展非营利性服务业"),
                   (6, "强化工作支撑"), (7, "加强组织保障")]
    subs = [s.title for s in seed_plan.sections if s.level == 2]
    assert subs == ["现代金融", "交通运输", "科技服务", "信息服务", "高端商务", "节能环保服务",
                    "农业生产性服务业", "现代商贸", "文旅体育", "家庭服务", "健康养老服务",
                    "房地产业", "婴幼儿托育", "教育培训"]


def test_every_task_matches_the_hand_made_table(seed_plan, expected_tasks):
    assert len(seed_plan.tasks) == 66 == len(expected_tasks)
    for task, row in zip(seed_plan.tasks, expected_tasks):
        assert task.number == int(row["number"])
        assert task.section == int(row["section"]), task.number
        assert task.subsection == (int(row["subsector"]) if row["subsector"] else None), task.number
        assert task.heading == row["heading"], task.number
        printed = [tuple(entry.split(":")) for entry in row["agencies"].split("|")]
        assert [(a.as_written, a.role) for a in task.assignments] == printed, task.number


def test_printed_names_map_to_canonical_agencies(seed_plan):
    from plankg.graph.registry import load_registry
    registry = load_registry()
    for task in seed_plan.tasks:
        for a in task.assignments:
            assert a.agency_key is not None, (task.number, a.as_written)
            canonical = registry.by_ref[a.agency_key].name_zh
            assert canonical == CANONICAL.get(a.as_written, a.as_written)
    names = {a.agency_key for t in seed_plan.tasks for a in t.assignments}
    assert len(names) == 30


def test_task_31_has_no_role_word(seed_plan):
    task = seed_plan.tasks[30]
    assert task.bracket == "〔县工信局、县住建局〕"
    assert {a.role for a in task.assignments} == {"unspecified"}


def test_page_breaks_are_repaired(seed_plan):
    assert "恢复发展的若干政策" in seed_plan.tasks[0].text  # 恢复发 / 展 split by a page break
    assert seed_plan.tasks[53].bracket == "〔县人社局、县财政局牵头，县教育局配合〕"
    assert seed_plan.tasks[22].bracket.endswith("县市场监管局负责〕")
    assert "\n" not in "".join(t.text + (t.bracket or "") for t in seed_plan.tasks)


def test_citations(seed_plan):
    doc = [(c.relation, str(c.number)) for c in seed_plan.citations]
    assert doc == [("based_on", "晋市政办〔2022〕24号"), ("repeals", "沁政办函〔2021〕10号")]
    task1 = [(c.relation, str(c.number)) for c in seed_plan.tasks[0].citations]
    assert task1 == [("ensures_implementation_of", "发改财金〔2022〕271号"),
                     ("ensures_implementation_of", "晋政办发〔2022〕33号")]
    assert [str(c.number) for c in seed_plan.tasks[9].citations] == ["晋市政办发〔2022〕6号"]
    untitled = seed_plan.tasks[21].citations
    assert [(c.number, c.title) for c in untitled] == [(None, "支持和促进新时代人力资源服务业发展若干措施")]
    cited = {n for t in seed_plan.tasks for c in t.citations if c.number for n in [str(c.number)]}
    assert cited == {"发改财金〔2022〕271号", "晋政办发〔2022〕33号", "晋市政办发〔2022〕6号"}


# (task, indicator, value, unit, comparator, kind, deadline, deadline stated), read by hand.
EXPECTED_TARGETS = [
    (0, "服务业增加值增速", "9", "%", "about", "rate", "2022-12-31", True),
    (8, "平均担保费率", "1", "%", "at-most", "level", "2022-12-31", False),
    (15, "市级以上众创空间、星创天地、科技企业孵化器等科技孵化载体", "1", "家", "at-least",
     "increment", "2022-12-31", False),
    (16, "市级以上科技项目", "1", "项", "exact", "increment", "2022-12-31", False),
    (17, "高新技术企业", "13", "家", "exact", "level", "2022-12-31", True),
    (18, "5G基站", "40", "个", "exact", "increment", "2022-12-31", False),
    (27, "托管面积", "20", "万亩", "exact", "level", "2022-12-31", True),
    (28, "省级示范家庭农场", "3", "家", "at-least", "increment", "2022-12-31", False),
    (28, "国家农民专业合作社示范社", "1", "个", "at-least", "increment", "2022-12-31", False),
    (42, "乡镇养老院", "2", "个", "exact", "increment", "2022-12-31", False),
    (42, "美丽乡村", "6", "个", "exact", "increment", "2022-12-31", False),
    (42, "宜居乡村", "6", "个", "exact", "increment", "2022-12-31", False),
    (43, "困难家庭适老化改造", "300", "户", "at-least", "increment", "2022-12-31", False),
    (46, "商品房建设周期", "24", "个月", "exact", "reduction", "2022-12-31", False),
    (49, "3岁以下托位数", "500", "个", "exact", "level", "2022-12-31", True),
    (49, "示范托育机构", "1", "个", "at-least", "increment", "2022-12-31", False),
]


def test_targets(seed_plan):
    found = [(0, t) for t in seed_plan.goals] + [
        (task.number, t) for task in seed_plan.tasks for t in task.targets]
    got = [(n, t.indicator, t.value, t.unit, t.comparator, t.kind, t.deadline.isoformat(),
            t.deadline_stated) for n, t in found]
    assert got == [(n, i, Decimal(v), u, c, k, d, s) for n, i, v, u, c, k, d, s in EXPECTED_TARGETS]
    commitments = {(n, t.indicator): t.commitment for n, t in found}
    assert commitments[(0, "服务业增加值增速")] == "strive"
    assert commitments[(49, "3岁以下托位数")] == "strive"
    assert commitments[(49, "示范托育机构")] == "plain"
    assert [t.baseline for n, t in found if n == 46] == [Decimal(36)]


def test_spans_point_at_the_source(seed_plan, seed_text):
    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", text)

    for task in seed_plan.tasks:
        printed = seed_text[task.span.start:task.span.end]
        assert squeeze(printed) == squeeze(f"{task.number}.{task.text}{task.bracket}")
        assert squeeze(seed_text[task.bracket_span.start:task.bracket_span.end]) == task.bracket
        assert seed_text.splitlines()[task.span.line - 1].lstrip().startswith(f"{task.number}.")
        for a in task.assignments:
            assert squeeze(seed_text[a.span.start:a.span.end]) == a.as_written
        for t in task.targets:
            assert seed_text[t.span.start:t.span.end].replace("\n", "") == t.as_written
        for c in task.citations:
            assert squeeze(seed_text[c.span.start:c.span.end]).startswith("《")


@pytest.mark.parametrize("number, line", [(1, 31), (11, 61), (54, 200), (66, 236)])
def test_task_source_lines(seed_plan, seed_text, number, line):
    task = seed_plan.tasks[number - 1]
    assert task.span.line == line
    assert seed_text.splitlines()[line - 1].startswith(f"{number}.")
