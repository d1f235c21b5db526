"""``plankg tasks``: list tasks from the built graph or from a plan file."""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from pathlib import Path

from ..errors import QueryArgumentError
from ..render import table, to_json

__all__ = ["graph_for", "run_tasks"]


def graph_for(source: Path | None):
    """The graph to answer from: the committed release, or one plan file (text, HTML, .docx or
    RDF) read on the spot, with the registries and the ontology beside it."""
    if source is None:
        from ..publish import load_release
        return load_release()
    from ..registry import load_registry
    from ..validate import context_graph, load_graph_file
    data, _ = load_graph_file(source)
    return data + context_graph(load_registry())


def run_tasks(args: argparse.Namespace) -> int:
    from ..stores_reading import opened_store, task_graph_on_store
    from ..tasks import agencies_text, task_records, tasks_csv

    if args.source is not None and args.store:
        raise QueryArgumentError("--source 与 --store 只能选一个", "give --source or --store, "
                                 "not both")
    reading = nullcontext() if args.source is not None else opened_store(args.store)
    with reading as store:  # a plan file, else --store or PLANKG_STORE, else the release
        graph = graph_for(args.source) if store is None else task_graph_on_store(store, args.plan)
        records = task_records(graph, plan=args.plan, agency=args.agency, role=args.role,
                               sector=args.sector, measures=args.source is not None)
    if args.format == "json":
        print(to_json(records))
        return 0
    if args.format == "csv":
        print(tasks_csv(records), end="")
        return 0
    rows = [[r["number"], r["title"], r["section"], r["sector"] or "", agencies_text(r)]
            for r in records]
    print(table(["编号 No.", "任务 Task", "章 Sec.", "行业 Sector", "责任单位 Agencies"], rows))
    print(f"\n共 {len(records)} 项任务 / {len(records)} tasks")
    return 0
