"""The lineage of a task for people: what each step and document is called (Chinese, then
English), the steps grouped into edges, and the text tree ``plankg lineage`` prints.

The tree starts at the task and follows each step from the document it starts at, so the basis
chain (county → city → province → national) reads downward; a document named twice has its
steps shown once. Lines are wrapped to a width measured in terminal columns (a CJK character
takes two: :func:`plankg.graph.render.width`). The service's drawing (service/lineage_svg.py) uses the
same names and edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import POLICY_GENRES
from .parse.header import genre_of
from .render import width

__all__ = ["EVIDENCE", "LEVELS", "RELATIONS", "Edge", "edges_of", "kinds_of", "lineage_tree"]

LEVELS = {"task": ("任务", "task"), "county": ("县", "county"), "city": ("市", "city"),
          "province": ("省", "province"), "national": ("国家", "national"),
          "": ("未知层级", "unknown")}
RELATIONS = {"cites": "引用", "based_on": "依据", "ensures_implementation_of": "贯彻落实",
             "implementsMeasure": "落实措施", "alignedWith": "内容对齐", "is_part_of": "属于"}
EVIDENCE = {"stated": "原文", "curated": "整理", "inferred": "推断"}
WIDTH = 100  # columns


@dataclass
class Edge:
    """The steps from one document to another with one kind of evidence."""
    tail: str
    head: str
    evidence: str
    step: dict  # the first of the steps, for the head's number, title and level
    relations: list[str] = field(default_factory=list)
    score: float | None = None
    sources: list[str] = field(default_factory=list)


def edges_of(steps: list[dict]) -> list[Edge]:
    """One edge per pair of documents and kind of evidence, naming every relation between them,
    in the order of the steps."""
    edges: dict[tuple[str, str, str], Edge] = {}
    for step in steps:
        evidence = step.get("evidence") or "stated"
        edge = edges.setdefault((step["from"], step["document"], evidence),
                                Edge(step["from"], step["document"], evidence, step))
        if step["relation"] not in edge.relations:
            edge.relations.append(step["relation"])
        if step.get("score") is not None:
            edge.score = max(edge.score or 0.0, float(step["score"]))
        if step.get("source") and step["source"] not in edge.sources:
            edge.sources.append(step["source"])
    return list(edges.values())


def _genre(title: str | None) -> str | None:
    genre = genre_of(title or "")
    return None if genre is None else "policy" if genre in POLICY_GENRES else "plan"


def _kind(iri: str, title: str | None, genres: dict[str, str | None]) -> str:
    """What a document of a step is: an item of a document (a task of a plan, a measure of a
    policy, an item of a document not in the answer) or a whole document, by its title's genre.

    >>> _kind("x/d/task/3", "", {"x/d": "plan"}), _kind("x/e/section/2/task/1", "", {})
    ('任务 Task 3', '条目 Item 2.1')
    >>> _kind("x/f", "关于促进服务业领域困难行业恢复发展的若干政策", {})
    '政策文件 Policy'
    """
    item = re.search(r"(?:/section/(\d+))?/task/(\d+)$", iri)
    if item:
        number = ".".join(filter(None, item.groups()))
        return {"plan": f"任务 Task {number}", "policy": f"措施 Measure {number}"}.get(
            genres.get(iri[:item.start()]), f"条目 Item {number}")
    return {"plan": "规划 Plan", "policy": "政策文件 Policy"}.get(_genre(title), "文件 Document")


def kinds_of(steps: list[dict]) -> dict[str, str]:
    """The kind of every document the steps reach (规划 Plan, 任务 Task 1, 措施 Measure 3…)."""
    titles: dict[str, str | None] = {}
    for step in steps:
        titles.setdefault(step["document"], step.get("title"))
    genres = {doc: _genre(title) for doc, title in titles.items()}
    return {doc: _kind(doc, title, genres) for doc, title in titles.items()}


def _wrap(text: str, limit: int, first: int | None = None) -> list[str]:
    """``text`` in lines of at most ``limit`` columns (the first line ``first``), broken at a
    space where one is near, else anywhere.

    >>> _wrap("来源 source: a.md:31; curated", 16)
    ['来源 source:', 'a.md:31; curated']
    """
    lines, line, room = [], "", limit if first is None else first
    for ch in " ".join(text.split()):
        if width(line + ch) > room:
            cut = line.rfind(" ")
            head, line = (line[:cut], line[cut + 1:]) if cut > len(line) // 2 else (line, "")
            lines.append(head.rstrip())
            room = limit
        line += ch
    return lines + [line] if line or not lines else lines


def _lines(first: str, rest: str, text: str, limit: int) -> list[str]:
    """``text`` wrapped to ``limit`` columns, its first line after ``first``, others after
    ``rest``."""
    wrapped = _wrap(text, max(limit - width(rest), 20), max(limit - width(first), 20))
    return [(first if i == 0 else rest) + line for i, line in enumerate(wrapped)]


def _head(edge: Edge, kinds: dict[str, str]) -> str:
    """The relations of an edge and what it leads to."""
    relations = ", ".join(f"{RELATIONS.get(r, '')} {r}".strip() for r in edge.relations)
    kind, number = kinds.get(edge.head, ""), edge.step.get("doc_number") or edge.head
    return f"{relations} → " + (f"{number} {kind}" if "/task/" in edge.head else f"{kind} {number}")


def _about(edge: Edge) -> str:
    """The level of what an edge leads to, how the edge is known, and the title."""
    zh, en = LEVELS.get(edge.step.get("level") or "", LEVELS[""])
    score = f" {edge.score:.3f}" if edge.score is not None else ""
    return " · ".join(filter(None, [f"{zh} {en}", f"{EVIDENCE.get(edge.evidence, '')} "
                                    f"{edge.evidence}{score}".strip(), edge.step.get("title")]))


def lineage_tree(steps: list[dict], *, limit: int = WIDTH) -> str:
    """The steps (rows of task-lineage, as records) as a tree from the task, ``limit`` columns
    wide at most, with the number of rows at the end."""
    if not steps:
        return "共 0 行 / 0 rows"
    first = steps[0]
    root = first["task"]
    out = [f"任务 Task {first['number']} · {first['plan_number']}"]
    children: dict[str, list[Edge]] = {}
    for edge in edges_of(steps):
        children.setdefault(edge.tail, []).append(edge)
    shown = {root}
    _branch(root, "", children, kinds_of(steps), shown, out, limit)
    for tail in [t for t in children if t not in shown]:  # steps from nothing the task reaches
        out.append(f"{tail}")
        _branch(tail, "", children, kinds_of(steps), shown | {tail}, out, limit)
    out += ["", f"共 {len(steps)} 行 / {len(steps)} rows"]
    return "\n".join(out)


def _branch(node: str, prefix: str, children: dict[str, list[Edge]], kinds: dict[str, str],
            shown: set[str], out: list[str], limit: int) -> None:
    edges = children.get(node, [])
    for i, edge in enumerate(edges):
        last = i == len(edges) - 1
        below = prefix + ("   " if last else "│  ")
        grows = edge.head in children and edge.head not in shown
        shown.add(edge.head)
        out += _lines(prefix + ("└─ " if last else "├─ "), below + "   ", _head(edge, kinds),
                      limit)
        detail = below + ("│  " if grows else "   ")
        out += _lines(detail, detail, _about(edge), limit)
        for source in edge.sources:
            out += _lines(detail + "来源 source: ", detail + "  ", source, limit)
        if edge.head in children and not grows:
            out += _lines(detail, detail, "（其上溯源见前 / its lineage is shown above）", limit)
        if grows:
            _branch(edge.head, below, children, kinds, shown, out, limit)
