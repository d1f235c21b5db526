"""Quantitative targets in a task or a goal paragraph.

Five sentence forms are read, each in one clause (between ，。；):

- ``[力争]<indicator>[力争]达到|降至|压减至|提高到… <value><unit>[左右|以上|以下]`` (a level or a
  rate);
- ``新建|新增|新认定|培育|建成|打造|评定|申报… [indicator] <value><unit>[以上] [noun]`` (an
  increment; ``、6个…`` after it continues the list);
- ``完成 <value><unit><noun>`` (an increment: 完成350户家庭适老化改造);
- ``对 <value>[余]<unit><noun>实施<action>`` (an increment);
- ``<indicator>由 <baseline><unit> 压减至|提高到 <value><unit>`` (a reduction or an increase).

The deadline is read from the sentence (2022年末, 年底前, 全年, 2022 年，…); when the text gives
none, it is the end of the plan's year and ``deadline_stated`` is False.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from decimal import Decimal

from ..model import Target
from .text import Run, SourceText

__all__ = ["find_targets"]

_UNIT = r"(?P<unit>个月|万亩|亩|%|个|家|项|户|人次|人|所|座|张|条|公里|万元|亿元|元|次|名|台|处)"
_NUM = r"(?P<value>\d+(?:\.\d+)?)"
_DIGIT = re.compile(r"\d")
_CLAUSE = r"[^，。；,;：:]"
_LEVEL = re.compile(
    rf"(?P<c1>力争|确保)?(?P<ind>{_CLAUSE}{{2,30}}?)(?P<c2>力争|确保)?"
    rf"(?P<verb>达到|降至|降低到|压减至|压减到|压缩至|缩短至|缩短到|减少至|减少到|提高到|提升至|提高至|"
    rf"控制在|保持在|增长)\s*{_NUM}\s*{_UNIT}"
    r"\s*(?P<cmp>左右|以上|以下|以内)?")
_INCREMENT = re.compile(
    rf"(?P<verb>新建|新增|新认定|新培育|培育|建成|打造|评定|申报|创建|发展|设立|布设|开设)"
    rf"(?P<ind>{_CLAUSE}{{0,40}}?)"
    rf"\s*{_NUM}\s*{_UNIT}\s*(?P<cmp>以上|余)?(?P<noun>[^，。；,;：:、和及与]{{0,20}})")
_RESPECTIVELY = re.compile(
    rf"(?P<a>{_CLAUSE}{{2,20}}?)(?:和|与|及)(?P<b>{_CLAUSE}{{2,20}}?)分别\s*"
    rf"(?P<verb>增长|达到|提高到|提升至)\s*(?P<value_a>\d+(?:\.\d+)?)\s*"
    rf"(?P<unit_a>个月|万亩|亩|%|个|家|项|户|人次|人|所|座|张|条|公里|万元|亿元|元|次|名|台|处)?\s*"
    rf"(?:和|、)\s*{_NUM}\s*{_UNIT}\s*(?P<cmp>左右|以上|以下|以内)?")
_DONE = re.compile(  # 完成 350 户家庭适老化改造: the number right after the verb
    rf"完成\s*{_NUM}\s*{_UNIT}\s*(?P<cmp>以上|余)?(?P<noun>[^，。；,;：:、和及与]{{2,20}})")
_MORE = re.compile(rf"、\s*{_NUM}\s*{_UNIT}\s*(?P<cmp>以上|余)?(?P<noun>[^，。；,;：:、和及与]{{1,20}})")
_PER_UNIT = re.compile(
    rf"对\s*{_NUM}\s*(?P<cmp>余|多)?\s*{_UNIT}(?P<noun>{_CLAUSE}{{1,20}}?)实施(?P<act>{_CLAUSE}{{1,20}})")
_CHANGE = re.compile(
    rf"(?P<ind>{_CLAUSE}{{2,30}}?)由\s*(?P<base>\d+(?:\.\d+)?)\s*(?:个月|万亩|亩|%|个|家|项|户|人|天|年)?"
    rf"\s*(?P<verb>压减至|压减到|缩短至|缩短到|减少到|降至|提高到|提升至|增加到|增至)\s*{_NUM}\s*{_UNIT}")
_NOISE = re.compile(
    r"^(?:(?:年底前|年底|年末|全年|\d{4}\s*年\s*(?:末|底)?|全县|全省|全市|全区|我县|我省|我市|"
    r"逐步将|逐步|将|推动|力争|确保|持续|进一步|使|实现)\s*)+")
_COMPARATOR = {"左右": "about", "以上": "at-least", "余": "at-least", "多": "at-least",
               "以下": "at-most", "以内": "at-most"}
_SENTENCE = re.compile(r"[^。；]*")
_YEAR_END = re.compile(r"(?P<year>\d{4})\s*年\s*(?:底|末|，|,)")
_PLAN_YEAR_END = re.compile(r"年底前|年底|年末|全年")


_CONTEXT = 200  # characters: a deadline or 力争/确保 is printed near its target


def _sentence_before(text: str, at: int) -> str:
    """The text of the sentence before ``at``, at most :data:`_CONTEXT` characters of it
    (looked for backwards, so a text with thousands of targets is read in linear time)."""
    window = max(0, at - _CONTEXT)
    stop = max(text.rfind("。", window, at), text.rfind("；", window, at))
    return text[max(stop + 1, window):at]


class _Taken:
    """Spans already read, disjoint and sorted: an overlap test in O(log n), so a text with
    thousands of targets is read in linear time, not quadratic."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # spans that start before ``end``
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _deadline(text: str, start: int, end: int, plan_year: int | None) -> tuple[dt.date | None, bool]:
    context = _sentence_before(text, start) + text[start:end]
    year = _YEAR_END.search(context)
    if year:
        return dt.date(int(year["year"]), 12, 31), True
    if plan_year and _PLAN_YEAR_END.search(context):
        return dt.date(plan_year, 12, 31), True
    return (dt.date(plan_year, 12, 31) if plan_year else None), False


def _commitment(text: str, start: int, end: int) -> str:
    context = _sentence_before(text, start) + text[start:end]
    if "确保" in context:
        return "ensure"
    return "strive" if "力争" in context else "plain"


_TRAILING_NOISE = re.compile(r"(?:进一步|逐步|持续|稳步|全面|力争|确保)+$")


def _clean(indicator: str) -> str:
    return _TRAILING_NOISE.sub("", _NOISE.sub("", re.sub(r"\s+", "", indicator)))


class _Finder:
    def __init__(self, run: Run, source: SourceText, plan_year: int | None) -> None:
        self.run, self.source, self.plan_year = run, source, plan_year
        self.found: list[Target] = []
        self.taken = _Taken()

    def add(self, match: re.Match[str], *, indicator: str, kind: str, comparator: str,
            start: int | None = None, baseline: str | None = None, end: int | None = None,
            value: str | None = None, unit: str | None = None, shared: bool = False) -> None:
        """Record a target unless its span overlaps one already read (``shared``: the caller
        has checked, as two targets printed in one phrase share its span)."""
        start = match.start() if start is None else start
        end = match.end() if end is None else end
        if (self.taken.overlaps(start, end) and not shared) or not indicator:
            return
        while end > start and self.run.text[end - 1].isspace():
            end -= 1
        deadline, stated = _deadline(self.run.text, start, end, self.plan_year)
        self.taken.add(start, end)
        self.found.append(Target(
            indicator=indicator, value=Decimal(value or match["value"]),
            unit=unit or match["unit"],
            comparator=comparator, kind=kind, commitment=_commitment(self.run.text, start, end),
            deadline=deadline, deadline_stated=stated,
            as_written=self.run.text[start:end], span=self.run.span(self.source, start, end),
            baseline=Decimal(baseline) if baseline else None))

    def changes(self) -> None:
        for m in _CHANGE.finditer(self.run.text):
            kind = "reduction" if m["verb"][0] in "压缩减降" else "level"
            self.add(m, indicator=_clean(m["ind"]), kind=kind, comparator="exact",
                     start=m.start("ind") + len(m["ind"]) - len(m["ind"].lstrip()),
                     baseline=m["base"])

    def respectively(self) -> None:
        """接待游客人次和旅游总收入分别增长15%和18%以上: two targets, each with its value."""
        for m in _RESPECTIVELY.finditer(self.run.text):
            unit_a = m["unit_a"] or m["unit"]
            rate = m["verb"] == "增长"
            comparator = _COMPARATOR.get(m["cmp"] or "", "exact")
            start = m.start() + len(m[0]) - len(m[0].lstrip())
            if self.taken.overlaps(start, m.end()):
                continue
            for name, value, unit in ((m["a"], m["value_a"], unit_a),
                                      (m["b"], m["value"], m["unit"])):
                self.add(m, indicator=_clean(name), kind="rate" if rate else "level",
                         comparator=comparator, value=value, unit=unit, start=start, shared=True)

    def levels(self) -> None:
        for m in _LEVEL.finditer(self.run.text):
            indicator = _clean(m["ind"])
            rate = m["verb"] == "增长" or indicator.endswith(("增速", "增长率", "增幅"))
            default = "at-most" if m["verb"][0] in "降压缩减控" else "exact"
            self.add(m, indicator=indicator, kind="rate" if rate else "level",
                     comparator=_COMPARATOR.get(m["cmp"] or "", default))

    def increments(self) -> None:
        for m in _INCREMENT.finditer(self.run.text):
            noun = m["noun"].strip()
            self.add(m, indicator=_clean(noun or m["ind"]), kind="increment",
                     comparator=_COMPARATOR.get(m["cmp"] or "", "exact"))
            at = m.end()
            while more := _MORE.match(self.run.text, at):
                self.add(more, indicator=_clean(more["noun"]), kind="increment",
                         comparator=_COMPARATOR.get(more["cmp"] or "", "exact"),
                         start=more.start() + 1)
                at = more.end()
        for m in _DONE.finditer(self.run.text):
            self.add(m, indicator=_clean(m["noun"]), kind="increment",
                     comparator=_COMPARATOR.get(m["cmp"] or "", "exact"))
        for m in _PER_UNIT.finditer(self.run.text):
            self.add(m, indicator=_clean(m["noun"]) + _clean(m["act"]), kind="increment",
                     comparator=_COMPARATOR.get(m["cmp"] or "", "exact"))


def find_targets(run: Run, source: SourceText, *, plan_year: int | None) -> tuple[Target, ...]:
    """The quantitative targets in ``run``, in the order they are printed."""
    if not _DIGIT.search(run.text):  # every form has a value in digits; most tasks have none
        return ()
    finder = _Finder(run, source, plan_year)
    finder.changes()
    finder.respectively()
    finder.levels()
    finder.increments()
    return tuple(sorted(finder.found, key=lambda t: t.span.start))
