"""Alignment links as RDF, and the review of them.

Each proposed link becomes a ``pk:Alignment`` record (source task, target measure, score, method,
rank, review status) plus ``child pk:alignedWith parent``, for the alignment graph. A researcher
reviews the CSV that ``plankg align --format csv`` prints, filling ``decision`` (accept or
reject), ``reviewer`` and ``date``; an accepted link becomes ``pk:implementsMeasure`` with the
reviewer and date as provenance, a rejected one keeps its record marked rejected and loses its
``pk:alignedWith``. Re-running the aligner with ``--review`` keeps every decision.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from . import iris
from .align import AlignmentRow
from .build.documents import plan_iri
from .errors import SourceParseError
from .iris import DCTERMS, PK, PROV, RDF, RDFS, XSD
from .model import Plan
from .registry import Registry, load_registry

__all__ = ["Decision", "alignment_graph", "read_review"]


@dataclass(frozen=True)
class Decision:
    child_task: int
    parent_measure: int
    decision: str
    reviewer: str
    date: str


def read_review(path: Path) -> dict[tuple[int, int], Decision]:
    """Decisions from a reviewed CSV (the columns ``plankg align --format csv`` prints)."""
    decisions = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceParseError("无法读取审核文件", f"cannot read the review file ({exc})",
                               file=path.name) from None
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        decision = (row.get("decision") or "").strip().lower()
        if not decision:
            continue
        if decision not in ("accept", "reject"):
            raise SourceParseError(f"审核结论只能是 accept 或 reject：{decision}",
                                   f"a decision is accept or reject, not {decision!r}",
                                   file=path.name, line=reader.line_num)
        key = (int(row["child_task"]), int(row["parent_measure"]))
        decisions[key] = Decision(*key, decision, (row.get("reviewer") or "").strip(),
                                  (row.get("date") or "").strip())
    return decisions


def _task(doc: URIRef, plan: Plan, number: int, *, section: int | None = None) -> URIRef:
    """A task or measure by number; where numbering restarts, in ``section`` (default: the first
    section that has that number)."""
    if section is None:
        section = next((t.section for t in plan.tasks if t.number == number), None)
    return iris.task(doc, number, section_no=section if plan.numbering_restarts else None)


def alignment_graph(rows: Sequence[AlignmentRow], *, child: Plan, parent: Plan,
                    decisions: dict[tuple[int, int], Decision] | None = None,
                    registry: Registry | None = None) -> Graph:
    """The alignment graph of ``rows``, with the review ``decisions`` applied."""
    registry = registry or load_registry()
    decisions = decisions or {}
    child_doc, parent_doc = plan_iri(child, registry=registry), plan_iri(parent, registry=registry)
    g = Graph()
    for prefix, ns in iris.PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for row in rows:
        source = _task(child_doc, child, row.child_task)
        target = _task(parent_doc, parent, row.parent_measure, section=row.parent_section)
        node = iris.alignment(source, row.rank)
        decision = decisions.get((row.child_task, row.parent_measure))
        status = {"accept": "accepted", "reject": "rejected"}.get(
            decision.decision if decision else "", "proposed")
        g.add((node, RDF.type, PK.Alignment))
        g.add((node, PK.alignmentSource, source))
        g.add((node, PK.alignmentTarget, target))
        g.add((node, PK.score, Literal(row.score, datatype=XSD.decimal)))
        g.add((node, PK.method, Literal(row.method)))
        g.add((node, PK.rank, Literal(row.rank, datatype=XSD.positiveInteger)))
        g.add((node, PK.reviewStatus, iris.concept("review", status)))
        g.add((node, PK.evidence, iris.concept("evidence", "inferred")))
        if status != "rejected":
            g.add((source, PK.alignedWith, target))
        if status == "accepted":
            g.add((source, PK.implementsMeasure, target))
            if decision.reviewer:
                reviewer = BNode()
                g.add((node, PROV.wasAttributedTo, reviewer))
                g.add((reviewer, RDF.type, PROV.Agent))
                g.add((reviewer, RDFS.label, Literal(decision.reviewer)))
            if decision.date:
                g.add((node, DCTERMS.date, Literal(decision.date, datatype=XSD.date)))
    return g
