"""Layout: which lines of a document are the header, the headings, the items and the ending.

The real structure of a plan is its numbering (一、 / （一） / 1.), not its Markdown heading
levels, which are inconsistent in converted documents. Lines are classified by their numbering and
by what number is expected next; every other line continues the block before it. A block that
crosses a page break is joined back into one :class:`Run`.

Which numbered paragraphs are the items, and which frame them, is decided once the whole
document is read (:mod:`plankg.graph.parse.items`); the closing paragraphs and the signature are cut
from the last item (:mod:`plankg.graph.parse.ending`): they are the document's.
"""

from __future__ import annotations

import re

from .blocks import RULE, Heading, Layout, Line, TaskBlock, joined
from .ending import END, cut_closing, signature_block
from .items import choose_items
from .text import Run, SourceText, cn_number

__all__ = ["Heading", "Layout", "Line", "TaskBlock", "lay_out"]

_MARKUP = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?P<body>.*?)\s*(?:\*\*|__)?\s*$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_SECTION = re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<rest>\S.*)$")
_SUBSECTION = re.compile(r"^[（(]\s*(?P<num>[一二三四五六七八九十]{1,3})\s*[）)]\s*(?P<rest>\S.*)$")
_TASK = re.compile(r"^(?P<num>\d{1,5})\s*[.．、](?!\d)\s*(?P<rest>.*)$")
_HEADING_MAX = 30


def _lines(source: SourceText) -> list[Line]:
    lines = []
    for n in range(1, source.line_count + 1):
        start, end = source.line_span(n)
        content = source.text[start:end]
        match = _MARKUP.match(content)
        body = match["body"] if match else content.strip()
        body_start = start + (match.start("body") if match else 0)
        lines.append(Line(n, start, end, content, body_start, body))
    return lines


def _split_heading(line: Line, rest_at: int) -> tuple[Run, Run]:
    """Title and trailing text of a heading line such as （一）指导思想。坚持…"""
    run = line.run(markup=True)
    stop = run.text.find("。", rest_at)
    if stop < 0 or stop - rest_at <= 0:
        return run.slice(rest_at, len(run.text)).strip(), Run.empty()
    return run.slice(rest_at, stop).strip(), run.slice(stop, len(run.text)).strip()


def _headed(rest: str) -> bool:
    """Text that starts like a task: a short heading closed by 。"""
    stop = rest.find("。")
    return 0 < stop <= _HEADING_MAX


def _is_title(body: str, title: str | None) -> bool:
    return bool(title) and re.sub(r"\s+", "", body) == title


def _short(rest: str) -> bool:
    head = rest.split("。", 1)[0]
    return len(head) <= _HEADING_MAX and not head.endswith(("，", "、", "；"))


class _Builder:
    def __init__(self, plan_title: str | None, body_from: int | None) -> None:
        self.layout = Layout()
        self.title = plan_title
        self.body_from = body_from
        self.in_body = False
        self.section = 0
        self.subsection: int | None = None
        self.last_sub = 0
        self.last_task = 0
        self.section_since_task = False
        self.current: Run | None = None
        self.parts: list[Run] | None = None

    def feed(self, line: Line) -> bool:
        """Classify one line; False once the trailer (抄送…) has begun."""
        if not line.body or RULE.match(line.content):
            return True
        if _COMMENT.match(line.content):
            self.layout.comments.append(line)
            return True
        if self.layout.tasks and END.match(line.body):
            return False
        if self.body_from is not None and line.number < self.body_from:
            self.layout.header.append(line)
            return True
        if self.body_from is not None and not self.in_body:
            self.in_body = True
            self.current, self.parts = self.layout.preamble, None
        if self._heading(line) or self._task(line):
            return True
        if not self.in_body:
            if _is_title(line.body, self.title) and not self.layout.plan_title:
                self.layout.plan_title = line
                self.in_body = True
                self.current, self.parts = self.layout.preamble, None
            else:
                self.layout.header.append(line)
            return True
        self._continue(line.run(markup=False))
        return True

    def _continue(self, run: Run) -> None:
        if self.current is not None:
            self.current.extend(run)
        if self.parts is not None:
            self.parts.append(run)

    def _heading(self, line: Line) -> bool:
        body = line.body
        match = _SECTION.match(body)
        if match and self._next(cn_number(match["num"]), self.section, match["rest"]):
            self.section = cn_number(match["num"])
            self.subsection = None
            self._open_heading(line, 1, self.section, match)
            return True
        match = _SUBSECTION.match(body)
        if match and self._acceptable(match["rest"]):
            number = cn_number(match["num"])
            if (self._next(number, self.last_sub, match["rest"]) or number == 1) and (
                    self.section or self.last_sub or number == 1):
                self.last_sub = self.subsection = number
                self._open_heading(line, 2, number, match)
                return True
        return False

    def _next(self, number: int, last: int, rest: str) -> bool:
        """The next number; or, after a gap of at most two, a short heading (a number left out
        by mistake is kept, and validation reports the gap)."""
        if number == last + 1:
            return self._acceptable(rest)
        return last + 1 < number <= last + 3 and _short(rest)

    def _acceptable(self, rest: str) -> bool:
        """A short heading; or, while no 1. item has been seen, an item of its own (a sentence)."""
        return _short(rest) or not self.last_task

    def _open_heading(self, line: Line, level: int, number: int, match: re.Match[str]) -> None:
        self.in_body = True
        self.section_since_task = True
        title, paragraph = _split_heading(line, match.start("rest"))
        first = line.run(markup=True)
        heading = Heading(number=number, level=level, title=title, paragraph=paragraph,
                          label=match[0][:match.start("rest")].strip(),
                          item_form=not _short(match["rest"]) or bool(
                              paragraph.text.strip("。 ")),
                          parts=[first.slice(match.start("rest"), len(first.text)).strip()])
        self.layout.headings.append(heading)
        self.current, self.parts = heading.paragraph, heading.parts

    def _task(self, line: Line) -> bool:
        match = _TASK.match(line.content.strip())
        if not match or not self.section:
            return False
        number = int(match["num"])
        if number == self.last_task + 1:
            pass
        elif number == 1 and self.last_task and self.section_since_task:
            self.layout.numbering_restarts = True
        elif not (self.last_task <= number <= self.last_task + 3 and _headed(match["rest"])):
            return False  # a number inside running text, not a task
        # a repeated number or a small gap is kept as a task: validation reports it
        self.last_task = number
        self.section_since_task = False
        run = line.run(markup=False)
        offset = len(run.text) - len(match["rest"].strip()) if match["rest"].strip() else len(
            run.text)
        first = run.slice(offset, len(run.text))
        block = TaskBlock(number, self.section, self.subsection, first, line.number,
                          label=run.text[:offset].strip(), parts=[first], whole=run)
        block.run = joined([first])
        self.layout.tasks.append(block)
        self.current, self.parts = block.run, block.parts
        return True


def lay_out(source: SourceText, *, plan_title: str | None,
            body_from: int | None = None) -> Layout:
    """Classify the lines of ``source`` into header, headings, items, closing and trailer.

    ``body_from`` is the line where the body begins when the title is printed at the top
    (an 意见 with no 印发 notice): the lines before it are the header.
    """
    builder = _Builder(plan_title, body_from)
    lines = _lines(source)
    signature = signature_block(lines)
    body = lines if signature is None else lines[:signature[0]]
    for index, line in enumerate(body):
        if not builder.feed(line):
            builder.layout.trailer = [ln for ln in lines[index:] if ln.body]
            break
    else:
        if signature is not None:
            builder.layout.trailer = [ln for ln in lines[signature[0]:] if ln.body]
    layout = builder.layout
    layout.lines = lines
    if signature is not None:
        layout.signature = [ln for ln in lines[signature[0]:signature[1]] if ln.body]
    choose_items(layout, source)
    cut_closing(layout)
    return layout
