"""A child plan's chain of documents: what it cites, is based on or ensures the implementation
of, directly or through the documents named in turn (county → city → province → national).

Each step is stated in the text of a plan at hand or curated in
``graph/registries/relations.csv`` (marked ``(curated)``); a repealed document is not in the
chain. Documents are known by keys: their 发文字号, or ``title:`` and the title without
brackets where a citation prints no number.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence

from .model import Citation, Plan
from .registry import Registry, load_registry

__all__ = ["CHAIN_RELATIONS", "chain_paths", "cited_key", "document_keys"]

CHAIN_RELATIONS = ("based_on", "ensures_implementation_of", "cites")


def _title_key(title: str) -> str:
    return "title:" + re.sub(r"[\s《》〈〉“”]", "", title)


def cited_key(citation: Citation) -> str | None:
    if citation.number is not None:
        return str(citation.number)
    return _title_key(citation.title) if citation.title else None


def document_keys(plan: Plan, registry: Registry) -> frozenset[str]:
    keys = {_title_key(plan.title)} if plan.title else set()
    if plan.number is not None:
        keys.add(str(plan.number))
        known = registry.document(str(plan.number))
        if known is not None and known.title:
            keys.add(_title_key(known.title))
    return frozenset(keys)


def _edges(key: str, plans: Sequence[Plan], keys: Sequence[frozenset[str]],
           registry: Registry) -> Iterator[tuple[str, str]]:
    """(relation, document key) of every chain relation from the document ``key``: stated in
    the text of a plan being aligned, or curated."""
    for plan, own in zip(plans, keys):
        if key in own:
            for c in plan.citations:
                target = cited_key(c)
                if c.relation in CHAIN_RELATIONS and target:
                    yield c.relation, target
    for r in registry.relations:
        if r.subject == key and r.subject_task is None and r.relation in CHAIN_RELATIONS:
            yield f"{r.relation} (curated)", r.object


def chain_paths(child: Plan, parents: Sequence[Plan], *,
                registry: Registry | None = None) -> list[str | None]:
    """For each parent, the relations by which the child plan reaches it, shortest first
    (``based_on``, ``based_on > based_on (curated)``), or None outside the child's chain."""
    registry = registry or load_registry()
    plans = [child, *parents]
    keys = [document_keys(p, registry) for p in plans]
    paths: dict[str, tuple[str, ...]] = {}
    queue: deque[str] = deque()

    def reach(key: str, path: tuple[str, ...]) -> None:
        aliases = set().union(*(own for own in keys if key in own)) or {key}
        for alias in aliases - paths.keys():
            paths[alias] = path
            queue.append(alias)

    for key in keys[0]:
        reach(key, ())
    while queue:
        key = queue.popleft()
        for relation, target in _edges(key, plans, keys, registry):
            reach(target, (*paths[key], relation))
    found = [min((paths[k] for k in own if k in paths), key=len, default=()) for own in keys[1:]]
    return [" > ".join(path) or None for path in found]
