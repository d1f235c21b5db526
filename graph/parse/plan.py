"""Assemble a :class:`~plankg.graph.model.Plan` from a source text: header facts, sections, tasks."""

from __future__ import annotations

import re
from pathlib import Path

from ..divisions import level_of
from ..errors import SourceParseError
from ..model import Citation, Plan, Section, Span, Target, Task
from ..registry import Registry, load_registry
from .brackets import inner_brackets, lead_rule, parse_assignments, split_bracket
from .citations import find_citations
from .header import Header, find_title, genre_of, top_title
from .layout import Layout, TaskBlock, lay_out
from .reading import decode_text, read_bounded
from .targets import find_targets
from .text import Run, SourceText

__all__ = ["parse_file", "parse_plan"]


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


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _task(block: TaskBlock, source: SourceText, *, resolve, plan_year: int | None,
          lead_rule_from: int | None) -> Task:
    run = block.run.strip()
    text_run, bracket = split_bracket(run)
    if bracket is None:
        _check_bracket(run, source, block)
    brackets = [*inner_brackets(text_run), *([bracket] if bracket else [])]
    stop = text_run.text.find("。")
    heading = _nospace(text_run.text[:stop] if stop >= 0 else text_run.text)
    line_start, _ = source.line_span(block.line)
    start = line_start + len(source.text[line_start:]) - len(source.text[line_start:].lstrip())
    end = run.offsets[-1] + 1 if run.offsets else start
    return Task(
        number=block.number, heading=heading, text=text_run.text, section=block.section,
        subsection=block.subsection, bracket=bracket.run.text if bracket else None,
        assignments=parse_assignments(brackets, source, resolve=resolve,
                                      lead_rule_from=lead_rule_from),
        citations=find_citations(text_run, source),
        targets=find_targets(text_run, source, plan_year=plan_year),
        span=source.span(start, end), text_span=text_run.span(source),
        bracket_span=bracket.run.span(source) if bracket else None, label=block.label,
        brackets=tuple(b.run.text for b in brackets))


def _sections(layout: Layout, source: SourceText) -> tuple[Section, ...]:
    return tuple(Section(number=h.number, title=_nospace(h.title.text), level=h.level,
                         span=h.title.span(source), text=h.paragraph.text,
                         text_span=h.paragraph.span(source) if h.paragraph.text else None,
                         framing=h.framing, label=h.label)
                 for h in layout.headings)


_LEVEL_WORDS = (("国务院", "national"), ("国家", "national"), ("部", "national"),
                ("省", "province"), ("自治区", "province"), ("市", "city"), ("州", "city"),
                ("县", "county"), ("区", "county"), ("旗", "county"))


def _level(division: str | None, issuer: str | None) -> str | None:
    """The plan's level: from its division code, else from its issuer's name.

    >>> _level(None, "陵川县人民政府办公室"), _level(None, "山西省人民政府办公厅")
    ('county', 'province')
    >>> _level(None, "国务院办公厅")
    'national'
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
        by_series = registry.series_division(number.series_code)
        if by_series:
            return by_series
    if issuer:
        ref = registry.resolve(issuer)
        if ref:
            return ref.split("/")[0]
    return None


def _lead_rule_from(source: SourceText, layout: Layout) -> tuple[int | None, Span | None]:
    """Where the document's first-listed-lead rule starts to hold: from its statement on, or
    from the start when it is stated after the last item (a closing note); and the span of
    the statement, its leading punctuation left out."""
    match = lead_rule(source.text)
    if match is None:
        return None, None
    start = match.start() + len(match[0]) - len(match[0].lstrip("，,。；; "))
    last = max((t.run.offsets[-1] for t in layout.tasks if t.run.offsets), default=0)
    return (0 if start > last else start), source.span(start, match.end())


def _source_slice(source: SourceText, lines) -> tuple[str, Span | None]:
    if not lines:
        return "", None
    start, end = lines[0].body_start, lines[-1].body_start + len(lines[-1].body)
    return source.text[start:end], source.span(start, end)


def _layout(source: SourceText, text: str) -> tuple[Layout, str | None]:
    head = text.splitlines()[:80]
    title, body_from = find_title(head), None
    if title is None:
        title, body_from = top_title(head)
    return lay_out(source, plan_title=title, body_from=body_from), title


def parse_plan(text: str, *, source_file: str, registry: Registry | None = None) -> Plan:
    """Parse the text of a plan (with or without its notice) into the plain model."""
    registry = registry or load_registry()
    if not text.strip():
        raise SourceParseError("文件为空", "the file is empty", file=source_file, line=1)
    if "\x00" in text:
        raise SourceParseError("不是文本文件", "not a text file (binary content)",
                               file=source_file, line=text[:text.index("\x00")].count("\n") + 1)
    source = SourceText(text, file=source_file)
    layout, title = _layout(source, text)
    if not layout.tasks:
        raise SourceParseError("未找到编号任务或措施（如“1.……”“（一）……”）",
                               "no numbered tasks or measures (\"1. …\", \"（一）…\") found",
                               file=source_file, line=1, snippet=text.strip()[:60])
    header = Header(layout.header, signature=layout.signature, comments=layout.comments,
                    title=title, body=layout.lines)
    raw_number, number = header.number()
    division = _division(registry, header.issuer, number)
    plan_year = number.year if number else (header.date.year if header.date else None)
    rule_from, rule_span = _lead_rule_from(source, layout)

    def resolve(name: str) -> str | None:
        return registry.resolve(name, division=division)

    tasks = tuple(_task(b, source, resolve=resolve, plan_year=plan_year,
                        lead_rule_from=rule_from) for b in layout.tasks)
    skip = frozenset({title} if title else ())
    citations: list[Citation] = []
    goals: list[Target] = []
    for run in [layout.preamble, *(h.paragraph for h in layout.headings), layout.closing]:
        citations.extend(find_citations(run, source, skip_titles=skip))
        goals.extend(find_targets(run, source, plan_year=plan_year))
    signature, signature_span = _source_slice(source, layout.signature)
    return Plan(
        source_file=source_file, number=number, number_as_written=raw_number, title=title,
        issuer=header.issuer, date=header.date, recipients=header.recipients,
        sections=_sections(layout, source), tasks=tasks, citations=tuple(citations),
        goals=tuple(goals), preamble=layout.preamble.text,
        preamble_span=layout.preamble.span(source) if layout.preamble.text else None,
        division=division, level=_level(division, header.issuer),
        number_span=header.number_span(source),
        numbering_restarts=layout.numbering_restarts, metadata=header.metadata,
        genre=genre_of(title), closing=layout.closing.text,
        closing_span=layout.closing.span(source) if layout.closing.text else None,
        signature=signature, signature_span=signature_span, lead_rule_span=rule_span,
        lead_rule=text[rule_span.start:rule_span.end] if rule_span else "")


def parse_file(path: str | Path, *, registry: Registry | None = None) -> Plan:
    """Read a plan file (text or Markdown, UTF-8 or GB18030, bounded: see
    :mod:`plankg.graph.parse.reading`) and parse it."""
    path = Path(path)
    text, _ = decode_text(read_bounded(path), file=path.name)
    return parse_plan(text, source_file=path.name, registry=registry)
