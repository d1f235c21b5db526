"""``plankg validate FILE... [--format table|json|ttl] [--against built|FILE]``."""

from __future__ import annotations

import argparse
import sys

from ..errors import PlanKGError
from ..render import table, to_json

__all__ = ["run_validate"]

SEVERITY_ZH = {"Violation": "违规", "Warning": "警告", "Info": "提示"}


def _task_label(report, finding) -> str:
    if not finding.task:
        return "（文件 / document）"
    tail = finding.task.rsplit("/task/", 1)[-1]
    return f"任务 / task {tail}"


def _print_table(report) -> None:
    status = ("符合 / conforms" if report.conforms else "不符合 / does not conform")
    print(f"{report.file}: {status}；违规 / violations {len(report.violations)}，"
          f"警告 / warnings {sum(f.severity == 'Warning' for f in report.results)}")
    if report.kind:
        print(f"{report.kind['zh']} / {report.kind['en']}")
    if report.encoding != "utf-8":
        print(f"编码 / encoding: {report.encoding.upper()}（已自动识别 / detected）")
    groups: dict[str, list] = {}
    for finding in report.results:
        groups.setdefault(_task_label(report, finding), []).append(finding)
    unit = "段 / para." if report.line_unit == "paragraph" else "行 / line"
    for label, findings in groups.items():
        print(f"\n{label}")
        rows = [[f.line or "", f"{SEVERITY_ZH.get(f.severity, f.severity)} {f.severity}",
                 f"{f.message_zh} / {f.message_en}"] for f in findings]
        print(table([unit, "级别 Severity", "说明 Message"], rows, max_width=400))
    changes = report.changes
    if changes:
        print(f"\n与上一年度 {changes['previous']} 相比 / against last year's plan:")
        print(f"  新增任务 / added: {len(changes['added'])}；删去 / dropped: "
              f"{len(changes['dropped'])}；延续 / carried over: {len(changes['carried'])}")
        for t in changes["targets"]:
            arrow = "↑" if t["change"] == "raised" else "↓"
            where = "规划 / plan" if t["new_task"] is None else f"任务 / task {t['new_task']}"
            print(f"  {arrow} {where} {t['indicator']}: "
                  f"{t['old']:g} → {t['new']:g} {t['unit']}")


def _store_plans(spec: str | None):
    """The plans of a store (``--store``, else ``PLANKG_STORE``, else the data folder's
    Oxigraph store): their headers, and a reader of one plan's task records, so that a large
    store is never copied whole."""
    from ..backends import open_existing_store
    from ..store import GraphStore
    return GraphStore(open_existing_store(spec)).plans_to_compare()


def run_validate(args: argparse.Namespace) -> int:
    from ..validate import load_graph_file, validate_file

    against, plan_context = None, None
    if args.against == "built":
        from ..publish import load_release
        against = load_release()
    elif args.against == "store":
        against, plan_context = _store_plans(args.store)
    elif args.against:
        from pathlib import Path
        against, _ = load_graph_file(Path(args.against))
    worst = 0
    reports: list[dict] = []
    for path in args.files:
        try:
            report = validate_file(path, against=against, plan_context=plan_context)
        except PlanKGError as exc:
            print(f"错误 / error: {exc}", file=sys.stderr)
            worst = 2
            # a script reading the JSON must see the file was not validated, not "no findings"
            reports.append({"file": str(path), "conforms": None, "error": {
                "zh": exc.zh, "en": exc.en, "line": getattr(exc, "line", None)}})
            continue
        reports.append(report.as_dict())
        worst = max(worst, 0 if report.conforms else 1)
        if args.format == "table":
            _print_table(report)
        elif args.format == "ttl":
            print(report.graph.serialize(format="turtle"))
    if args.format == "json":
        print(to_json(reports[0] if len(reports) == 1 else reports))
    return worst
