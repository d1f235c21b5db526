"""What the reading commands (``tasks``, ``sparql``, ``query``, ``lineage``) read: the store
``--store`` names, else ``PLANKG_STORE``, else the built release.

A store is opened by :func:`plankg.graph.backends.open_existing_store`, the code ``serve`` and ``load``
open stores with: a persistent Oxigraph store read-only, on its current generation, registered
as a reader so that a load beside it never deletes what it reads, and a running server is never
in its way. The answers are made as the service makes them (:class:`plankg.graph.store.GraphStore`),
so a command gives the rows the API gives on the same store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rdflib import Graph

from .errors import PlanKGError
from .sparql import Answer
from .store import GraphStore

__all__ = ["lineage_on_store", "opened_store", "task_graph_on_store"]


@contextmanager
def opened_store(spec: str | None) -> Iterator[GraphStore | None]:
    """The store ``spec`` (else ``PLANKG_STORE``) names, open while the block runs; None when
    neither names one (the command reads the built release)."""
    from .backends import open_existing_store, store_spec

    if store_spec(spec) is None:
        yield None
        return
    backend = open_existing_store(spec)
    try:
        yield GraphStore(backend)
    finally:
        backend.close()


def task_graph_on_store(store: GraphStore, plan: str | None) -> Graph:
    """The task records' graph, as ``GET /api/tasks`` reads it: one plan's tasks when a plan is
    named, else every task's, each with the catalogue of names the filters resolve on."""
    from .names import resolve_plan

    if plan:
        return store.task_graph(plan=resolve_plan(store.catalog, plan))
    return store.task_graph()


def lineage_on_store(store: GraphStore, number: str, plan: str | None) -> Answer:
    """The rows of ``task-lineage`` for task ``number`` (of ``plan``, else of the newest plan
    with tasks), as ``GET /api/tasks/{number}/lineage`` finds them."""
    from .names import resolve_plan
    from .parse import normalise_number
    from .queries import newest_with_tasks, records_on_store, run_named_on_store

    plan = (normalise_number(plan) or plan) if plan else \
        newest_with_tasks(records_on_store(store, "plans"))
    if plan is None:
        raise PlanKGError("存储中没有规划：请先用 plankg load 载入",
                          "the store holds no plan: load one first with plankg load")
    task = store.find_task(number, plan=resolve_plan(store.catalog, plan))
    return run_named_on_store(store, "task-lineage",
                              {"number": number, "plan": plan, "task": str(task)})
