"""``plankg align --child PLAN --parent PLAN``: rank the parent measures each child task carries
out. A PLAN is a plan file, or the 发文字号 of a vendored source."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from ..render import table, to_csv, to_json

__all__ = ["load_plan", "run_align"]


def load_plan(spec: str):
    """A parsed plan from a file path or from the number of a vendored source."""
    from ..ingest import source_plan
    from ..parse import parse_file

    path = Path(spec)
    return parse_file(path) if path.exists() else source_plan(spec)


def run_align(args: argparse.Namespace) -> int:
    from ..align import THRESHOLD, align

    child, parent = load_plan(args.child), load_plan(args.parent)
    threshold = THRESHOLD if args.threshold is None else args.threshold
    rows = align(child, parent, top=args.top, threshold=threshold)
    if args.format == "ttl":
        from ..alignment_graph import alignment_graph, read_review
        decisions = read_review(args.review) if args.review else None
        print(alignment_graph(rows, child=child, parent=parent, decisions=decisions)
              .serialize(format="turtle"))
        return 0
    records = [asdict(r) for r in rows]
    if args.format == "json":
        print(to_json(records))
    elif args.format == "csv":  # with empty columns for the review round trip
        headers = [*(list(records[0]) if records else ["child_task"]), "decision", "reviewer",
                   "date"]
        print(to_csv(headers, [[*r.values(), "", "", ""] for r in records]), end="")
    else:
        print(table(["子任务 Child", "上级措施 Parent", "名次 Rank", "得分 Score",
                     "子任务标题 Child heading", "上级措施标题 Parent heading"],
                    [[r.child_task, r.parent_measure, r.rank, f"{r.score:.3f}",
                      r.child_heading, r.parent_heading] for r in rows]))
        print(f"\n共 {len(rows)} 条对应 / {len(rows)} links (method: "
              f"{rows[0].method if rows else '-'})")
    return 0
