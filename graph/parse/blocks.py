"""The blocks a document is laid out in: lines, headings, items and the layout that holds them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Run

__all__ = ["RULE", "Heading", "Layout", "Line", "TaskBlock", "joined"]

RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")  # a Markdown horizontal rule


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
    label: str = ""
    item_form: bool = False
    framing: bool = False
    parts: list[Run] = field(default_factory=list)


@dataclass
class TaskBlock:
    number: int
    section: int
    subsection: int | None
    run: Run
    line: int
    label: str = ""
    parts: list[Run] = field(default_factory=list)
    whole: Run = field(default_factory=Run.empty)  # the first line with its number


@dataclass
class Layout:
    header: list[Line] = field(default_factory=list)
    plan_title: Line | None = None
    preamble: Run = field(default_factory=Run.empty)
    headings: list[Heading] = field(default_factory=list)
    tasks: list[TaskBlock] = field(default_factory=list)
    trailer: list[Line] = field(default_factory=list)
    numbering_restarts: bool = False
    closing: Run = field(default_factory=Run.empty)
    signature: list[Line] = field(default_factory=list)
    comments: list[Line] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # every line of the document


def joined(parts: list[Run]) -> Run:
    """The runs one after another, as one run."""
    run = Run.empty()
    for part in parts:
        run.extend(part)
    return run
