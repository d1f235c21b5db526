"""Conventions of national and provincial documents, one rule a case, in texts of our own.

Each bracket form, document shape and header layout that the real corpus showed
(``shared/corpus/real``) is written here again in our own words, with variants it does not
print, so that the rule is tested inside the repository and not as a patch for one text.
"""

from __future__ import annotations

import pytest

from plankg.graph.parse import parse_plan
from plankg.graph.parse.brackets import inner_brackets, lead_rule, parse_assignments, split_bracket
from plankg.graph.parse.text import Run, SourceText

BRACKETS = [
    # (item text ending in its bracket, [(name, role, followed_by)])
    ("（A部、B局等负责）", [("A部", "responsible", None), ("B局", "responsible", "等")]),
    ("（商务部等和各省级人民政府负责）",
     [("商务部", "responsible", "等"), ("各省级人民政府", "responsible", None)]),
    ("（民政部和各有关省级人民政府负责）",
     [("民政部", "responsible", None), ("各有关省级人民政府", "responsible", None)]),
    ("（教育部等有关部门和单位负责）", [("教育部", "responsible", "等有关部门和单位")]),
    ("（海关总署、商务部等有关部门负责）",
     [("海关总署", "responsible", None), ("商务部", "responsible", "等有关部门")]),
    ("（A委、B部，各省级人民政府按职责分工负责）",
     [("A委", "responsible", None), ("B部", "responsible", None),
      ("各省级人民政府", "responsible", None)]),
    ("（农业农村部、工业和信息化部牵头负责）",
     [("农业农村部", "lead", None), ("工业和信息化部", "lead", None)]),
    ("（县商务局牵头，县财政局、县税务局配合）",
     [("县商务局", "lead", None), ("县财政局", "support", None), ("县税务局", "support", None)]),
    ("（X部会同有关部门负责）", [("X部", "responsible", "会同有关部门"),
                                ("有关部门", "responsible", None)]),
    ("（X委、Y部会同有关部门负责）",
     [("X委", "responsible", None), ("Y部", "responsible", "会同有关部门"),
      ("有关部门", "responsible", None)]),
    ("（负责部门：住房城乡建设部、商务部；适用范围：城市社区）",
     [("住房城乡建设部", "responsible", None), ("商务部", "responsible", None)]),
    ("（牵头单位：市发改委 配合单位：市财政局、市统计局）",
     [("市发改委", "lead", None), ("市财政局", "support", None), ("市统计局", "support", None)]),
    ("（省工信厅为牵头单位，省科技厅为配合单位）",
     [("省工信厅", "lead", None), ("省科技厅", "support", None)]),
    ("（各省（区、市）人民政府、财政部负责）",
     [("各省（区、市）人民政府", "responsible", None), ("财政部", "responsible", None)]),
    ("（责任单位：县文旅局；完成时限：2023年底）", [("县文旅局", "unspecified", None)]),
    ("（交通运输部、公安部）", [("交通运输部", "unspecified", None),
                                ("公安部", "unspecified", None)]),
]


def _assignments(text: str, *, rule_from: int | None = None):
    source = SourceText(text, file="t.md")
    run = Run(text, list(range(len(text))))
    body, bracket = split_bracket(run)
    brackets = [*inner_brackets(body), *([bracket] if bracket else [])]
    return [(a.as_written, a.role, a.followed_by, a.lead_by_list_order)
            for a in parse_assignments(brackets, source, resolve=lambda name: None,
                                       lead_rule_from=rule_from)]


@pytest.mark.parametrize(("bracket", "expected"), BRACKETS)
def test_bracket_forms(bracket, expected):
    got = _assignments("推进示例工作。" + bracket)
    assert [(n, r, f) for n, r, f, _ in got] == expected


@pytest.mark.parametrize("statement", [
    "，排在第一位的部门为牵头部门，下同", "。列第一位者为牵头单位，下同", "，排在首位的为牵头单位",
    "，列第一位的单位为牵头单位", "，第一个单位为牵头单位"])
def test_first_listed_rule_stated_inside_the_bracket(statement):
    text = f"推进示例工作。（A部、B部、C局负责{statement}）"
    assert lead_rule(text) is not None
    got = _assignments(text, rule_from=lead_rule(text).start())
    assert [(n, r, ruled) for n, r, _, ruled in got] == [
        ("A部", "lead", True), ("B部", "responsible", False), ("C局", "responsible", False)]


def test_first_listed_rule_makes_a_single_agency_lead_and_keeps_stated_roles():
    assert _assignments("推进示例工作。（A局负责）", rule_from=0) == [("A局", "lead", None, True)]
    assert _assignments("推进示例工作。（A局牵头，B局配合）", rule_from=0) == [
        ("A局", "lead", None, False), ("B局", "support", None, False)]
    # before the statement the rule does not hold
    assert _assignments("推进示例工作。（A局负责）", rule_from=500) == [
        ("A局", "responsible", None, False)]


def test_several_brackets_of_one_measure_are_merged_in_order():
    text = ("推进示例工作。（甲部负责）加强示例保障，完善示例机制。（乙局、甲部负责）"
            "鼓励示例创新（含示例研发）。（丙委、乙局牵头）")
    assert [(n, r) for n, r, _, _ in _assignments(text)] == [
        ("甲部", "responsible"), ("乙局", "lead"), ("丙委", "lead")]


def test_a_gloss_inside_the_sentence_is_no_bracket():
    text = "对示例工作成效明显的省（区、市），实行直报机制（企业直接向国家发展改革委申报）。（财政部负责）"
    assert _assignments(text) == [("财政部", "responsible", None, False)]


OPINION = """国务院关于推进示例产业

高质量发展的若干意见

国发〔2031〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

示例产业是重要的基础产业。现提出以下意见：

一、总体要求

（一）指导思想。坚持示例导向，推动示例产业发展。

（二）主要目标。

到2035年，示例产业规模明显扩大。

二、重点任务

（三）壮大示例主体。支持示例企业做大做强。（工业和信息化部、商务部等负责）

（四）完善示例标准。健全示例标准体系。（市场监管总局负责）

三、保障措施

（五）加强示例保障。加大示例投入。（财政部、发展改革委，各省级人民政府按职责分工负责）

各地区、各部门要结合实际抓好落实。

国务院

2031年3月9日

（此件公开发布）

抄送：全国人大常委会办公厅。

国务院办公厅秘书局  2031年3月10日印发
"""


def test_an_opinion_without_a_notice():
    plan = parse_plan(OPINION, source_file="opinion.md")
    assert (str(plan.number), plan.title, plan.issuer, str(plan.date), plan.level) == (
        "国发〔2031〕7号", "国务院关于推进示例产业高质量发展的若干意见", "国务院", "2031-03-09",
        "national")
    assert (plan.genre, plan.kind, plan.division) == ("若干意见", "policy", "cn")
    assert plan.recipients == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"
    assert plan.preamble.startswith("示例产业是重要的基础产业")
    assert [(t.number, t.heading) for t in plan.tasks] == [
        (3, "壮大示例主体"), (4, "完善示例标准"), (5, "加强示例保障")]
    assert [(s.title, s.framing) for s in plan.sections if s.level == 2] == [
        ("指导思想", True), ("主要目标", True)]
    assert "到2035年" in next(s.text for s in plan.sections if s.title == "主要目标")
    assert plan.closing == "各地区、各部门要结合实际抓好落实。"
    assert plan.tasks[-1].text.endswith("加大示例投入。")
    assert plan.signature.split() == ["国务院", "2031年3月9日", "（此件公开发布）"]


def test_the_number_may_come_before_the_title():
    text = OPINION.replace("国务院关于推进示例产业\n\n高质量发展的若干意见\n\n国发〔2031〕7号",
                           "国发〔2031〕7号\n\n国务院关于推进示例产业高质量发展的若干意见")
    plan = parse_plan(text, source_file="opinion.md")
    assert (str(plan.number), plan.title) == ("国发〔2031〕7号",
                                              "国务院关于推进示例产业高质量发展的若干意见")


def test_items_numbered_only_at_the_top_level():
    text = """国务院办公厅关于示例激励措施的通知

国办发〔2031〕12号

各省、自治区、直辖市人民政府：

现将示例激励措施通知如下：

一、对示例工作成效明显的市（地、州、盟），在示例资金中给予倾斜支持。（财政部负责）

二、对示例改革积极主动的省（区、市），优先纳入示例试点。（国家发展改革委会同有关部门负责）

各有关部门要抓紧制定实施办法。

国务院办公厅

2031年5月6日
"""
    plan = parse_plan(text, source_file="notice.md")
    assert [(t.number, t.section, t.label) for t in plan.tasks] == [(1, 0, "一、"), (2, 0, "二、")]
    assert plan.tasks[0].heading == "对示例工作成效明显的市（地、州、盟），在示例资金中给予倾斜支持"
    assert [(a.as_written, a.followed_by) for a in plan.tasks[1].assignments] == [
        ("国家发展改革委", "会同有关部门"), ("有关部门", None)]
    assert plan.closing == "各有关部门要抓紧制定实施办法。"
    assert (plan.genre, plan.kind, plan.level) == ("通知", "policy", "national")


def test_a_last_item_without_a_bracket_keeps_its_paragraphs_until_an_address_to_all():
    text = OPINION.replace("（财政部、发展改革委，各省级人民政府按职责分工负责）", "").replace(
        "加大示例投入。", "加大示例投入。\n\n优化示例资金使用方式。")
    plan = parse_plan(text, source_file="opinion.md")
    assert plan.tasks[-1].text.endswith("优化示例资金使用方式。")
    assert plan.closing == "各地区、各部门要结合实际抓好落实。"


def test_a_plan_title_gives_a_plan_and_a_policy_title_gives_measures():
    plan = parse_plan(OPINION.replace("高质量发展的若干意见", "高质量发展三年行动计划"),
                      source_file="plan.md")
    assert (plan.genre, plan.kind) == ("行动计划", "plan")


def test_numbered_principles_inside_a_framing_part_are_its_text():
    text = """国务院办公厅关于推进示例服务

规范发展的意见

国办发〔2031〕21号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

为推进示例服务规范发展，现提出如下意见。

一、总体要求

（一）指导思想。坚持示例为民。

（二）基本原则。

1.坚持需求导向。围绕公众需要优化示例服务。

2.坚持创新发展。运用新技术提升示例服务水平。

二、加强示例建设

各地区要明确示例服务定位。

（一）推进示例公开。做好示例信息发布。

（二）优化示例服务。推动示例事项网上办理。

三、规范示例管理

（一）开设整合。严格示例账号开设。

（二）安全防护。落实示例安全责任。

国务院办公厅

2031年6月1日
"""
    plan = parse_plan(text, source_file="principles.md")
    assert [(t.section, t.number, t.heading) for t in plan.tasks] == [
        (2, 1, "推进示例公开"), (2, 2, "优化示例服务"), (3, 1, "开设整合"), (3, 2, "安全防护")]
    assert plan.numbering_restarts
    principles = next(s for s in plan.sections if s.title == "基本原则")
    assert principles.framing and "1.坚持需求导向" in principles.text
    assert "2.坚持创新发展" in principles.text
    assert not next(s for s in plan.sections if s.title == "加强示例建设").framing


def test_a_notice_that_forwards_a_report_is_signed_by_its_issuer_not_the_reports():
    text = """国务院办公厅转发示例局

关于加强示例工作意见的通知

国办发〔2031〕3号

各省、自治区、直辖市人民政府：

示例局《关于加强示例工作的意见》已经国务院同意，现转发给你们，请认真贯彻执行。

国务院办公厅

二〇三一年二月五日

关于加强示例工作的意见

一、加强示例监测。各地要健全示例监测网络，及时报告示例情况。

二、完善示例制度。抓紧修订示例管理办法，明确各方职责。

示例局

二〇三一年一月二十五日

（本文有删减）
"""
    plan = parse_plan(text, source_file="forward.md")
    assert (plan.issuer, str(plan.date), plan.genre) == ("国务院办公厅", "2031-02-05", "通知")
    assert [t.heading for t in plan.tasks] == ["加强示例监测", "完善示例制度"]
    assert plan.signature.split()[-1] == "（本文有删减）"
