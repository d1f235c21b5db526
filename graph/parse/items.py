"""Which numbered paragraphs are the items (tasks or measures), and which frame them.

The items are the deepest numbering a document uses: 1. items where there are any; else its
（一） paragraphs (a set of measures 若干意见 grouped under 一、, numbered on across the groups or
restarting in each); else its 一、 paragraphs, when they are items (a sentence rather than a
short heading, a heading with its text on the same line, or a paragraph with a responsibility
bracket, as in a 通知 of thirty measures).

A part with text of its own and no item under it frames the items: 指导思想, 基本原则, 发展目标…,
anything under a 一、 part of such a name, or a 一、 part such as 有关要求 with text only. It is
kept as a part of the document (:class:`~plankg.graph.parse.blocks.Heading`, ``framing``), with its
text, and is never a task or measure. A paragraph with a responsibility bracket is never framing.
"""

from __future__ import annotations

import re

from .blocks import Heading, Layout, TaskBlock, joined
from .brackets import split_bracket
from .text import SourceText

__all__ = ["FRAMING", "choose_items"]

FRAMING = re.compile(
    r"^(?:(?:总体|主要|工作|发展|试点|预期|阶段性?|近期|远期|总)目标(?:任务)?|目标任务|"
    r"(?:基本|工作|主要|遵循)原则|(?:指导|总体)思想|(?:总体|工作|基本|发展)思路|总体要求|"
    r"(?:重大|重要)意义|战略定位|适用范围|实施范围)$")


def _framing(heading: Heading, section_title: str) -> bool:
    """A part that frames the measures: named so, or under a part so named, and with no
    responsibility bracket of its own."""
    title = re.sub(r"\s+", "", heading.title.text)
    if not (FRAMING.match(title) or FRAMING.match(section_title)):
        return False
    return split_bracket(joined(heading.parts))[1] is None


def _items(layout: Layout, source: SourceText, level: int) -> None:
    """Make the numbered paragraphs of ``level`` the items of a document that has no 1. items;
    framing ones stay headings."""
    top, top_title, kept = 0, "", []
    for heading in layout.headings:
        if heading.level == 1:
            top, top_title = heading.number, re.sub(r"\s+", "", heading.title.text)
        if heading.level != level:
            kept.append(heading)
            continue
        if _framing(heading, top_title if level == 2 else ""):
            heading.framing = True
            kept.append(heading)
            continue
        run = joined(heading.parts)
        if heading.number == 1 and layout.tasks:
            layout.numbering_restarts = True
        layout.tasks.append(TaskBlock(heading.number, top if level == 2 else 0, None, run,
                                      source.line_of(run.offsets[0]), label=heading.label,
                                      parts=list(heading.parts)))
    layout.headings = kept


def _under_framing(layout: Layout) -> dict[int, Heading]:
    """The 1. items that sit in a framing part (1.坚持正确导向 under （三）基本原则), by index,
    with the part they belong to."""
    found, top, top_title, sub = {}, 0, "", None
    headings = iter(sorted(layout.headings, key=lambda h: h.title.offsets[0]
                           if h.title.offsets else 0))
    pending = next(headings, None)
    for index, task in enumerate(layout.tasks):
        start = task.run.offsets[0] if task.run.offsets else 0
        while pending is not None and pending.title.offsets and pending.title.offsets[0] < start:
            if pending.level == 1:
                top, top_title, sub = pending.number, _title(pending), None
            else:
                sub = pending
            pending = next(headings, None)
        holder = sub if sub is not None else None
        if FRAMING.match(top_title) or (holder is not None and FRAMING.match(_title(holder))):
            found[index] = holder or _top(layout, top)
    return found


def _title(heading: Heading) -> str:
    return re.sub(r"\s+", "", heading.title.text)


def _top(layout: Layout, number: int) -> Heading:
    return next(h for h in layout.headings if h.level == 1 and h.number == number)


def _demote_framed(layout: Layout) -> None:
    """1. items inside a framing part are its text, not items (their number kept in it)."""
    framed = {i: h for i, h in _under_framing(layout).items()
              if split_bracket(joined(layout.tasks[i].parts))[1] is None}
    for index in sorted(framed):
        task, holder = layout.tasks[index], framed[index]
        run = joined([task.whole, *task.parts[1:]])
        holder.paragraph.extend(run)
        holder.parts.append(run)
    layout.tasks = [t for i, t in enumerate(layout.tasks) if i not in framed]


def _mark_framing(layout: Layout) -> None:
    """A part with text of its own and no item under it frames the items (一、指导思想,
    （二）基本原则。…, 五、有关要求)."""
    top = 0
    for heading in layout.headings:
        if heading.level == 1:
            top = heading.number
            under = [t for t in layout.tasks if t.section == heading.number]
        else:
            under = [t for t in layout.tasks
                     if t.section == top and t.subsection == heading.number]
        if heading.paragraph.text.strip("。：: ") and not under:
            heading.framing = True


def choose_items(layout: Layout, source: SourceText) -> None:
    _demote_framed(layout)
    if layout.tasks:
        pass
    elif any(h.level == 2 for h in layout.headings):
        _items(layout, source, 2)
    elif any(h.item_form or split_bracket(joined(h.parts))[1] for h in layout.headings):
        _items(layout, source, 1)
    _mark_framing(layout)
