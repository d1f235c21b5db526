"""The ``plankg`` command: a thin shell over the library. Exit codes: 0 ok, 1 problems, 2 bad input.

Subcommands: ``build``, ``tasks``, ``sparql``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Literal, URIRef

from .errors import PlanKGError

__all__ = ["main"]

ROLE_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "unspecified": "未写明"}
STAGE_ZH = {"registries": "读取登记表", "parse": "解析", "build": "构建", "reason": "推理",
            "write": "写出", "total": "合计"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plankg", description="政策规划知识图谱 / plankg: a policy knowledge graph of "
        "Chinese government plans")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help="解析、构建、推理并写出发布文件 / parse, build, reason "
                           "and write the release files")
    build.add_argument("--out", type=Path, help="输出目录 / output folder (default: the "
                       "package's release folder)")
    build.add_argument("--check", action="store_true", help="只检查已提交的发布文件是否过期 / "
                       "only check that the committed release is up to date (exit 1 if stale)")

    tasks = sub.add_parser("tasks", help="列出任务 / list tasks")
    tasks.add_argument("--plan", help="发文字号 / document number of the plan")
    tasks.add_argument("--agency", help="单位名称、简称或 IRI / agency name, alias or IRI")
    tasks.add_argument("--role", choices=list(ROLE_ZH), help="角色 / role")
    tasks.add_argument("--sector", help="行业 / sector (Chinese or English label, or key)")
    tasks.add_argument("--source", type=Path, help="直接解析此规划文件 / parse this plan file "
                       "instead of reading the built graph")
    tasks.add_argument("--format", choices=["table", "json", "csv"], default="table")

    sparql = sub.add_parser("sparql", help="在图上运行 SPARQL 查询 / run a SPARQL query")
    sparql.add_argument("query", nargs="?", help="查询文本 / query text")
    sparql.add_argument("-f", "--file", type=Path, help="从文件读取查询 / read the query from a file")
    sparql.add_argument("--format", choices=["table", "json", "csv", "ttl"], default="table")
    return parser


def _build(args: argparse.Namespace) -> int:
    import time

    from .paths import release_dir
    from .pipeline import build_all
    from .publish import canonical_nquads, load_release, write_release

    start = time.perf_counter()
    result = build_all()
    timings = dict(result.timings)
    if args.check:
        stale = canonical_nquads(result.dataset) != canonical_nquads(load_release())
        print("发布文件已过期，请运行 plankg build / the release is stale: run plankg build"
              if stale else "发布文件是最新的 / the release is up to date")
        return 1 if stale else 0
    clock = time.perf_counter()
    out = args.out or Path(str(release_dir()))
    paths = write_release(result.dataset, out)
    timings["write"] = time.perf_counter() - clock
    timings["total"] = time.perf_counter() - start
    for path in paths:
        print(f"已写出 / wrote {path}")
    print(f"三元组 / triples: {len(result.dataset)}；任务 / tasks: "
          f"{sum(len(p.tasks) for p in result.plans)}")
    for stage, seconds in timings.items():
        print(f"  {STAGE_ZH[stage]} / {stage}: {seconds * 1000:.0f} ms")
    return 0


def _graph_for(source: Path | None):
    """The graph to answer from: the committed release, or one plan file parsed on the spot."""
    if source is None:
        from .publish import load_release
        return load_release()
    from .build import build_dataset
    from .parse import parse_file
    return build_dataset([parse_file(source)])


def _tasks(args: argparse.Namespace) -> int:
    from .render import table, to_csv, to_json
    from .tasks import task_records

    records = task_records(_graph_for(args.source), plan=args.plan, agency=args.agency,
                           role=args.role, sector=args.sector)
    if args.format == "json":
        print(to_json(records))
        return 0
    agencies = [("、".join(f"{a['name'] or a['as_written']}({ROLE_ZH[a['role']]})"
                          for a in r["agencies"])) for r in records]
    if args.format == "csv":
        rows = [[r["plan"], r["number"], r["title"], r["section"], r["sector"], a,
                 ";".join(r["cites"]), len(r["targets"]), r["iri"]]
                for r, a in zip(records, agencies)]
        print(to_csv(["plan", "number", "title", "section", "sector", "agencies", "cites",
                      "targets", "iri"], rows), end="")
        return 0
    rows = [[r["number"], r["title"], r["section"], r["sector"] or "", a]
            for r, a in zip(records, agencies)]
    print(table(["编号 No.", "任务 Task", "章 Sec.", "行业 Sector", "责任单位 Agencies"], rows))
    print(f"\n共 {len(records)} 项任务 / {len(records)} tasks")
    return 0


def _term_json(value) -> dict | None:
    if value is None:
        return None
    if isinstance(value, URIRef):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, BNode):
        return {"type": "bnode", "value": str(value)}
    term = {"type": "literal", "value": str(value)}
    if isinstance(value, Literal) and value.language:
        term["xml:lang"] = value.language
    elif isinstance(value, Literal) and value.datatype:
        term["datatype"] = str(value.datatype)
    return term


def _sparql(args: argparse.Namespace) -> int:
    from .errors import QueryArgumentError
    from .render import table, to_csv, to_json
    from .sparql import run_sparql

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
    answer = run_sparql(_graph_for(None), text)
    if answer.graph is not None:
        print(answer.graph.serialize(format="turtle"))
        return 0
    if answer.kind == "ASK":
        print(to_json({"head": {}, "boolean": answer.boolean}) if args.format == "json"
              else str(answer.boolean).lower())
        return 0
    if args.format == "json":
        bindings = [{v: _term_json(x) for v, x in zip(answer.variables, row) if x is not None}
                    for row in answer.rows]
        print(to_json({"head": {"vars": answer.variables}, "results": {"bindings": bindings}}))
    elif args.format == "csv":
        print(to_csv(answer.variables, [[("" if x is None else str(x)) for x in row]
                                        for row in answer.rows]), end="")
    else:
        print(table(answer.variables, [[("" if x is None else str(x)) for x in row]
                                       for row in answer.rows], max_width=60))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {"build": _build, "tasks": _tasks, "sparql": _sparql}[args.command]
    try:
        return handler(args)
    except PlanKGError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
