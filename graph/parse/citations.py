"""Mentions of other documents: 《title》（number）, a bare number, or a title alone.

Each mention becomes a :class:`~plankg.graph.model.Citation` whose relation is read from its context:
根据《X》…制定 is ``based_on``, 《X》…同时废止 (or …停止执行) is ``repeals``, 贯彻落实《X》 is
``ensures_implementation_of``, and anything else is ``cites``.
"""

from __future__ import annotations

import re

from ..model import Citation
from .docnumber import NUMBER_RE, parse_number
from .text import Run, SourceText

__all__ = ["find_citations"]

_TITLED = re.compile(r"《(?P<title>[^《》]{2,120})》\s*(?:[（(]\s*(?P<number>[^（）()]{4,30}?)\s*[）)])?")
_SENTENCE_END = re.compile(r"[。；！？]")
_BASIS = re.compile(r"(?:根据|依据|按照)")
_IMPLEMENTS = re.compile(r"(?:贯彻落实|贯彻执行|贯彻|落实|执行)")


def _sentence(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the sentence before ``start`` and after ``end``."""
    before = _SENTENCE_END.split(text[:start])[-1]
    after = _SENTENCE_END.split(text[end:], maxsplit=1)[0]
    return before, after


def _relation(text: str, start: int, end: int) -> str:
    before, after = _sentence(text, start, end)
    if "废止" in after or "停止执行" in after:
        return "repeals"
    if _BASIS.search(before) and ("制定" in after or "精神" in after):
        return "based_on"
    if _IMPLEMENTS.search(before):
        return "ensures_implementation_of"
    return "cites"


def find_citations(run: Run, source: SourceText, *, skip_titles: frozenset[str] = frozenset()
                   ) -> tuple[Citation, ...]:
    """Every document a run of text mentions, in order; titles in ``skip_titles`` are ignored."""
    found: list[tuple[int, Citation]] = []
    taken: list[tuple[int, int]] = []
    text = run.text
    for match in _TITLED.finditer(text):
        title = re.sub(r"\s+", "", match["title"])
        raw = match["number"]
        number = parse_number(raw) if raw else None
        end = match.end() if number else match.end("title") + 1
        if title in skip_titles and number is None:
            continue
        taken.append((match.start(), end))
        found.append((match.start(), Citation(
            relation=_relation(text, match.start(), end), number=number,
            number_as_written=raw.strip() if number else None, title=title,
            span=run.span(source, match.start(), end))))
    for match in NUMBER_RE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        number = parse_number(match[0])
        if number is None:
            continue
        start = match.end() - len(match[0].lstrip()) + (len(match["code"]) - len(
            number.series_code))
        found.append((start, Citation(
            relation=_relation(text, start, match.end()), number=number,
            number_as_written=text[start:match.end()], title=None,
            span=run.span(source, start, match.end()))))
    return tuple(c for _, c in sorted(found, key=lambda pair: pair[0]))
