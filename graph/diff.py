"""Two plan years side by side: which tasks are new, dropped, carried over, merged or split, and
what changed.

Tasks are linked across years from several signals, for the whole plan at once, never by number
(numbers shift from year to year): :mod:`plankg.graph.continuity`. For each carried-over task the diff
gives the changes of heading, of agencies and roles, and of targets. Targets are also compared
by indicator and unit across the whole plan, whether or not their tasks are linked (a target
may move to another task): old value → new value, the task each sits in, the direction. For the
plans, the goals that changed and the number of tasks per sector before and after.

    diff_plans(old_graph, old_plan, new_graph, new_plan)   → PlanDiff
    continues_graph(diff)                                  → pk:continues links, with scores

The graphs must hold the labels of agencies and sectors (the built graph does; a plan file's own
graph needs the registries and the ontology beside it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from rdflib import Graph, Literal, URIRef

from . import iris
from .assignment import best_pairs
from .continuity import MATCH, Link, link_tasks
from .errors import PlanKGError
from .iris import ELI, PK, RDF, XSD
from .similarity import indicator_similarity
from .tasks import target_records, task_records

__all__ = ["MATCH", "PlanDiff", "continues_graph", "diff_plans"]

INDICATOR_MATCH = 0.5  # bigram Dice of two indicators from which they are one target
PAIRED_BONUS = 0.2  # a target of a task linked to the other's task: more likely the same
METHOD = ("tfidf-char-bigram heading+text, target indicators, citations, agencies, sector; "
          "one assignment for the whole plan")


@dataclass(frozen=True)
class TaskRef:
    number: int
    heading: str


@dataclass(frozen=True)
class TargetChange:
    indicator: str
    old: float
    new: float
    unit: str
    change: str  # raised or lowered
    old_task: int | None = None  # the task's number in the old plan; None for a goal
    new_task: int | None = None  # the task's number in the new plan; None for a goal
    old_iri: str = ""
    new_iri: str = ""


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
    signals: tuple[str, ...] = ()
    kind: str = "continues"  # or merge (two old, one new) or split (one old, two new)


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
    merged: tuple[Carried, ...] = ()  # an old task merged into a new one carried over
    split: tuple[Carried, ...] = ()  # a new task split off an old one carried over
    targets: tuple[TargetChange, ...] = ()  # by indicator, whether or not the tasks pair
    continued_targets: tuple[tuple[str, str], ...] = ()  # (old target, new target) IRIs

    def as_dict(self) -> dict:
        def link(c: Carried) -> dict:
            return {**{k: v for k, v in asdict(c).items() if not k.endswith("_iri")},
                    "signals": list(c.signals), "agencies": [asdict(a) for a in c.agencies],
                    "targets": [_plain(t) for t in c.targets]}
        return {"old": self.old, "new": self.new,
                "added": [asdict(t) for t in self.added],
                "dropped": [asdict(t) for t in self.dropped],
                "carried": [link(c) for c in self.carried],
                "merged": [link(c) for c in self.merged],
                "split": [link(c) for c in self.split],
                "targets": [_plain(t) for t in self.targets],
                "goals": [_plain(t) for t in self.goals],
                "sectors": [asdict(s) for s in self.sectors]}


def _plain(change: TargetChange) -> dict:
    return {k: v for k, v in asdict(change).items() if not k.endswith("_iri")}


def _change(old: dict, new: dict, *, old_task: int | None,
            new_task: int | None) -> TargetChange | None:
    before, after = old["value"], new["value"]
    if before == after:
        return None
    return TargetChange(new["indicator"], before, after, new["unit"],
                        "raised" if after > before else "lowered", old_task=old_task,
                        new_task=new_task, old_iri=old.get("iri", ""), new_iri=new.get("iri", ""))


def _targets(old: Sequence[dict], new: Sequence[dict],
             links: Sequence[Link]) -> list[tuple[dict, dict]]:
    """Old and new targets (each a record with its ``task``) paired by indicator and unit over
    the whole plan, one to one, those of linked tasks first."""
    linked = {(old_task, new_task) for old_task, new_task in
              ((lk.old, lk.new) for lk in links)}

    def score(a: dict, b: dict) -> float:
        if a["unit"] != b["unit"]:
            return 0.0
        same = indicator_similarity(a["indicator"], b["indicator"])
        if same < INDICATOR_MATCH:
            return 0.0
        return same + PAIRED_BONUS * ((a["_index"], b["_index"]) in linked or (
            a["task"] is None and b["task"] is None))

    scores = [[score(a, b) for b in new] for a in old]
    return [(old[i], new[j]) for i, j in best_pairs(scores, at_least=INDICATOR_MATCH)]


def _all_targets(records: Sequence[dict], goals: Sequence[dict]) -> list[dict]:
    found = [{**t, "task": None, "_index": None} for t in goals]
    for index, record in enumerate(records):
        found += [{**t, "task": record["number"], "_index": index} for t in record["targets"]]
    return found


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


def _carried(link: Link, old: Sequence[dict], new: Sequence[dict],
             changes: Sequence[TargetChange]) -> Carried:
    before, after = old[link.old], new[link.new]
    return Carried(before["number"], after["number"], after["title"], before["title"],
                   round(link.score, 2), _agency_changes(before, after),
                   tuple(t for t in changes
                         if t.old_task == before["number"] and t.new_task == after["number"]),
                   before["iri"], after["iri"], link.signals, link.kind)


def diff_plans(old_graph: Graph, old_plan: URIRef, new_graph: Graph, new_plan: URIRef, *,
               threshold: float = MATCH) -> PlanDiff:
    """The diff from ``old_plan`` (in ``old_graph``) to ``new_plan`` (in ``new_graph``)."""
    old, new = _records(old_graph, old_plan), _records(new_graph, new_plan)
    links = link_tasks(old, new, threshold=threshold)
    pairs = _targets(_all_targets(old, target_records(old_graph, old_plan)),
                     _all_targets(new, target_records(new_graph, new_plan)), links)
    changes = [c for a, b in pairs
               if (c := _change(a, b, old_task=a["task"], new_task=b["task"])) is not None]
    changes.sort(key=lambda c: (c.new_task is not None, c.new_task or 0, c.indicator))
    by_kind = {kind: tuple(_carried(lk, old, new, changes) for lk in links if lk.kind == kind)
               for kind in ("continues", "merge", "split")}
    kept_old, kept_new = {lk.old for lk in links}, {lk.new for lk in links}
    return PlanDiff(
        _number(old_graph, old_plan), _number(new_graph, new_plan),
        tuple(TaskRef(r["number"], r["title"]) for j, r in enumerate(new) if j not in kept_new),
        tuple(TaskRef(r["number"], r["title"]) for i, r in enumerate(old) if i not in kept_old),
        by_kind["continues"], tuple(c for c in changes if c.new_task is None and c.old_task is None),
        _sectors(old, new), by_kind["merge"], by_kind["split"],
        tuple(c for c in changes if c.new_task is not None or c.old_task is not None),
        tuple((a.get("iri", ""), b.get("iri", "")) for a, b in pairs))


def continues_graph(diff: PlanDiff) -> Graph:
    """``new pk:continues old`` for every linked task (carried over, merged, split), each with
    a ``pk:Alignment`` record giving its score, method and signals (evidence inferred, review
    status proposed); and for every target paired by indicator, so that an indicator's history
    across years is one query (``indicator-history``)."""
    g = Graph()
    for prefix, ns in iris.PREFIXES.items():
        g.bind(prefix, ns, override=True)
    ranks: dict[str, int] = {}
    for c in (*diff.carried, *diff.merged, *diff.split):
        source, target = URIRef(c.new_iri), URIRef(c.old_iri)
        ranks[c.new_iri] = ranks.get(c.new_iri, 0) + 1
        node = iris.continuation(source, ranks[c.new_iri])
        g.add((source, PK.continues, target))
        g.add((node, RDF.type, PK.Alignment))
        g.add((node, PK.alignmentSource, source))
        g.add((node, PK.alignmentTarget, target))
        g.add((node, PK.score, Literal(c.score, datatype=XSD.decimal)))
        g.add((node, PK.method, Literal(f"{c.kind}: {'; '.join(c.signals)} ({METHOD})")))
        g.add((node, PK.rank, Literal(ranks[c.new_iri], datatype=XSD.positiveInteger)))
        g.add((node, PK.reviewStatus, iris.concept("review", "proposed")))
        g.add((node, PK.evidence, iris.concept("evidence", "inferred")))
    for old, new in diff.continued_targets:
        if old and new:
            g.add((URIRef(new), PK.continues, URIRef(old)))
    return g
