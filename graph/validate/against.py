"""A new plan year against the plans already in the graph: warnings and a summary of changes.

- it should repeal the previous plan of its series (same issuer, the year before);
- its basis should be the parent plan of its own year (the series the previous plan was based
  on, one year on);
- what changed against the previous year: tasks added, dropped and carried over (matched by
  heading similarity, since numbers shift), and targets raised or lowered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef

from ..iris import ELI, PK, PROV, RDF, SCHEMA
from .report import Finding

__all__ = ["compare", "similarity"]

_SHAPES = "https://w3id.org/plankg/shapes#"
MATCH = 0.5


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams, for Chinese headings.

    >>> round(similarity("加快推进托幼一体化建设", "加快推进托幼一体化"), 2)
    0.94
    """
    def grams(text: str) -> set[str]:
        text = re.sub(r"\s+", "", text)
        return {text[i:i + 2] for i in range(len(text) - 1)} or {text}
    x, y = grams(a), grams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


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


def _tasks(g: Graph, plan: URIRef) -> list[tuple[URIRef, str, str]]:
    found = []
    for task in g.subjects(PROV.wasDerivedFrom, plan):
        if (task, RDF.type, PK.Task) in g:
            found.append((task, str(g.value(task, ELI.number)), str(g.value(task, PK.heading))))
    return sorted(found, key=lambda t: int(t[1]) if t[1].isdigit() else 0)


def _targets(g: Graph, task: URIRef) -> list[tuple[str, float, str]]:
    return [(str(g.value(t, PK.indicator)), float(g.value(t, SCHEMA.value)),
             str(g.value(t, SCHEMA.unitText))) for t in g.objects(task, PK.hasTarget)]


def _match(old: list, new: list) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching of headings, best pairs first."""
    pairs = sorted(((similarity(o[2], n[2]), i, j) for i, o in enumerate(old)
                    for j, n in enumerate(new)), reverse=True)
    used_old, used_new, matched = set(), set(), []
    for score, i, j in pairs:
        if score >= MATCH and i not in used_old and j not in used_new:
            matched.append((i, j, score))
            used_old.add(i)
            used_new.add(j)
    return sorted(matched, key=lambda m: m[1])


def _changes(new_g: Graph, new: _Plan, old_g: Graph, old: _Plan) -> dict:
    old_tasks, new_tasks = _tasks(old_g, old.iri), _tasks(new_g, new.iri)
    matched = _match(old_tasks, new_tasks)
    carried, targets = [], []
    for i, j, score in matched:
        o, n = old_tasks[i], new_tasks[j]
        carried.append({"old": int(o[1]), "new": int(n[1]), "heading": n[2],
                        "score": round(score, 2)})
        for indicator, value, unit in _targets(new_g, n[0]):
            for old_ind, old_value, old_unit in _targets(old_g, o[0]):
                if similarity(indicator, old_ind) >= MATCH and unit == old_unit \
                        and value != old_value:
                    targets.append({"task": int(n[1]), "indicator": indicator, "old": old_value,
                                    "new": value, "unit": unit,
                                    "change": "raised" if value > old_value else "lowered"})
    kept_old = {i for i, _, _ in matched}
    kept_new = {j for _, j, _ in matched}
    return {
        "previous": old.number,
        "added": [{"number": int(t[1]), "heading": t[2]}
                  for j, t in enumerate(new_tasks) if j not in kept_new],
        "dropped": [{"number": int(t[1]), "heading": t[2]}
                    for i, t in enumerate(old_tasks) if i not in kept_old],
        "carried": carried,
        "targets": targets,
    }


def compare(new_g: Graph, existing: Graph) -> tuple[list[Finding], dict]:
    """Warnings and the change summary for every plan of ``new_g`` against ``existing``."""
    findings: list[Finding] = []
    changes: dict = {}
    for iri in new_g.subjects(RDF.type, PK.Plan):
        new = _plan(new_g, iri)
        old = _previous(new, existing)
        if old is None:
            continue
        if (new.iri, ELI.repeals, old.iri) not in new_g:
            findings.append(_finding(
                new, "RepealsPreviousYear",
                f"未同时废止上一年度的同系列规划 {old.number}",
                f"it does not repeal last year's plan of the series, {old.number}", old.iri))
        old_basis = existing.value(old.iri, ELI.based_on)
        new_basis = list(new_g.objects(new.iri, ELI.based_on))
        if old_basis is not None and not new_basis:
            findings.append(_finding(
                new, "BasisOfTheYear",
                f"未写明制定依据；上一年度规划的依据是 {existing.value(old_basis, ELI.id_local)}",
                f"no stated basis; last year's plan was based on "
                f"{existing.value(old_basis, ELI.id_local)}", old_basis))
        for basis in new_basis:
            year = new_g.value(basis, PK.year)
            if year is not None and new.year is not None and int(str(year)) != new.year:
                findings.append(_finding(
                    new, "BasisOfTheYear",
                    f"制定依据 {new_g.value(basis, ELI.id_local)} 不是本年度的上级规划",
                    f"the stated basis {new_g.value(basis, ELI.id_local)} is not of the plan's "
                    f"own year", basis))
        changes = _changes(new_g, new, existing, old)
    return findings, changes
