"""``plankg add FILE... [--store SPEC] [--force]`` and ``plankg status [--store SPEC]``."""

from __future__ import annotations

import argparse
import sys
import time

from ..backends import open_existing_store, open_store
from ..errors import DocumentRefusedError
from ..render import table, to_json

__all__ = ["run_add", "run_status"]


def run_add(args: argparse.Namespace) -> int:
    from ..add import add_document

    backend = open_store(args.store)
    worst = 0
    try:
        for path in args.files:
            started = time.perf_counter()
            try:
                added = add_document(backend, path, force=args.force)
            except DocumentRefusedError as exc:
                print(f"未加入 / refused: {exc}", file=sys.stderr)
                worst = 1
                continue
            print(f"已加入 / added {added.file}: {added.document}，{added.items} 项 / items，"
                  f"{len(added.graphs)} 个图 / graphs，{added.links} 条对应 / links"
                  f"{'，违规 / violations ' + str(added.violations) if added.violations else ''}"
                  f"（{time.perf_counter() - started:.2f} s）")
    finally:
        backend.close()
    return worst


def run_status(args: argparse.Namespace) -> int:
    from ..status import store_status

    backend = open_existing_store(args.store)  # a store that is not there is said, not made
    try:
        status = store_status(backend)
    finally:
        backend.close()
    if args.format == "json":
        print(to_json(status))
        return 0
    print(f"存储 / store {args.store or '(default)'}: {status['triples']:,} 个三元组 / triples；"
          f"本体 / ontology {status['ontology_version'] or '—'}；发布版本 / release "
          + ("、".join(f"{r['file']} ({r['hash'][:19]})" for r in status["release"]) or "—"))
    print("\n文件 / documents")
    print(table(["文号 Number", "标题 Title", "层级 Level", "年度 Year", "条目 Items"],
                [[d["number"], d["title"] or "", d["level"] or "", d["year"] or "", d["items"]]
                 for d in status["documents"]], max_width=60))
    print("\n命名图 / graphs")
    print(table(["图 Graph", "三元组 Triples", "写入 Written by", "来源 Source", "时间 Time"],
                [[g["graph"].removeprefix("https://w3id.org/plankg/graph/"), g["triples"],
                  g.get("writer", "—"), g.get("source", "—"), g.get("time", "—")]
                 for g in status["graphs"]], max_width=70))
    return 0
