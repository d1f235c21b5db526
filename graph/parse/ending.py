"""The ending of a document: its closing paragraphs and its signature, which belong to no item.

The signature block is read from the end (the issuer, the date and （此件公开发布）, before any
distribution list 抄送…). The closing paragraphs are those after the last item's responsibility
bracket, or, where the last item has none, from a paragraph that addresses everyone (各地区、
各部门要…, 本意见自…).
"""

from __future__ import annotations

import re

from .blocks import RULE, Layout, Line, joined
from .brackets import split_bracket
from .dates import parse_date

__all__ = ["END", "cut_closing", "signature_block"]

END = re.compile(r"^(?:抄送|抄报|主送)\s*[:：]|^\S.*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发\s*$")
_PUBLICATION = re.compile(r"^[（(](?:此件|本件|此页|本文)[^（）()]{0,20}[）)]$")
_SIGNER = re.compile(r"(?:国务院|人民政府|办公室|办公厅|委员会|委|局|厅|部|署|院|行|会|总社|中央|"
                     r"领导小组|指挥部)$")
_CLOSING = re.compile(r"^(?:各地区|各地|各省|各部门|各有关部门|各级|国务院各|国务院有关部门|"
                      r"本(?:意见|通知|方案|计划|措施|办法|政策)|自本(?:通知|意见|方案|办法))")


def signature_block(lines: list[Line]) -> tuple[int, int] | None:
    """Where the signature block at the end (issuer, date, （此件公开发布）) begins, and where
    the distribution list after it (抄送…) begins; None when the document does not end with a
    dated signature."""
    stop = next((i for i, line in enumerate(lines) if END.match(line.body)), len(lines))
    index, dated, start = stop - 1, False, None
    while index >= 0:
        body = lines[index].body
        if not body or RULE.match(lines[index].content) or _PUBLICATION.match(body):
            index -= 1
            continue
        if parse_date(body):
            dated, start = True, index
        elif dated and "。" not in body and len(body) <= 40 and _SIGNER.search(body.split()[-1]):
            start = index
        else:
            break
        index -= 1
    return (start, stop) if dated and start is not None else None


def cut_closing(layout: Layout) -> None:
    """Move the paragraphs after the last item's responsibility bracket (or, without one, from
    a paragraph addressed to everyone) from the last item to the document's closing."""
    if not layout.tasks:
        return
    last = layout.tasks[-1]
    later = [h for h in layout.headings if h.title.offsets and last.run.offsets
             and h.title.offsets[0] > last.run.offsets[0]]
    if later or len(last.parts) < 2:
        return
    bracketed = [i for i, part in enumerate(last.parts) if split_bracket(part)[1] is not None]
    if bracketed:
        cut = bracketed[-1] + 1
    else:
        cut = next((i for i, part in enumerate(last.parts) if i and _CLOSING.match(part.text)),
                   len(last.parts))
    if cut >= len(last.parts):
        return
    layout.closing = joined(last.parts[cut:])
    last.parts = last.parts[:cut]
    last.run = joined(last.parts)
