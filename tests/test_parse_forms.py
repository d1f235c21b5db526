"""Parser pieces on small inputs written for the purpose, and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plankg.graph.errors import SourceParseError
from plankg.graph.parse import parse_file, parse_number, parse_plan

PLAN = """沁政办发〔2023〕5号

关于印发沁水县示例工作方案的通知

各乡（镇）人民政府：

《沁水县示例工作方案》已经县人民政府同意，现印发给你们。

沁水县人民政府办公室

2023年3月1日

# 沁水县示例工作方案

一、工作目标

到2023年底，全县示例指标力争达到 5%左右。

二、重点任务

1. 第一项。内容甲。〔县工信局牵头，县财政局配合〕

2. 第二项。内容乙。{bracket}
"""


def _plan(bracket: str):
    return parse_plan(PLAN.replace("{bracket}", bracket), source_file="fixture.md")


@pytest.mark.parametrize("bracket, expected", [
    ("〔县财政局负责，县人社局配合〕", [("县财政局", "responsible"), ("县人社局", "support")]),
    ("〔县财政局牵头，县人社局负责〕", [("县财政局", "lead"), ("县人社局", "responsible")]),
    ("（县财政局、县人社局负责）", [("县财政局", "responsible"), ("县人社局", "responsible")]),
    ("(县财政局负责)", [("县财政局", "responsible")]),
    ("（责任单位：县财政局、县人社局）", [("县财政局", "unspecified"), ("县人社局", "unspecified")]),
    ("（牵头单位：县财政局；配合单位：县人社局）", [("县财政局", "lead"), ("县人社局", "support")]),
    ("〔县财政局、县人社局〕", [("县财政局", "unspecified"), ("县人社局", "unspecified")]),
])
def test_bracket_forms(bracket, expected):
    task = _plan(bracket).tasks[1]
    assert [(a.as_written, a.role) for a in task.assignments] == expected
    assert task.text == "第二项。内容乙。"
    assert task.heading == "第二项"


def test_a_bracket_of_ordinary_words_is_text():
    task = _plan("（二期）").tasks[1]
    assert task.assignments == () and task.bracket is None
    assert task.text.endswith("（二期）")


def test_header_and_goal_of_a_new_year():
    plan = _plan("〔县财政局负责〕")
    assert str(plan.number) == "沁政办发〔2023〕5号"
    assert plan.title == "沁水县示例工作方案"
    assert plan.division == "140521"
    assert [(g.indicator, g.value, g.comparator, str(g.deadline), g.deadline_stated)
            for g in plan.goals] == [("示例指标", Decimal(5), "about", "2023-12-31", True)]


@pytest.mark.parametrize("text, expected", [
    ("发改财金〔2022〕271号", "发改财金〔2022〕271号"),
    ("发改财金[2022]271号", "发改财金〔2022〕271号"),
    ("发改财金（2022）271号", "发改财金〔2022〕271号"),
    ("发改财金【2022】271 号", "发改财金〔2022〕271号"),
    ("晋市政办〔２０２２〕24号", "晋市政办〔2022〕24号"),
])
def test_document_number_variants(text, expected):
    assert str(parse_number(text)) == expected


@pytest.mark.parametrize("content, message, line", [
    (b"", "empty", 1),
    (b"   \n\n", "empty", 1),
    (b"abc\x00def", "binary", 1),
    (b"\xff\xfe\x00\x00garbage", "UTF-8", 1),
    ("一、总体要求\n\n只有一段话，没有任务。\n".encode(), "no numbered tasks", 1),
    ("一、任务\n\n1. 第一项。内容。\n\n2. 第二项。内容。〔县财政局负责\n".encode(), "never closed", 5),
])
def test_bad_input_is_a_clear_error(tmp_path, content, message, line):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(SourceParseError) as caught:
        parse_file(path)
    assert message in str(caught.value)
    assert caught.value.line == line
    assert caught.value.file.endswith("bad.md")


def test_missing_file(tmp_path):
    with pytest.raises(SourceParseError, match="cannot read"):
        parse_file(tmp_path / "nope.md")
