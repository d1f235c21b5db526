"""Where the boxes, edges and edge labels of a lineage drawing go, as Graphviz ``dot`` lays them
out (``dot -Tjson``, run as a subprocess; nothing of the text goes to dot, only sizes).

dot is a layered layout built for this: long edges are routed between the boxes of the rows they
cross, and an edge label is a box of its own that dot keeps clear of boxes and other labels.
Each row given is a rank, top to bottom in the order of the numbers; invisible anchors chain the
rows so that a row stays in place even when no edge reaches it. Coordinates come back in SVG
pixels, y pointing down, from the top left of the layout. dot's answers are kept (512 of them,
some 20 ms each to make): a task page is laid out once.

Errors: :class:`LayoutUnavailable` when ``dot`` is not installed, fails or takes too long.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

__all__ = ["Layout", "LayoutUnavailable", "Link", "PlacedLink", "Spot", "lay_out"]

TIMEOUT = 10  # seconds; a lineage has a dozen boxes, dot needs some milliseconds
GRAPH = ('digraph lineage {\n  graph [rankdir=TB, nodesep=0.35, ranksep=0.3, margin=0, '
         'splines=spline, outputorder=edgesfirst];\n'
         '  node [shape=box, fixedsize=true, label=""];\n')


class LayoutUnavailable(RuntimeError):
    """``dot`` is missing, failed or timed out; ``args[0]`` says which, in Chinese and English."""


@dataclass(frozen=True)
class Spot:
    """A box of ``width`` × ``height`` pixels in row ``row`` (0 is the top row)."""
    key: str
    row: int
    width: float
    height: float


@dataclass(frozen=True)
class Link:
    """An edge from box ``tail`` to box ``head`` with a label of ``label`` (width, height)."""
    tail: str
    head: str
    label: tuple[float, float]


@dataclass(frozen=True)
class PlacedLink:
    link: Link
    curve: tuple[tuple[float, float], ...]  # a start point and cubic Bézier triples
    tip: tuple[float, float] | None          # where the arrowhead points, past the curve
    label: tuple[float, float]               # the centre of the label


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: dict[str, tuple[float, float]]  # centre of each box
    links: list[PlacedLink]
    rows: dict[int, float]                 # the y of each row's centre


def _dot_source(spots: list[Spot], links: list[Link]) -> str:
    ids = {s.key: f"n{i}" for i, s in enumerate(spots)}
    rows = sorted({s.row for s in spots})
    out = [GRAPH]
    for row in rows:
        members = " ".join(f'{ids[s.key]} [width={s.width / 72:.4f}, height={s.height / 72:.4f}];'
                           for s in spots if s.row == row)
        out.append(f"  {{ rank=same; r{row} [shape=point, width=0.01, style=invis]; {members} }}\n")
    out += [f"  r{a} -> r{b} [style=invis, weight=0];\n" for a, b in pairwise(rows)]
    row_of = {s.key: s.row for s in spots}
    for i, link in enumerate(links):
        width, height = link.label
        cell = (f'<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD FIXEDSIZE="TRUE" '
                f'WIDTH="{round(width)}" HEIGHT="{round(height)}"></TD></TR></TABLE>')
        upward = row_of[link.head] <= row_of[link.tail]  # against the rows: do not rank by it
        out.append(f"  {ids[link.tail]} -> {ids[link.head]} [id=e{i}, label=<{cell}>"
                   + (", constraint=false" if upward else "") + "];\n")
    out.append("}\n")
    return "".join(out)


@lru_cache(maxsize=512)
def _run_dot(source: str) -> str:
    dot = shutil.which("dot")
    if dot is None:
        raise LayoutUnavailable("服务器未安装 Graphviz（dot）/ Graphviz (dot) is not installed")
    try:
        done = subprocess.run([dot, "-Tjson"], input=source, capture_output=True, text=True,
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise LayoutUnavailable(f"dot 超时 / dot took over {TIMEOUT} s") from None
    if done.returncode != 0:
        raise LayoutUnavailable(f"dot 出错 / dot failed: {done.stderr.strip()[:200]}")
    return done.stdout


def _points(pos: str, flip) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
    """The spline of a dot ``pos`` attribute ("e,x,y x,y x,y …") and its arrow tip."""
    points, tip = [], None
    for token in pos.split():
        parts = token.split(",")
        if parts[0] == "e":
            tip = flip(parts[1], parts[2])
        elif parts[0] != "s":
            points.append(flip(parts[0], parts[1]))
    return points, tip


def lay_out(spots: list[Spot], links: list[Link]) -> Layout:
    """Place ``spots`` and route ``links`` (in their order in :attr:`Layout.links`) with dot;
    raise :class:`LayoutUnavailable` without it."""
    source = _dot_source(spots, links)
    try:
        return _read(json.loads(_run_dot(source)), spots, links)
    except (KeyError, ValueError, IndexError) as exc:
        raise LayoutUnavailable(f"dot 的输出无法读取 / dot's output is unreadable ({exc!r})"
                                ) from None


def _read(answer: dict, spots: list[Spot], links: list[Link]) -> Layout:
    _, _, width, height = (float(v) for v in answer["bb"].split(","))

    def flip(x: str | float, y: str | float) -> tuple[float, float]:
        return round(float(x), 2), round(height - float(y), 2)

    keys = {f"n{i}": s.key for i, s in enumerate(spots)}
    placed_objects = [o for o in answer["objects"] if "pos" in o]
    boxes = {keys[o["name"]]: flip(*o["pos"].split(",")) for o in placed_objects
             if o["name"] in keys}
    rows = {int(o["name"][1:]): flip(*o["pos"].split(","))[1] for o in placed_objects
            if o["name"].startswith("r")}
    placed: dict[int, PlacedLink] = {}
    for edge in answer.get("edges", []):
        if not edge.get("id", "").startswith("e"):
            continue  # the invisible chain of rows
        curve, tip = _points(edge["pos"], flip)
        index = int(edge["id"][1:])
        placed[index] = PlacedLink(links[index], tuple(curve), tip, flip(*edge["lp"].split(",")))
    if len(boxes) != len(spots) or len(placed) != len(links):
        raise ValueError("a box or an edge is missing")
    return Layout(width, height, boxes, [placed[i] for i in range(len(links))], rows)
