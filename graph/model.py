"""The plain model a parsed plan becomes: dataclasses only, no RDF.

Every extracted piece carries a :class:`Span` into the source text, so any fact
in the graph can be traced back to its characters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "GENRE_KEYS",
    "POLICY_GENRES",
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

# Genres (what a title calls the document at its end), with the keys of their concepts
# (``id/genre/{key}``, ontology/document.ttl).
GENRE_KEYS = {
    "行动计划": "action-plan", "行动方案": "action-programme", "实施方案": "implementation-plan",
    "工作方案": "work-plan", "方案": "programme", "工作要点": "work-points", "要点": "key-points",
    "计划": "plan", "规划": "development-plan", "纲要": "outline", "意见": "opinion",
    "若干意见": "several-opinions", "指导意见": "guiding-opinion", "实施意见": "implementing-opinion",
    "措施": "measures", "若干措施": "several-measures", "政策措施": "policy-measures", "政策": "policies",
    "若干政策": "several-policies", "通知": "notice", "决定": "decision", "办法": "measures-regulation",
    "细则": "detailed-rules", "规定": "provisions", "函": "letter", "复函": "reply-letter",
    "批复": "approval-reply", "答复": "reply", "报告": "report"
}
# Genres whose numbered items are measures that need not name an agency; every other genre
# (行动计划, 实施方案, 工作要点…) is a plan of tasks.
POLICY_GENRES = frozenset({"意见", "若干意见", "指导意见", "实施意见", "措施", "若干措施",
                           "政策措施", "政策", "若干政策", "通知", "决定", "办法", "细则",
                           "规定", "函", "复函", "批复", "答复", "报告"})


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
    """One agency named in a task's responsibility bracket, with its role.

    ``followed_by`` keeps the words printed after the name that widen it (等, 等有关部门,
    会同有关部门); ``lead_by_list_order`` is True where the role ``lead`` comes from the
    document's rule that the first-listed agency leads (排在第一位的部门为牵头部门), not from a
    role word.
    """

    as_written: str
    agency_key: str | None
    role: str
    order: int
    span: Span
    followed_by: str | None = None
    lead_by_list_order: bool = False


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
    """A numbered part of the plan: a top section 一、… (level 1) or a sub-sector （一）… (level 2).

    ``framing`` marks a part that frames the measures (指导思想, 基本原则, 发展目标…): it has its
    own text, and it is not a task or measure.
    """

    number: int
    title: str
    level: int
    span: Span
    text: str = ""
    text_span: Span | None = None
    framing: bool = False
    label: str = ""


@dataclass(frozen=True)
class Task:
    """A numbered item: a task of a plan, or a measure of a policy document.

    ``section`` is the number of its 一、 part (0 when the document has none); ``label`` the
    number as printed (1., （三）, 十二、); ``bracket`` the final responsibility bracket, cut
    from ``text``; ``brackets`` every responsibility bracket read, the final one included
    (brackets inside the text stay in ``text``).
    """

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
    label: str = ""
    brackets: tuple[str, ...] = ()


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
    genre: str | None = None
    closing: str = ""
    closing_span: Span | None = None
    signature: str = ""
    signature_span: Span | None = None
    lead_rule: str = ""
    lead_rule_span: Span | None = None

    @property
    def kind(self) -> str:
        """``plan`` (an action plan: every task names its agencies) or ``policy`` (意见, 措施,
        通知…: a set of measures, which need not name an agency), from the genre."""
        return "policy" if self.genre in POLICY_GENRES else "plan"
