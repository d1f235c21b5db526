"""Assemble a :class:`~graph.model.Plan` from a source text: header facts, sections, tasks."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..divisions import level_of
from ..errors import SourceParseError
from ..model import Citation, Plan, Section, Span, Target, Task
from ..registry import Registry, load_registry
from .brackets import parse_assignments, split_bracket
from .citations import find_citations
from .docnumber import parse_number
from .layout import Layout, Line, TaskBlock, lay_out
from .targets import find_targets
from .text import CN_DIGITS, Run, SourceText, cn_number

__all__ = ["parse_file", "parse_plan"]

_NOTICE = re.compile(r"关于印发(?P<title>.+?)的通知")
_META = re.compile(r"^(?P<key>索引号|发文字号|文号|成文时间|成文日期|发布机构|发文机关|发布日期|主题词|主题分类|标题|名称)"
                   r"\s*[:：]\s*(?P<value>.*)$")
_DATE = re.compile(r"^(?P<y>\d{4})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?$")
_CN_DATE = re.compile(r"^(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月"
                      r"(?P<d>[一二三四五六七八九十]{1,3})日$")
_MASTHEAD = re.compile(r"^(\S{2,30}?(?:人民政府|办公室|办公厅|委员会|局|厅|部|委))文件$")
_SIGNATURE = re.compile(r"(?:人民政府|办公室|办公厅|委员会|局|厅)$")


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _date(text: str) -> dt.date | None:
    """A date printed as 2022年8月24日, 2022-08-24 or 二〇二二年八月二十四日."""
    text = _nospace(text)
    match = _DATE.match(text)
    try:
        if match:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        match = _CN_DATE.match(text)
        if match:
            year = int("".join(str(CN_DIGITS[c]) for c in match["y"]))
            return dt.date(year, cn_number(match["m"]), cn_number(match["d"]))
    except ValueError:
        return None
    return None


def _title(lines: list[str]) -> str | None:
    """The plan's title, from the notice (关于印发《X》的通知 and 《X》) or a metadata line."""
    notice = None
    for line in lines:
        body = _nospace(line.strip("#* \u3000"))
        meta = _META.match(body)
        if meta and meta["key"] in ("标题", "名称"):
            found = _NOTICE.search(meta["value"])
            return found["title"] if found else meta["value"]
        found = _NOTICE.search(body)
        if found and notice is None:
            notice = found["title"].strip("《》")
        for quoted in re.findall(r"《([^《》]+)》", body):
            if notice and _nospace(quoted) == notice:
                return notice
    return notice


class _Header:
    """Facts of the notice: number, issuer, date, recipients and metadata."""

    def __init__(self, lines: list[Line]) -> None:
        self.metadata: dict[str, str] = {}
        self.number_line: Line | None = None
        self.issuer: str | None = None
        self.date: dt.date | None = None
        self.recipients: str | None = None
        notice_seen = False
        previous = ""
        for line in lines:
            body = line.body.strip()
            meta = _META.match(body)
            if meta:
                self.metadata[meta["key"]] = meta["value"].strip()
                continue
            if self.number_line is None and parse_number(body):
                self.number_line = line
            elif (masthead := _MASTHEAD.match(_nospace(body))) and self.issuer is None:
                self.issuer = masthead[1]
            elif _NOTICE.search(_nospace(body)):
                notice_seen = True
            elif notice_seen and self.recipients is None and body.endswith(("：", ":")):
                self.recipients = body[:-1]
            elif _date(body) and self.date is None:
                self.date = _date(body)
                if self.issuer is None and _SIGNATURE.search(previous):
                    self.issuer = _nospace(previous)  # the signature above the date
            previous = body
        self.issuer = self.metadata.get("发布机构") or self.metadata.get("发文机关") or self.issuer
        for key in ("成文时间", "成文日期"):
            if key in self.metadata and _date(self.metadata[key]):
                self.date = _date(self.metadata[key])

    def number_span(self, source: SourceText) -> Span | None:
        """Where the number is printed (its line in the header), if it is."""
        line = self.number_line
        return source.span(line.body_start, line.body_start + len(line.body)) if line else None

    def number(self) -> tuple[str | None, object]:
        raw = self.metadata.get("发文字号") or self.metadata.get("文号")
        if raw is None and self.number_line is not None:
            raw = self.number_line.body.strip()
        return (raw, parse_number(raw) if raw else None)


def _check_bracket(run: Run, source: SourceText, block: TaskBlock) -> None:
    """A responsibility bracket that opens and never closes is an error, not silent damage."""
    text = run.text
    for opener, closer in (("〔", "〕"), ("（", "）"), ("(", ")")):
        at = text.rfind(opener)
        if at >= 0 and closer not in text[at:] and len(text) - at < 120:
            span = run.span(source, at, len(text))
            raise SourceParseError(
                f"任务 {block.number} 的责任单位括号未闭合", f"task {block.number}: bracket "
                f"{opener} is never closed", file=source.file, line=span.line,
                snippet=text[at:at + 60])


def _task(block: TaskBlock, source: SourceText, *, resolve, plan_year: int | None) -> Task:
    run = block.run.strip()
    text_run, bracket = split_bracket(run)
    if bracket is None:
        _check_bracket(run, source, block)
    stop = text_run.text.find("。")
    heading = _nospace(text_run.text[:stop] if stop >= 0 else text_run.text)
    line_start, _ = source.line_span(block.line)
    start = line_start + len(source.text[line_start:]) - len(source.text[line_start:].lstrip())
    end = run.offsets[-1] + 1 if run.offsets else start
    return Task(
        number=block.number, heading=heading, text=text_run.text, section=block.section,
        subsection=block.subsection, bracket=bracket.run.text if bracket else None,
        assignments=parse_assignments(bracket, source, resolve=resolve) if bracket else (),
        citations=find_citations(text_run, source),
        targets=find_targets(text_run, source, plan_year=plan_year),
        span=source.span(start, end), text_span=text_run.span(source),
        bracket_span=bracket.run.span(source) if bracket else None)


def _sections(layout: Layout, source: SourceText) -> tuple[Section, ...]:
    return tuple(Section(number=h.number, title=_nospace(h.title.text), level=h.level,
                         span=h.title.span(source), text=h.paragraph.text,
                         text_span=h.paragraph.span(source) if h.paragraph.text else None)
                 for h in layout.headings)


_LEVEL_WORDS = (("国务院", "national"), ("国家", "national"), ("部", "national"),
                ("省", "province"), ("自治区", "province"), ("市", "city"), ("州", "city"),
                ("县", "county"), ("区", "county"), ("旗", "county"))


def _level(division: str | None, issuer: str | None) -> str | None:
    """The plan's level: from its division code, else from its issuer's name.

    >>> _level(None, "陵川县人民政府办公室"), _level(None, "山西省人民政府办公厅")
    ('county', 'province')
    """
    if division:
        return level_of(division)
    if issuer:
        government = issuer.split("人民政府")[0] if "人民政府" in issuer else issuer
        for word, level in _LEVEL_WORDS:
            if government.endswith(word) or (word in ("国务院", "国家") and word in issuer):
                return level
    return None


def _division(registry: Registry, issuer: str | None, number) -> str | None:
    if number is not None:
        known = registry.document(str(number))
        if known:
            return known.division
    if issuer:
        ref = registry.resolve(issuer)
        if ref:
            return ref.split("/")[0]
    return None


def parse_plan(text: str, *, source_file: str, registry: Registry | None = None) -> Plan:
    """Parse the text of a plan (with or without its notice) into the plain model."""
    registry = registry or load_registry()
    if not text.strip():
        raise SourceParseError("文件为空", "the file is empty", file=source_file, line=1)
    if "\x00" in text:
        raise SourceParseError("不是文本文件", "not a text file (binary content)",
                               file=source_file, line=text[:text.index("\x00")].count("\n") + 1)
    source = SourceText(text, file=source_file)
    title = _title(text.splitlines()[:80])
    layout = lay_out(source, plan_title=title)
    if not layout.tasks:
        raise SourceParseError("未找到编号任务或措施（如“1.……”“（一）……”）",
                               "no numbered tasks or measures (\"1. …\", \"（一）…\") found",
                               file=source_file, line=1, snippet=text.strip()[:60])
    header = _Header(layout.header)
    raw_number, number = header.number()
    division = _division(registry, header.issuer, number)
    plan_year = number.year if number else (header.date.year if header.date else None)

    def resolve(name: str) -> str | None:
        return registry.resolve(name, division=division)

    tasks = tuple(_task(b, source, resolve=resolve, plan_year=plan_year) for b in layout.tasks)
    sections = _sections(layout, source)
    skip = frozenset({title} if title else ())
    paragraphs = [layout.preamble] + [h.paragraph for h in layout.headings]
    citations: list[Citation] = []
    goals: list[Target] = []
    for run in paragraphs:
        citations.extend(find_citations(run, source, skip_titles=skip))
        goals.extend(find_targets(run, source, plan_year=plan_year))
    return Plan(
        source_file=source_file, number=number, number_as_written=raw_number, title=title,
        issuer=header.issuer, date=header.date, recipients=header.recipients,
        sections=sections, tasks=tasks, citations=tuple(citations), goals=tuple(goals),
        preamble=layout.preamble.text,
        preamble_span=layout.preamble.span(source) if layout.preamble.text else None,
        division=division, level=_level(division, header.issuer),
        number_span=header.number_span(source),
        numbering_restarts=layout.numbering_restarts, metadata=header.metadata)


def parse_file(path: str | Path, *, registry: Registry | None = None) -> Plan:
    """Read a plan file (UTF-8 text or Markdown) and parse it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceParseError(f"无法读取文件（{exc.strerror}）", f"cannot read the file "
                               f"({exc.strerror})", file=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SourceParseError("文件不是 UTF-8 编码的文本", "the file is not UTF-8 text",
                               file=str(path), line=line) from None
    return parse_plan(text.replace("\r\n", "\n").replace("\r", "\n"), source_file=path.name,
                      registry=registry)
