"""Validation reports: findings with severity, focus, path, messages in zh and en, and a line."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from ..iris import CV, ELI, PK, PROV, RDF, SKOS

__all__ = ["Finding", "ValidationReport", "document_kind", "findings_of"]

SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    severity: str
    focus: str
    path: str | None
    value: str | None
    message_zh: str
    message_en: str
    line: int | None
    task: str | None = None
    shape: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ValidationReport:
    """What ``plankg validate`` says of one file."""

    file: str
    conforms: bool
    results: list[Finding]
    graph: Graph | None = None
    changes: dict = field(default_factory=dict)
    line_unit: str = "line"
    kind: dict | None = None
    encoding: str = "utf-8"

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.results if f.severity == "Violation"]

    def as_dict(self) -> dict:
        data = {"file": self.file, "conforms": self.conforms, "line_unit": self.line_unit,
                "document_kind": self.kind, "encoding": self.encoding,
                "results": [f.as_dict() for f in self.results]}
        if self.changes:
            data["changes"] = self.changes
        return data


_KIND = {
    "plan": ("计划类文件：每项任务须写明责任单位", "a plan: every task must name its agencies"),
    "policy": ("措施类文件：措施可不写明责任单位",
               "a document of measures: a measure need not name an agency"),
}


def _pref_label(data: Graph, node, lang: str) -> str | None:
    for label in data.objects(node, SKOS.prefLabel):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return None


def document_kind(data: Graph, *, labels: Graph | None = None) -> dict | None:
    """What the shapes took the document for: a plan, whose tasks must name agencies, or a
    policy document (意见, 措施, 通知…), whose measures need not; with its level and genre
    (named from ``labels``, the ontology). None when ``data`` holds no document with items."""
    labels = labels if labels is not None else data
    for doc in sorted(set(data.subjects(RDF.type, ELI.LegalResource)), key=str):
        items = set(data.subjects(PROV.wasDerivedFrom, doc))
        if any((i, RDF.type, PK.Task) in data for i in items):
            kind = "plan"
        elif any((i, RDF.type, PK.Measure) in data for i in items):
            kind = "policy"
        else:
            continue
        level, genre = data.value(doc, PK.level), data.value(doc, PK.genre)
        names = {lang: [_pref_label(labels, c, lang) or "" for c in (level, genre) if c]
                 for lang in ("zh", "en")}
        zh, en = _KIND[kind]
        return {"kind": kind, "level": str(level).rsplit("/", 1)[-1] if level else None,
                "genre": str(genre).rsplit("/", 1)[-1] if genre else None,
                "zh": f"按「{' · '.join(names['zh']) or '文件'}」校验：{zh}",
                "en": f"validated as: {' · '.join(names['en']) or 'a document'}: {en}"}
    return None


def _message(report: Graph, result, lang: str) -> str:
    for message in report.objects(result, SH.resultMessage):
        if isinstance(message, Literal) and message.language == lang:
            return str(message)
    return ""


def _task_of(data: Graph, node) -> URIRef | None:
    """The task a finding is about: the node itself, or the task that holds it."""
    if node is None:
        return None
    if (node, RDF.type, PK.Task) in data:
        return node
    for prop in (CV.hasParticipation, PK.hasTarget):
        holder = data.value(None, prop, node)
        if holder is not None and (holder, RDF.type, PK.Task) in data:
            return holder
    return None


def _line(data: Graph, *nodes) -> int | None:
    for node in nodes:
        if node is not None:
            line = data.value(node, PK.sourceLine)
            if line is not None:
                return int(line)
    return None


def findings_of(report: Graph, data: Graph, *, locate=None) -> list[Finding]:
    """Findings from a SHACL report graph, sorted by line; ``locate`` finds a node's line in
    the user's own file when the data came as RDF."""
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        path = report.value(result, SH.resultPath)
        line = locate(value, focus) if locate else _line(data, value, focus)
        task = _task_of(data, focus) or _task_of(data, value)
        findings.append(Finding(
            severity=SEVERITY.get(report.value(result, SH.resultSeverity), "Violation"),
            focus=str(focus), path=str(path) if isinstance(path, URIRef) else None,
            value=str(value) if value is not None else None,
            message_zh=_message(report, result, "zh"), message_en=_message(report, result, "en"),
            line=line, task=str(task) if task is not None else None,
            shape=str(report.value(result, SH.sourceShape))))
    return sorted(findings, key=lambda f: (f.line or 0, f.severity, f.focus, f.message_en))
