"""The plain model a parsed plan becomes: dataclasses only, no RDF.

Every extracted piece carries a :class:`Span` into the source text, so any fact
in the graph can be traced back to its characters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "ROLES",
    "Assignment",
    "Citation",
    "DocNumber",
    "Plan",
    "Section",
    "Span",
    "Target",
    "Task",
]

ROLES = ("lead", "support", "responsible", "unspecified")


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` (code points, end exclusive) of the source; ``line`` is 1-based."""

    start: int
    end: int
    line: int


@dataclass(frozen=True)
class DocNumber:
    """A 发文字号 split into its parts, e.g. 沁政办发〔2022〕33号."""

    series_code: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.series_code}〔{self.year}〕{self.serial}号"


@dataclass(frozen=True)
class Citation:
    """A place in the text that names another document.

    ``relation`` is the ELI relation the context supports: ``cites`` always, or
    ``based_on`` (根据…制定), ``repeals`` (…同时废止), ``ensures_implementation_of`` (贯彻落实…).
    """

    relation: str
    number: DocNumber | None
    number_as_written: str | None
    title: str | None
    span: Span


@dataclass(frozen=True)
class Assignment:
    """One agency named in a task's responsibility bracket, with its role."""

    as_written: str
    agency_key: str | None
    role: str
    order: int
    span: Span


@dataclass(frozen=True)
class Target:
    """A quantitative target: 新建5G基站40个, 增速9%左右, 由36个月压减至24个月…"""

    indicator: str
    value: Decimal
    unit: str
    comparator: str
    kind: str
    commitment: str
    deadline: dt.date | None
    deadline_stated: bool
    as_written: str
    span: Span
    baseline: Decimal | None = None


@dataclass(frozen=True)
class Section:
    """A numbered part of the plan: a top section 一、… (level 1) or a sub-sector （一）… (level 2)."""

    number: int
    title: str
    level: int
    span: Span
    text: str = ""
    text_span: Span | None = None


@dataclass(frozen=True)
class Task:
    number: int
    heading: str
    text: str
    section: int
    subsection: int | None
    bracket: str | None
    assignments: tuple[Assignment, ...]
    citations: tuple[Citation, ...]
    targets: tuple[Target, ...]
    span: Span
    text_span: Span
    bracket_span: Span | None


@dataclass(frozen=True)
class Plan:
    """A parsed plan document (the notice and the plan it issues)."""

    source_file: str
    number: DocNumber | None
    number_as_written: str | None
    title: str | None
    issuer: str | None
    date: dt.date | None
    recipients: str | None
    sections: tuple[Section, ...]
    tasks: tuple[Task, ...]
    citations: tuple[Citation, ...]
    goals: tuple[Target, ...]
    preamble: str = ""
    preamble_span: Span | None = None
    division: str | None = None
    level: str | None = None
    number_span: Span | None = None
    numbering_restarts: bool = False
    metadata: dict[str, str] = field(default_factory=dict)
