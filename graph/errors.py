"""The errors plankg raises, in one small tree::

    PlanKGError
    ├── SourceParseError      a source file cannot be read or parsed (file, line, snippet)
    ├── RegistryError         a curated registry is inconsistent (file, line)
    ├── UnknownNameError      a name (agency, plan, sector, query) matches nothing; says the closest
    ├── QueryArgumentError    a query or a query parameter is malformed
    ├── DocumentRefusedError  a document validation finds unusable is not added to a store
    └── StoreError            the graph store cannot be read or written
        ├── StoreUnavailableError  the store cannot be reached (yet): worth retrying
        └── QueryTimeoutError      a query ran past the time limit and was stopped

Every message is bilingual: Chinese first, English beside it.
"""

from __future__ import annotations

__all__ = [
    "DocumentRefusedError",
    "PlanKGError",
    "QueryArgumentError",
    "QueryTimeoutError",
    "RegistryError",
    "SourceParseError",
    "StoreError",
    "StoreUnavailableError",
    "UnknownNameError",
]


class PlanKGError(Exception):
    """Base of every error plankg raises on purpose."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


class SourceParseError(PlanKGError):
    """A source cannot be parsed; says which file and line, and shows the text there."""

    def __init__(self, zh: str, en: str, *, file: str, line: int | None = None,
                 snippet: str = "") -> None:
        self.file = file
        self.line = line
        self.snippet = snippet
        super().__init__(zh, en)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.zh} / {self.en}"
        return f"{text}\n    {self.snippet}" if self.snippet else text


class RegistryError(SourceParseError):
    """A curated registry row is malformed or refers to something that does not exist."""


class UnknownNameError(PlanKGError):
    """A name matches nothing; ``suggestion`` is the closest known name, if any."""

    def __init__(self, kind_zh: str, kind_en: str, name: str, *,
                 suggestion: str | None = None) -> None:
        self.name = name
        self.suggestion = suggestion
        zh = f"未知{kind_zh}：{name}"
        en = f"unknown {kind_en}: {name}"
        if suggestion:
            zh += f"（是否指：{suggestion}？）"
            en += f" (did you mean: {suggestion}?)"
        super().__init__(zh, en)


class QueryArgumentError(PlanKGError):
    """A SPARQL query or a parameter of a named query is malformed."""


class DocumentRefusedError(PlanKGError):
    """A document with violations is not added to a store (unless forced); ``report`` says why."""

    def __init__(self, zh: str, en: str, *, report=None) -> None:
        self.report = report
        super().__init__(zh, en)


class StoreError(PlanKGError):
    """The graph store or the release files cannot be read or written."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached (a server down, a timeout): retrying may help."""


class QueryTimeoutError(StoreError):
    """A query ran past the time limit (and was stopped), or no worker was free in time."""
