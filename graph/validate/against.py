"""A new plan year against the plans already in the graph: warnings and a summary of changes.

- it should repeal the previous plan of its series (same issuer, the year before);
- its basis should be the parent plan of its own year (the series the previous plan was based
  on, one year on);
- what changed against the previous year: :func:`plankg.graph.diff.diff_plans` (tasks added, dropped
  and carried over, matched by text similarity since numbers shift; their changes of heading,
  agencies and targets; goals and sector totals).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, URIRef

from ..diff import diff_plans
from ..errors import PlanKGError
from ..iris import ELI, PK, RDF
from .report import Finding

__all__ = ["compare"]

_SHAPES = "https://w3id.org/plankg/shapes#"


@dataclass(frozen=True)
class _Plan:
    iri: URIRef
    number: str
    year: int | None
    issuer: URIRef | None
    series: str
    line: int | None


def _series(title: str) -> str:
    return re.sub(r"\d{4}\s*年?", "", re.sub(r"\s+", "", title))


def _plan(g: Graph, iri: URIRef) -> _Plan:
    year = g.value(iri, PK.year)
    line = g.value(iri, PK.sourceLine)
    return _Plan(iri, str(g.value(iri, ELI.id_local) or iri), int(str(year)) if year else None,
                 g.value(iri, ELI.passed_by), _series(str(g.value(iri, ELI.title) or "")),
                 int(line) if line else None)


def _previous(new: _Plan, existing: Graph) -> _Plan | None:
    for iri in existing.subjects(RDF.type, PK.Plan):
        old = _plan(existing, iri)
        if (old.iri != new.iri and old.year is not None and new.year is not None
                and old.year == new.year - 1 and old.series == new.series
                and (old.issuer == new.issuer or old.issuer is None or new.issuer is None)):
            return old
    return None


def _finding(new: _Plan, name: str, zh: str, en: str, value=None) -> Finding:
    return Finding(severity="Warning", focus=str(new.iri), path=None,
                   value=str(value) if value is not None else None, message_zh=zh,
                   message_en=en, line=new.line, shape=_SHAPES + name)


def _changes(new_g: Graph, new: _Plan, existing: Graph, old: _Plan) -> dict:
    try:
        diff = diff_plans(existing, old.iri, new_g, new.iri)
    except PlanKGError:  # tasks too incomplete to compare: the shapes say why
        return {}
    return {"previous": old.number, **diff.as_dict()}


def compare(new_g: Graph, existing: Graph, *, context: Graph | None = None,
            plan_context: Callable[[URIRef], Graph] | None = None
            ) -> tuple[list[Finding], dict]:
    """Warnings and the change summary for every plan of ``new_g`` against ``existing``;
    ``context`` (the registries and the ontology) names the new plan's agencies and sectors.

    ``existing`` holds whole plans, or, with ``plan_context``, only their headers (the
    ``plan-headers`` store query): ``plan_context(iri)`` then gives what the previous plan's
    task records and goals read (``GraphStore.plans_to_compare``), so that a large
    store is never copied whole."""
    findings: list[Finding] = []
    changes: dict = {}
    for iri in new_g.subjects(RDF.type, PK.Plan):
        new = _plan(new_g, iri)
        old = _previous(new, existing)
        if old is None:
            continue
        old_graph = existing + plan_context(old.iri) if plan_context is not None else existing
        if (new.iri, ELI.repeals, old.iri) not in new_g:
            findings.append(_finding(
                new, "RepealsPreviousYear",
                f"未同时废止上一年度的同系列规划 {old.number}",
                f"it does not repeal last year's plan of the series, {old.number}", old.iri))
        old_basis = old_graph.value(old.iri, ELI.based_on)
        new_basis = list(new_g.objects(new.iri, ELI.based_on))
        if old_basis is not None and not new_basis:
            findings.append(_finding(
                new, "BasisOfTheYear",
                f"未写明制定依据；上一年度规划的依据是 {old_graph.value(old_basis, ELI.id_local)}",
                f"no stated basis; last year's plan was based on "
                f"{old_graph.value(old_basis, ELI.id_local)}", old_basis))
        for basis in new_basis:
            year = new_g.value(basis, PK.year)
            if year is not None and new.year is not None and int(str(year)) != new.year:
                findings.append(_finding(
                    new, "BasisOfTheYear",
                    f"制定依据 {new_g.value(basis, ELI.id_local)} 不是本年度的上级规划",
                    f"the stated basis {new_g.value(basis, ELI.id_local)} is not of the plan's "
                    f"own year", basis))
        changes = _changes(new_g + context if context is not None else new_g, new,
                           old_graph, old)
    return findings, changes
