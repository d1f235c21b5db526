"""Two plan years side by side: which tasks are new, dropped or carried over, and what changed.

Tasks are matched across years by the aligner's text similarity (TF-IDF over character bigrams
of heading and text, :func:`graph.align.text_scores`), one to one, best pairs first, never by
number (numbers shift from year to year). For each carried-over task the diff gives the changes
of heading, of agencies and roles, and of targets (old value → new value, same unit); for the
plans, the goals that changed and the number of tasks per sector before and after.

    diff_plans(old_graph, old_plan, new_graph, new_plan)   → PlanDiff
    continues_graph(diff)                                  → pk:continues links, with scores

The graphs must hold the labels of agencies and sectors (the built graph does; a plan file's own
graph needs the registries and the ontology beside it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from rdflib import Graph, Literal, URIRef

from . import iris
from .align import HEADING, TEXT, text_scores
from .errors import PlanKGError
from .iris import ELI, PK, RDF, XSD
from .tasks import target_records, task_records

__all__ = ["MATCH", "PlanDiff", "continues_graph", "diff_plans", "similarity"]

MATCH = 0.35  # text similarity (0–1) from which two tasks of consecutive years are one task
INDICATOR_MATCH = 0.5  # bigram Dice of two indicators from which they are one target
METHOD = "tfidf-char-bigram heading+text, one-to-one"


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams, for short Chinese names such as indicators.

    >>> round(similarity("3岁以下托位数", "3岁以下婴幼儿托位数"), 2)
    0.67
    """
    def grams(text: str) -> set[str]:
        text = re.sub(r"\s+", "", text)
        return {text[i:i + 2] for i in range(len(text) - 1)} or {text}
    x, y = grams(a), grams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


@dataclass(frozen=True)
class TaskRef:
    number: int
    heading: str


@dataclass(frozen=True)
class TargetChange:
    task: int | None  # the task's number in the new plan; None for a goal of the plan
    indicator: str
    old: float
    new: float
    unit: str
    change: str  # raised or lowered


@dataclass(frozen=True)
class AgencyChange:
    agency: str
    old_role: str | None  # None: the agency is new to the task
    new_role: str | None  # None: the agency left the task


@dataclass(frozen=True)
class Carried:
    old: int
    new: int
    heading: str
    old_heading: str
    score: float
    agencies: tuple[AgencyChange, ...]
    targets: tuple[TargetChange, ...]
    old_iri: str
    new_iri: str


@dataclass(frozen=True)
class SectorTotal:
    sector: str | None  # None: tasks outside any sub-sector
    sector_en: str | None
    old: int
    new: int


@dataclass(frozen=True)
class PlanDiff:
    """What changed from ``old`` to ``new`` (both 发文字号)."""

    old: str
    new: str
    added: tuple[TaskRef, ...]
    dropped: tuple[TaskRef, ...]
    carried: tuple[Carried, ...]
    goals: tuple[TargetChange, ...]
    sectors: tuple[SectorTotal, ...]

    @property
    def targets(self) -> list[TargetChange]:
        """Every target change of the carried-over tasks, in the new plan's order."""
        return [t for c in self.carried for t in c.targets]

    def as_dict(self) -> dict:
        carried = [{**{k: v for k, v in asdict(c).items() if not k.endswith("_iri")},
                    "agencies": [asdict(a) for a in c.agencies],
                    "targets": [asdict(t) for t in c.targets]} for c in self.carried]
        return {"old": self.old, "new": self.new,
                "added": [asdict(t) for t in self.added],
                "dropped": [asdict(t) for t in self.dropped],
                "carried": carried,
                "targets": [asdict(t) for t in self.targets],
                "goals": [asdict(t) for t in self.goals],
                "sectors": [asdict(s) for s in self.sectors]}


def _match(old: Sequence[dict], new: Sequence[dict], *,
           threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (old index, new index, score), best pairs first, in the new order."""
    scores = text_scores([(r["title"], r["text"]) for r in old],
                         [(r["title"], r["text"]) for r in new])
    pairs = sorted(((s / (HEADING + TEXT), i, j) for i, row in enumerate(scores)
                    for j, s in enumerate(row)), key=lambda p: (-p[0], p[1], p[2]))
    used_old, used_new, matched = set(), set(), []
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in used_old and j not in used_new:
            matched.append((i, j, round(score, 2)))
            used_old.add(i)
            used_new.add(j)
    return sorted(matched, key=lambda m: m[1])


def _target_changes(old: Sequence[dict], new: Sequence[dict], *,
                    task: int | None) -> tuple[TargetChange, ...]:
    """Targets of the same indicator and unit whose value changed; each old target used once."""
    changes, used = [], set()
    for target in new:
        candidates = [(similarity(target["indicator"], o["indicator"]), i)
                      for i, o in enumerate(old)
                      if i not in used and o["unit"] == target["unit"]]
        score, i = max(candidates, default=(0.0, -1))
        if score < INDICATOR_MATCH:
            continue
        used.add(i)
        before, after = old[i]["value"], target["value"]
        if before != after:
            changes.append(TargetChange(task, target["indicator"], before, after,
                                        target["unit"], "raised" if after > before
                                        else "lowered"))
    return tuple(changes)


def _roles(record: dict) -> dict[str, tuple[str, str]]:
    """Agency key (IRI, else the name as printed) → (name, role), first mention first."""
    roles: dict[str, tuple[str, str]] = {}
    for a in record["agencies"]:
        roles.setdefault(a["iri"] or a["as_written"], (a["name"] or a["as_written"], a["role"]))
    return roles


def _agency_changes(old: dict, new: dict) -> tuple[AgencyChange, ...]:
    before, after = _roles(old), _roles(new)
    changes = [AgencyChange(name, before[key][1] if key in before else None, role)
               for key, (name, role) in after.items()
               if key not in before or before[key][1] != role]
    changes += [AgencyChange(name, role, None) for key, (name, role) in before.items()
                if key not in after]
    return tuple(changes)


def _sectors(old: Sequence[dict], new: Sequence[dict]) -> tuple[SectorTotal, ...]:
    english = {r["sector"]: r["sector_en"] for r in (*old, *new)}
    before, after = Counter(r["sector"] for r in old), Counter(r["sector"] for r in new)
    order = list(dict.fromkeys(r["sector"] for r in (*old, *new) if r["sector"]))
    if None in english:
        order.append(None)
    return tuple(SectorTotal(s, english[s], before[s], after[s]) for s in order)


def _records(g: Graph, plan: URIRef) -> list[dict]:
    try:
        return task_records(g, plan=str(plan))
    except (TypeError, ValueError, AttributeError):  # a task without number, section, …
        raise PlanKGError(f"规划 {plan} 的任务数据不完整，无法比较",
                          f"the tasks of {plan} are incomplete: they cannot be compared") from None


def _number(g: Graph, plan: URIRef) -> str:
    return str(g.value(plan, ELI.id_local) or plan)


def diff_plans(old_graph: Graph, old_plan: URIRef, new_graph: Graph, new_plan: URIRef, *,
               threshold: float = MATCH) -> PlanDiff:
    """The diff from ``old_plan`` (in ``old_graph``) to ``new_plan`` (in ``new_graph``)."""
    old, new = _records(old_graph, old_plan), _records(new_graph, new_plan)
    matched = _match(old, new, threshold=threshold)
    carried = tuple(
        Carried(old[i]["number"], new[j]["number"], new[j]["title"], old[i]["title"], score,
                _agency_changes(old[i], new[j]),
                _target_changes(old[i]["targets"], new[j]["targets"], task=new[j]["number"]),
                old[i]["iri"], new[j]["iri"])
        for i, j, score in matched)
    kept_old, kept_new = {i for i, _, _ in matched}, {j for _, j, _ in matched}
    goals = _target_changes(target_records(old_graph, old_plan),
                            target_records(new_graph, new_plan), task=None)
    return PlanDiff(
        _number(old_graph, old_plan), _number(new_graph, new_plan),
        tuple(TaskRef(r["number"], r["title"]) for j, r in enumerate(new) if j not in kept_new),
        tuple(TaskRef(r["number"], r["title"]) for i, r in enumerate(old) if i not in kept_old),
        carried, goals, _sectors(old, new))


def continues_graph(diff: PlanDiff) -> Graph:
    """``new pk:continues old`` for every carried-over task, each with a ``pk:Alignment``
    record giving its score and method (evidence inferred, review status proposed)."""
    g = Graph()
    for prefix, ns in iris.PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for c in diff.carried:
        source, target = URIRef(c.new_iri), URIRef(c.old_iri)
        node = iris.continuation(source)
        g.add((source, PK.continues, target))
        g.add((node, RDF.type, PK.Alignment))
        g.add((node, PK.alignmentSource, source))
        g.add((node, PK.alignmentTarget, target))
        g.add((node, PK.score, Literal(c.score, datatype=XSD.decimal)))
        g.add((node, PK.method, Literal(METHOD)))
        g.add((node, PK.rank, Literal(1, datatype=XSD.positiveInteger)))
        g.add((node, PK.reviewStatus, iris.concept("review", "proposed")))
        g.add((node, PK.evidence, iris.concept("evidence", "inferred")))
    return g
