"""Layout: which lines of a plan are the header, the headings, the tasks and their text.

The real structure of a plan is its numbering (一、 / （一） / 1.), not its Markdown heading
levels, which are inconsistent in converted documents. Lines are classified by their numbering and
by what number is expected next; every other line continues the block before it. A block that
crosses a page break is joined back into one :class:`Run`. A document with no 1. item at all (a
set of measures numbered 一、 / （一）) has its （一） items as its tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Run, SourceText, cn_number

__all__ = ["Heading", "Layout", "Line", "TaskBlock", "lay_out"]

_MARKUP = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?P<body>.*?)\s*(?:\*\*|__)?\s*$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_SECTION = re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<rest>\S.*)$")
_SUBSECTION = re.compile(r"^[（(]\s*(?P<num>[一二三四五六七八九十]{1,3})\s*[）)]\s*(?P<rest>\S.*)$")
_TASK = re.compile(r"^(?P<num>\d{1,3})\s*[.．、](?!\d)\s*(?P<rest>.*)$")
_END = re.compile(r"^(?:抄送|抄报|主送)\s*[:：]|^\S.*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发\s*$")
_HEADING_MAX = 30


@dataclass(frozen=True)
class Line:
    """One physical line, with the offsets of its content once Markdown markup is removed."""

    number: int
    start: int
    end: int
    content: str
    body_start: int
    body: str

    def run(self, *, markup: bool) -> Run:
        """The line's text as a run: without markup for headings, whole otherwise."""
        run = Run.empty()
        if markup:
            run.append(self.body, self.body_start)
        else:
            run.append(self.content, self.start)
        return run.strip()


@dataclass
class Heading:
    number: int
    level: int
    title: Run
    paragraph: Run = field(default_factory=Run.empty)


@dataclass
class TaskBlock:
    number: int
    section: int
    subsection: int | None
    run: Run
    line: int


@dataclass
class Layout:
    header: list[Line] = field(default_factory=list)
    plan_title: Line | None = None
    preamble: Run = field(default_factory=Run.empty)
    headings: list[Heading] = field(default_factory=list)
    tasks: list[TaskBlock] = field(default_factory=list)
    trailer: list[Line] = field(default_factory=list)
    numbering_restarts: bool = False


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


class _Builder:
    def __init__(self, plan_title: str | None) -> None:
        self.layout = Layout()
        self.title = plan_title
        self.in_body = False
        self.section = 0
        self.subsection: int | None = None
        self.last_sub = 0
        self.last_task = 0
        self.section_since_task = False
        self.current: Run | None = None

    def feed(self, line: Line) -> bool:
        """Classify one line; False once the trailer (抄送…) has begun."""
        if not line.body or _RULE.match(line.content):
            return True
        if self.layout.tasks and _END.match(line.body):
            return False
        if self._heading(line) or self._task(line):
            return True
        if not self.in_body:
            if _is_title(line.body, self.title) and not self.layout.plan_title:
                self.layout.plan_title = line
                self.in_body = True
                self.current = self.layout.preamble
            else:
                self.layout.header.append(line)
            return True
        if self.current is not None:
            self.current.extend(line.run(markup=False))
        return True

    def _heading(self, line: Line) -> bool:
        body = line.body
        match = _SECTION.match(body)
        if match and cn_number(match["num"]) == self.section + 1 and self._short(match["rest"]):
            self.section += 1
            self.subsection = None
            self._open_heading(line, 1, self.section, match.start("rest"))
            return True
        match = _SUBSECTION.match(body)
        if match and self.section and self._short(match["rest"]):
            number = cn_number(match["num"])
            if number in (self.last_sub + 1, 1):
                self.last_sub = self.subsection = number
                self._open_heading(line, 2, number, match.start("rest"))
                return True
        return False

    @staticmethod
    def _short(rest: str) -> bool:
        head = rest.split("。", 1)[0]
        return len(head) <= _HEADING_MAX and not head.endswith(("，", "、", "；"))

    def _open_heading(self, line: Line, level: int, number: int, rest_at: int) -> None:
        self.in_body = True
        self.section_since_task = True
        title, paragraph = _split_heading(line, rest_at)
        heading = Heading(number=number, level=level, title=title, paragraph=paragraph)
        self.layout.headings.append(heading)
        self.current = heading.paragraph

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
        block = TaskBlock(number, self.section, self.subsection,
                          run.slice(offset, len(run.text)), line.number)
        self.layout.tasks.append(block)
        self.current = block.run
        return True


def _subsection_items(layout: Layout, source: SourceText) -> None:
    """A document numbered 一、 and （一） only, as many sets of measures (若干政策) are: its
    （一） paragraphs are its numbered items, the tasks of the layout."""
    top, headings = 0, []
    for heading in layout.headings:
        if heading.level == 1:
            top = heading.number
            headings.append(heading)
            continue
        run = Run(heading.title.text + heading.paragraph.text,
                  heading.title.offsets + heading.paragraph.offsets)
        if heading.number == 1 and layout.tasks:
            layout.numbering_restarts = True
        layout.tasks.append(TaskBlock(heading.number, top, None, run,
                                      source.line_of(heading.title.offsets[0])))
    layout.headings = headings


def lay_out(source: SourceText, *, plan_title: str | None) -> Layout:
    """Classify the lines of ``source`` into header, headings, tasks and trailer.

    With no task numbered 1. at all, the （一） items are the tasks.
    """
    builder = _Builder(plan_title)
    lines = _lines(source)
    for index, line in enumerate(lines):
        if not builder.feed(line):
            builder.layout.trailer = [ln for ln in lines[index:] if ln.body]
            break
    if not builder.layout.tasks:
        _subsection_items(builder.layout, source)
    return builder.layout
