"""The ``plankg`` command: a thin shell over the library. Exit codes: 0 ok, 1 problems, 2 bad input.

Subcommands: ``build``, ``tasks``, ``sparql``, ``query``, ``queries``, ``lineage``, ``check``,
``validate``, ``align``, ``diff``, ``ingest``, ``load``, ``add``, ``status``, ``synth``, ``ask``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import PlanKGError

__all__ = ["main"]

READ_STORE = ("从此存储只读地读取（同 plankg serve：oxigraph:目录 或 sparql:URL；默认 PLANKG_STORE，"
              "否则已构建的发布文件）/ read this store, opened read-only as plankg serve opens "
              "it: oxigraph:DIR or sparql:URL (default: PLANKG_STORE, else the built release)")


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
    tasks.add_argument("--role", help="角色：牵头、配合、负责、未写明 / role: lead, support, "
                       "responsible, unspecified")
    tasks.add_argument("--sector", help="行业 / sector (Chinese or English label, or key)")
    tasks.add_argument("--source", type=Path, help="直接解析此规划文件 / parse this plan file "
                       "instead of reading the built graph")
    tasks.add_argument("--format", choices=["table", "json", "csv"], default="table")
    tasks.add_argument("--store", metavar="SPEC", help=READ_STORE)

    sparql = sub.add_parser("sparql", help="在图上运行 SPARQL 查询 / run a SPARQL query")
    sparql.add_argument("query", nargs="?", help="查询文本 / query text")
    sparql.add_argument("-f", "--file", type=Path, help="从文件读取查询 / read the query from a file")
    sparql.add_argument("--format", choices=["table", "json", "csv", "sparql-json", "ttl"],
                        default="table")
    sparql.add_argument("--store", metavar="SPEC", help=READ_STORE)

    query = sub.add_parser("query", help="运行命名查询 / run a named query (see `plankg queries`)")
    query.add_argument("name", help="查询名 / query name, e.g. task-lineage or checks/NAME")
    query.add_argument("--param", "-p", action="append", default=[], metavar="K=V",
                       help="参数 / parameter, e.g. --param agency=县发改局")
    query.add_argument("--format", choices=["table", "json", "csv", "sparql-json"],
                       default="table")
    query.add_argument("--store", metavar="SPEC", help=READ_STORE)

    sub.add_parser("queries", help="列出命名查询及其参数 / list the named queries and parameters")

    lineage = sub.add_parser("lineage", help="任务溯源 / lineage of a task (task-lineage)")
    lineage.add_argument("number", help="任务编号 / task number")
    lineage.add_argument("--plan", help="发文字号（默认最新规划）/ plan number (default: newest)")
    lineage.add_argument("--format", choices=["table", "json", "csv", "sparql-json"],
                         default="table")
    lineage.add_argument("--store", metavar="SPEC", help=READ_STORE)

    sub.add_parser("check", help="运行质量检查 / run the quality checks (exit 1 on findings)")

    ask = sub.add_parser("ask", help="用中文或英文提问 / ask a question in plain Chinese or "
                         "English (exit 1 when it is not understood)")
    ask.add_argument("question", help="问题 / the question, e.g. 县工信局牵头哪些任务？")
    ask.add_argument("--plan", help="发文字号（默认最新规划）/ plan number (default: newest)")
    ask.add_argument("--format", choices=["table", "json"], default="table")
    ask.add_argument("--store", metavar="SPEC", help=READ_STORE)

    align = sub.add_parser("align", help="把子规划任务对应到上级规划措施 / align a child plan's "
                           "tasks with a parent plan's measures")
    align.add_argument("--child", required=True, help="子规划：文件或发文字号 / child plan: a file "
                       "or the number of a vendored source")
    align.add_argument("--parent", required=True, help="上级规划：文件或发文字号 / parent plan")
    align.add_argument("--top", type=int, default=3, help="每项任务最多几条 / links per task")
    align.add_argument("--threshold", type=float, default=None,
                       help="最低得分 / minimum score (default: the calibrated threshold)")
    align.add_argument("--format", choices=["table", "json", "csv", "ttl"], default="table",
                       help="ttl: the alignment graph (pk:Alignment records, pk:alignedWith)")
    align.add_argument("--review", type=Path, help="审核过的 CSV（decision 列填 accept/reject）/ "
                       "a reviewed CSV: accepted links become pk:implementsMeasure")

    ingest = sub.add_parser("ingest", help="读入上级文件，其条目成为措施并与子规划对应 / read a "
                            "parent document: its items become measures, aligned with a child plan")
    ingest.add_argument("file", type=Path, metavar="FILE", help="上级规划或若干政策的文本 / the "
                        "parent plan or set of measures (若干政策), as text")
    ingest.add_argument("--child", help="子规划的发文字号（默认最新的县级规划）/ the child plan's "
                        "number (default: the newest county plan)")
    ingest.add_argument("--review", type=Path, help="审核过的 CSV（见 plankg align）/ a reviewed "
                        "CSV (see plankg align)")
    ingest.add_argument("--out", type=Path, help="写出 TriG 文件（默认输出到屏幕）/ write TriG to "
                        "this file (default: standard output)")
    ingest.add_argument("--store", help="载入此存储（同 plankg load）/ load into this store (as "
                        "plankg load): each graph replaces the graph of its name")

    load = sub.add_parser("load", help="把构建好的图载入存储（幂等）/ load built graphs into a "
                          "store (idempotent: each graph replaces the graph of its name)")
    load.add_argument("files", nargs="*", type=Path, metavar="FILE",
                      help="TriG（.trig）或 N-Quads（.nq）文件（默认：已构建的图）/ TriG or "
                      "N-Quads files (default: the built graph)")
    load.add_argument("--store", help="memory、oxigraph[:PATH]、sparql:URL[;update=URL][;gsp=URL]"
                      "（默认 PLANKG_STORE，否则数据目录中的 Oxigraph）/ the store (default: "
                      "PLANKG_STORE, else embedded Oxigraph in the data folder)")
    load.add_argument("--if-needed", action="store_true", help="已载入同一发布文件时不再载入 / "
                      "skip when the store already holds this release")

    add = sub.add_parser("add", help="把规划或上级文件加入存储（只写它自己的图）/ add plan or "
                         "parent documents to a store, each into graphs of its own")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE",
                     help="规划文本（.md .txt .html .docx）/ plan text")
    add.add_argument("--store", help="存储（默认 PLANKG_STORE，否则数据目录中的 Oxigraph）/ the "
                     "store (default: PLANKG_STORE, else embedded Oxigraph in the data folder)")
    add.add_argument("--force", action="store_true", help="有违规也加入 / add a document even "
                     "with violations")

    status = sub.add_parser("status", help="存储中的文件和命名图及其来源 / the documents and "
                            "graphs of a store, and where each came from")
    status.add_argument("--store", help="存储 / the store (as for plankg add)")
    status.add_argument("--format", choices=["table", "json"], default="table")

    validate = sub.add_parser("validate", help="用 SHACL 形状校验规划文件 / validate plan files "
                              "with the SHACL shapes (exit 1 on violations, 2 on unreadable input)")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE",
                          help="规划文本（.md .txt .html .docx）或 RDF（.ttl .nt .jsonld .trig）/ "
                          "plan text or RDF")
    validate.add_argument("--format", choices=["table", "json", "ttl"], default="table")
    validate.add_argument("--against", metavar="built|store|FILE", help="与已有规划比较（built = "
                          "已构建的图；store = --store 所指的存储）/ compare with the plans "
                          "already built, in a store (--store), or in FILE")
    validate.add_argument("--store", default=None, metavar="SPEC",
                          help="--against store 所用的存储（默认：PLANKG_STORE 或数据目录中的 "
                          "Oxigraph）/ the store for --against store (default: PLANKG_STORE, "
                          "else the data folder's Oxigraph store)")

    diff = sub.add_parser("diff", help="比较两个年度的规划 / two plan years side by side: tasks "
                          "added, dropped and carried over, with their changes")
    diff.add_argument("old", metavar="OLD", help="上一年度规划：文件或发文字号 / the older plan: a "
                      "file, or the number of a plan in the built graph")
    diff.add_argument("new", metavar="NEW", help="新一年度规划：文件或发文字号 / the newer plan")
    diff.add_argument("--format", choices=["table", "json", "html", "ttl"], default="table",
                      help="ttl: the pk:continues links, with their scores")

    synth = sub.add_parser("synth", help="生成合成语料（基准测试用）/ write a synthetic corpus "
                           "shaped like the real graph, for benchmarks")
    size = synth.add_mutually_exclusive_group(required=True)
    size.add_argument("--plans", type=int, help="规划数（每个约 4,400 个三元组）/ number of plans "
                      "(about 4,400 triples each)")
    size.add_argument("--triples", type=int, help="目标三元组数，据此选定规划数 / about this many "
                      "triples (picks --plans)")
    synth.add_argument("--seed", type=int, default=0, help="随机种子 / random seed (default 0)")
    synth.add_argument("--out", type=Path, help="输出文件 .trig 或 .nq（默认：N-Quads 写到标准"
                       "输出）/ output file (default: N-Quads on standard output)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .align_cmd import run_align
    from .ask_cmd import run_ask
    from .build_cmd import run_build
    from .diff_cmd import run_diff
    from .ingest_cmd import run_ingest
    from .load_cmd import run_load
    from .query_cmd import run_check, run_lineage, run_queries, run_query, run_sparql
    from .store_cmd import run_add, run_status
    from .synth_cmd import run_synth
    from .tasks_cmd import run_tasks
    from .validate_cmd import run_validate

    args = _parser().parse_args(argv)
    handler = {"build": run_build, "tasks": run_tasks, "sparql": run_sparql,
               "query": run_query, "queries": run_queries, "lineage": run_lineage,
               "check": run_check, "validate": run_validate, "load": run_load, "align": run_align,
               "ingest": run_ingest, "add": run_add, "status": run_status,
               "synth": run_synth, "ask": run_ask,
               "diff": run_diff}[args.command]
    try:
        return handler(args)
    except PlanKGError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
