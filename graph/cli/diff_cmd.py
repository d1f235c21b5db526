"""``plankg diff OLD NEW [--format table|json|html|ttl]``: two plan years side by side.

OLD and NEW are plan files (Markdown, text, HTML, .docx or RDF), or the 发文字号 of plans in the
built graph, in any bracket form.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rdflib import Graph, URIRef

from ..diff import Carried, PlanDiff, TargetChange, continues_graph, diff_plans
from ..render import table, to_json
from ..tasks import ROLE_ZH

__all__ = ["change_lines", "diff_html", "diff_table", "load_plan_graph", "run_diff"]

ARROW = {"raised": "↑", "lowered": "↓"}


def load_plan_graph(spec: str, *, release: Graph | None = None) -> tuple[Graph, URIRef]:
    """A plan and the graph that holds it (with the labels of its agencies and sectors): from a
    file, or by its 发文字号 (or IRI) in ``release`` (default: the built graph)."""
    from ..errors import SourceParseError
    from ..iris import BASE, PK, RDF
    from ..names import resolve_plan
    from ..parse import normalise_number
    from .tasks_cmd import graph_for

    path = Path(spec)
    if path.is_file():
        g = graph_for(path)
        plans = sorted(set(g.subjects(RDF.type, PK.Plan)))
        if len(plans) != 1:
            raise SourceParseError(f"文件中应恰有一个规划，实有 {len(plans)} 个",
                                   f"the file should hold exactly one plan, not {len(plans)}",
                                   file=path.name)
        return g, plans[0]
    if normalise_number(spec) is None and not spec.startswith(BASE):
        raise SourceParseError("找不到此文件，它也不是发文字号", "no such file, and not a document "
                               "number either", file=spec)
    if release is None:
        from ..publish import load_release
        release = load_release()
    return release, resolve_plan(release, spec)


def _value(target: TargetChange) -> str:
    return (f"{target.indicator}: {target.old:g} → {target.new:g} {target.unit} "
            f"{ARROW[target.change]}")


def _agency(change) -> str:
    if change.old_role is None:
        return f"+ {change.agency}（{ROLE_ZH[change.new_role]}）"
    if change.new_role is None:
        return f"− {change.agency}（{ROLE_ZH[change.old_role]}）"
    return f"{change.agency} {ROLE_ZH[change.old_role]} → {ROLE_ZH[change.new_role]}"


def change_lines(task: Carried) -> list[tuple[str, str]]:
    """What changed in a carried-over task, as (what, how) lines for people.

    >>> from plankg.graph.diff import AgencyChange
    >>> change_lines(Carried(5, 6, "健全物流体系", "完善物流网络", 0.64,
    ...     (AgencyChange("县工信局", "support", None),), (), "", ""))
    [('标题 / heading', '完善物流网络 → 健全物流体系'), ('单位 / agencies', '− 县工信局（配合）')]
    """
    lines = []
    if task.heading != task.old_heading:
        lines.append(("标题 / heading", f"{task.old_heading} → {task.heading}"))
    if task.agencies:
        lines.append(("单位 / agencies", "；".join(_agency(a) for a in task.agencies)))
    if task.targets:
        lines.append(("目标 / targets", "；".join(_value(t) for t in task.targets)))
    return lines


def _delta(n: int) -> str:
    return f"{n:+d}" if n else "0"


def _sector_rows(diff: PlanDiff) -> list[list[object]]:
    rows = [[s.sector or "（未分行业）/ none", s.old, s.new, _delta(s.new - s.old)]
            for s in diff.sectors]
    old, new = sum(s.old for s in diff.sectors), sum(s.new for s in diff.sectors)
    return [*rows, ["合计 / total", old, new, _delta(new - old)]]


def _counts(diff: PlanDiff) -> str:
    changed = sum(1 for c in diff.carried if change_lines(c))
    text = (f"新增 / added {len(diff.added)}；删去 / dropped {len(diff.dropped)}；"
            f"延续 / carried over {len(diff.carried)}（有变化 / changed {changed}）")
    if diff.merged or diff.split:
        text += f"；合并 / merged {len(diff.merged)}；拆分 / split {len(diff.split)}"
    return text


KIND = {"merge": "合并 / merged into", "split": "拆分 / split into"}


def _link_rows(diff: PlanDiff) -> list[list[object]]:
    return [[KIND[c.kind], c.old, c.new, f"{c.score:.2f}", c.old_heading, c.heading]
            for c in (*diff.merged, *diff.split)]


def _target_rows(diff: PlanDiff) -> list[list[object]]:
    return [[t.indicator, t.unit, f"{t.old:g}", f"{t.new:g}",
             "规划 / plan" if t.old_task is None else t.old_task,
             "规划 / plan" if t.new_task is None else t.new_task, ARROW[t.change]]
            for t in diff.targets]


TARGET_HEAD = ["指标 Indicator", "单位 Unit", "之前 Before", "之后 After", "旧任务 Old task",
               "新任务 New task", "升降 Dir"]
LINK_HEAD = ["关系 Link", "旧 Old", "新 New", "得分 Score", "旧任务 Old task", "新任务 New task"]


def diff_table(diff: PlanDiff) -> str:
    """The diff as plain-text tables for people."""
    out = [f"{diff.old} → {diff.new}", _counts(diff), "", "新增任务 / Added tasks",
           table(["新 New", "任务 Task"], [[t.number, t.heading] for t in diff.added]),
           "", "删去任务 / Dropped tasks",
           table(["旧 Old", "任务 Task"], [[t.number, t.heading] for t in diff.dropped]),
           "", "延续任务 / Carried over",
           table(["旧 Old", "新 New", "得分 Score", "任务 Task", "变化 Changes"],
                 [[c.old, c.new, f"{c.score:.2f}", c.heading,
                   "、".join(what.split(" / ")[0] for what, _ in change_lines(c)) or "—"]
                  for c in diff.carried])]
    if diff.merged or diff.split:
        out += ["", "合并与拆分 / Merged and split", table(LINK_HEAD, _link_rows(diff))]
    if diff.targets:
        out += ["", "目标（按指标）/ Targets by indicator", table(TARGET_HEAD, _target_rows(diff))]
    changed = [c for c in diff.carried if change_lines(c)]
    if changed:
        out += ["", "变化 / Changes"]
        for c in changed:
            out.append(f"任务 / task {c.old} → {c.new} {c.heading}")
            out += [f"  {what}: {how}" for what, how in change_lines(c)]
    if diff.goals:
        out += ["", "规划目标 / Goals"] + [f"  {_value(g)}" for g in diff.goals]
    out += ["", "分行业任务数 / Tasks by sector",
            table(["行业 Sector", "之前 Before", "之后 After", "增减 Change"], _sector_rows(diff))]
    return "\n".join(out)


def diff_html(diff: PlanDiff) -> str:
    """The diff as a standalone HTML page (Chinese first, English beside it)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("plankg.graph", "templates"),
                      autoescape=select_autoescape(["html"]))
    return env.get_template("diff.html").render(
        diff=diff, counts=_counts(diff), changes={c.new: change_lines(c) for c in diff.carried},
        goals=[_value(g) for g in diff.goals], sectors=_sector_rows(diff),
        links=_link_rows(diff), link_head=LINK_HEAD, targets=_target_rows(diff),
        target_head=TARGET_HEAD)


def run_diff(args: argparse.Namespace) -> int:
    old_graph, old_plan = load_plan_graph(args.old)
    release = old_graph if not Path(args.old).is_file() else None
    new_graph, new_plan = load_plan_graph(args.new, release=release)
    diff = diff_plans(old_graph, old_plan, new_graph, new_plan)
    if args.format == "json":
        print(to_json(diff.as_dict()))
    elif args.format == "html":
        print(diff_html(diff))
    elif args.format == "ttl":
        print(continues_graph(diff).serialize(format="turtle"))
    else:
        print(diff_table(diff))
    return 0
