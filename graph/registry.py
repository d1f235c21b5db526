"""Curated registries: agencies, known documents, curated relations and the sources manifest.

Plain CSV files in ``graph/registries`` and ``graph/sources``, read into dataclasses. Every row
carries its source. A malformed row raises :class:`~plankg.graph.errors.RegistryError` with file and
line.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from functools import cache

from .divisions import level_of
from .errors import RegistryError, UnknownNameError
from .paths import registries_dir, sources_dir

_GENERIC = re.compile(r"^(?!市场)[县市省区镇乡]")
# Collective phrases printed where an agency would be (各省级人民政府, 有关部门): no registered
# agency is ever suggested for them.
_COLLECTIVE = re.compile(r"^(?:各|有关|相关|其他)")
AGENCY_FILES = ("agencies.csv", "national-agencies.csv")

__all__ = ["AGENCY_FILES", "Agency", "KnownDocument", "Registry", "Relation", "Series",
           "SourceEntry", "load_registry"]


@dataclass(frozen=True)
class Agency:
    key: str
    division: str
    name_zh: str
    name_en: str
    kind: str
    parent: str | None
    aliases: tuple[str, ...]
    source: str
    file: str = "agencies.csv"  # the registry file it comes from

    @property
    def ref(self) -> str:
        """The registry reference ``division/key``."""
        return f"{self.division}/{self.key}"


@dataclass(frozen=True)
class KnownDocument:
    number: str
    series_code: str
    year: int
    serial: int
    division: str
    series_key: str
    title: str
    issuer: str
    date: str
    date_kind: str
    level: str
    doc_type: str
    source: str


@dataclass(frozen=True)
class Series:
    """Series codes (发文字号 代字) that begin with ``prefix`` belong to ``division``."""

    prefix: str
    division: str
    source: str


@dataclass(frozen=True)
class SourceEntry(KnownDocument):
    file: str = ""


@dataclass(frozen=True)
class Relation:
    """A curated link between two documents, or between parts of them: ``subject_task`` and
    ``object_task`` are printed task numbers (``object_heading``, the heading of the object's
    part), for a task that implements a measure of a parent document."""

    subject: str
    relation: str
    object: str
    source: str
    subject_task: int | None = None
    object_task: int | None = None
    object_heading: str = ""


def _rows(folder, name: str) -> list[tuple[int, dict[str, str]]]:
    text = folder.joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return [(reader.line_num, {k: (v or "").strip() for k, v in row.items()}) for row in reader]


def _document(row: dict[str, str], *, where: str, line: int, cls=KnownDocument, **extra):
    try:
        return cls(number=row["number"], series_code=row["series_code"], year=int(row["year"]),
                   serial=int(row["serial"]), division=row["division"],
                   series_key=row["series_key"], title=row["title"], issuer=row["issuer"],
                   date=row["date"], date_kind=row.get("date_kind", "issued") or "",
                   level=row["level"], doc_type=row["doc_type"], source=row["source"], **extra)
    except (KeyError, ValueError) as exc:
        raise RegistryError("登记表行格式错误", f"malformed registry row ({exc})",
                            file=where, line=line, snippet=",".join(row.values())) from None


class Registry:
    """The curated facts, with name lookups."""

    def __init__(self, agencies: list[Agency], documents: list[KnownDocument],
                 relations: list[Relation], sources: list[SourceEntry], *,
                 series: list[Series] = ()) -> None:
        self.agencies = agencies
        self.documents = documents
        self.relations = relations
        self.sources = sources
        self.series = sorted(series, key=lambda s: -len(s.prefix))
        self.by_ref = {a.ref: a for a in agencies}
        self._names: dict[str, list[Agency]] = {}
        for agency in agencies:
            for name in (agency.name_zh, *agency.aliases):
                self._names.setdefault(name, []).append(agency)

    def resolve(self, name: str, *, division: str | None = None) -> str | None:
        """The ``division/key`` of the agency printed as ``name``, or None.

        A generic short name (县发改局, 市商务局) names the agency of the plan's own division only:
        in a plan of another county, or of an unknown one, it stays unresolved.

        >>> load_registry().resolve("县发改局", division="140521")
        '140521/drc'
        >>> load_registry().resolve("县发改局", division=None) is None
        True
        """
        matches = [a for a in self._names.get(name, [])
                   if a.division == division or not _GENERIC.match(name)]
        return matches[0].ref if len(matches) == 1 else None

    def closest(self, name: str, *, level: str | None = None) -> str | None:
        """The registered name closest to ``name`` (for messages that suggest a fix); with
        ``level``, only names of agencies of that level (a national document's 体育总局 is
        never offered a county bureau). Collective phrases (各省级人民政府) get none.

        >>> load_registry().closest("县发改委", level="county")
        '县发改局'
        >>> load_registry().closest("县发改委", level="national") == "县发改局"
        False
        """
        if _COLLECTIVE.match(name):
            return None
        names = [n for n, found in self._names.items()
                 if level is None or any(level_of(a.division) == level for a in found)]
        found = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
        return found[0] if found else None

    def series_division(self, series_code: str) -> str | None:
        """The division of a series code that the registry of series knows (国发, 发改财金…).

        >>> load_registry().series_division("国办发"), load_registry().series_division("沁政办发")
        ('cn', None)
        """
        return next((s.division for s in self.series if series_code.startswith(s.prefix)), None)

    def agency(self, name_or_ref: str) -> Agency:
        """An agency by reference, canonical name or alias; raises with the closest name."""
        if name_or_ref in self.by_ref:
            return self.by_ref[name_or_ref]
        matches = self._names.get(name_or_ref, [])
        if len(matches) == 1:
            return matches[0]
        raise UnknownNameError("单位", "agency", name_or_ref, suggestion=self.closest(name_or_ref))

    def document(self, number: str) -> KnownDocument | None:
        for doc in (*self.sources, *self.documents):
            if doc.number == number:
                return doc
        return None


def _relation(row: dict[str, str], *, line: int) -> Relation:
    try:
        parts = [int(row[k]) if row.get(k) else None for k in ("subject_task", "object_task")]
    except ValueError as exc:
        raise RegistryError("任务编号应为整数", f"a task number is an integer ({exc})",
                            file="relations.csv", line=line) from None
    if row["relation"] == "implementsMeasure" and None in parts:
        raise RegistryError("implementsMeasure 需写明双方的任务编号",
                            "implementsMeasure needs the task numbers of both sides",
                            file="relations.csv", line=line)
    return Relation(row["subject"], row["relation"], row["object"], row["source"], *parts,
                    object_heading=row.get("object_heading", ""))


@cache
def load_registry() -> Registry:
    """Read and check the registries shipped with the package (cached: they are read-only)."""
    folder = registries_dir()
    agencies = []
    for name in AGENCY_FILES:
        for line, row in _rows(folder, name):
            agencies.append(Agency(
                key=row["key"], division=row["division"], name_zh=row["name_zh"],
                name_en=row["name_en"], kind=row["kind"], parent=row["parent"] or None,
                aliases=tuple(a for a in row["aliases"].split("|") if a), source=row["source"],
                file=name))
    documents = [_document(row, where="documents.csv", line=line)
                 for line, row in _rows(folder, "documents.csv")]
    relations = [_relation(row, line=line) for line, row in _rows(folder, "relations.csv")]
    sources = [_document(row, where="manifest.csv", line=line, cls=SourceEntry,
                         file=row["file"])
               for line, row in _rows(sources_dir(), "manifest.csv")]
    series = [Series(row["prefix"], row["division"], row["source"])
              for _, row in _rows(folder, "series.csv")]
    registry = Registry(agencies, documents, relations, sources, series=series)
    _check(registry)
    return registry


def _check(registry: Registry) -> None:
    refs = set(registry.by_ref)
    if len(refs) != len(registry.agencies):
        raise RegistryError("单位键重复", "duplicate agency key", file="agencies.csv")
    for agency in registry.agencies:
        if agency.parent and agency.parent not in refs:
            raise RegistryError(f"上级单位不存在：{agency.parent}",
                                f"unknown parent organisation: {agency.parent}",
                                file="agencies.csv", snippet=agency.ref)
    numbers = {d.number for d in (*registry.documents, *registry.sources)}
    for rel in registry.relations:
        for number in (rel.subject, rel.object):
            if number not in numbers:
                raise RegistryError(f"未登记的文件：{number}", f"unregistered document: {number}",
                                    file="relations.csv", snippet=number)
