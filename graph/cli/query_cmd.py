"""``plankg sparql``, ``query``, ``queries``, ``lineage`` and ``check``."""

from __future__ import annotations

import argparse

from ..errors import QueryArgumentError
from ..render import table
from .answers import print_answer
from .tasks_cmd import graph_for

__all__ = ["run_check", "run_lineage", "run_queries", "run_query", "run_sparql"]


def run_sparql(args: argparse.Namespace) -> int:
    from ..sparql import run_sparql as sparql

    if args.file:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryArgumentError("无法读取查询文件", f"cannot read the query file ({exc})"
                                     ) from None
    elif args.query:
        text = args.query
    else:
        raise QueryArgumentError("请给出查询文本或 -f 文件", "give a query text or -f FILE")
    from ..stores_reading import opened_store
    with opened_store(args.store) as store:
        answer = sparql(graph_for(None), text) if store is None else store.answer(text)
    print_answer(answer, args.format)
    return 0


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryArgumentError(f"参数应写作 K=V：{pair}", f"a parameter is K=V: {pair}")
        values[key.strip()] = value.strip()
    return values


def run_query(args: argparse.Namespace) -> int:
    from ..queries import run_named, run_named_on_store
    from ..stores_reading import opened_store

    params = _params(args.param)
    with opened_store(args.store) as store:
        answer = run_named(graph_for(None), args.name, params) if store is None else \
            run_named_on_store(store, args.name, params)
    print_answer(answer, args.format)
    return 0


def run_queries(args: argparse.Namespace) -> int:
    from ..queries import load_queries

    rows = []
    for name, q in load_queries().items():
        params = " ".join(f"{p.name}:{p.kind}" + ("" if p.required else "?") for p in q.params)
        rows.append([name, params, f"{q.summary_zh} / {q.summary_en}"])
    print(table(["查询 Query", "参数 Parameters (?=optional)", "说明 Summary"], rows,
                max_width=90))
    return 0


def _newest_plan(g) -> str | None:
    from ..queries import newest_with_tasks, run_named
    from ..sparql import plain

    answer = run_named(g, "plans")
    return newest_with_tasks([{v: plain(x) for v, x in zip(answer.variables, row, strict=True)}
                              for row in answer.rows])


def _print_lineage(answer, fmt: str) -> None:
    """For people a tree within 100 columns (:mod:`plankg.graph.lineage_view`); for programs the rows."""
    if fmt != "table":
        print_answer(answer, fmt)
        return
    from ..lineage_view import lineage_tree
    from ..sparql import to_records

    print(lineage_tree(to_records(answer)))


def run_lineage(args: argparse.Namespace) -> int:
    from ..queries import run_named
    from ..stores_reading import lineage_on_store, opened_store

    with opened_store(args.store) as store:
        if store is not None:
            _print_lineage(lineage_on_store(store, args.number, args.plan), args.format)
            return 0
    g = graph_for(None)
    plan = args.plan or _newest_plan(g)
    answer = run_named(g, "task-lineage", {"number": args.number, "plan": plan or ""})
    if not answer.rows:
        raise QueryArgumentError(f"规划 {plan} 中没有任务 {args.number}",
                                 f"plan {plan} has no task {args.number}")
    _print_lineage(answer, args.format)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from ..queries import run_checks

    failed = 0
    for name, answer in run_checks(graph_for(None)).items():
        mark = "通过 / pass" if not answer.rows else f"未通过 / FAIL ({len(answer.rows)})"
        print(f"{name:<50} {mark}")
        failed += bool(answer.rows)
    return 1 if failed else 0
