"""The lineage of a task drawn as SVG on the server: one row per level, the task at the top and
national documents at the bottom, an edge per relation between two boxes, its style saying how
we know it (solid stated, dashed curated, dotted inferred; a legend under the drawing says so).

Each box says what it is on a small first line (任务 Task 1, 规划 Plan, 政策文件 Policy, 措施
Measure 3…), then the document number and the title. Graphviz ``dot`` places boxes, edges and
labels (:mod:`plankg.service.lineage_layout`); this module sizes the texts, which dot never sees, and
draws. Text extents are estimated as the tests estimate them: a CJK character one em, any other
0.6 em. Without ``dot`` the page gets a note in place of the drawing (the table of steps under
it holds the same facts) rather than a second, worse layout.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from plankg.graph.lineage_view import EVIDENCE, LEVELS, RELATIONS, Edge, edges_of, kinds_of

from .lineage_layout import Layout, LayoutUnavailable, Link, PlacedLink, Spot, lay_out

__all__ = ["lineage_svg", "text_width"]

log = logging.getLogger(__name__)

BOX_W, BOX_H, PAD = 200, 64, 8
KIND, NUMBER, TITLE, LABEL, HEADING = 11, 13, 12, 10, 12  # font sizes (px)
LINE = 13  # the height of a line of an edge label
LABEL_ROOM = 120  # a longer line of a label is split: Chinese above, English below
LEFT, TOP, RIGHT, LEGEND = 62, 10, 10, 40  # margins: row headings left, legend below
DASH = {"stated": "", "curated": "6 4", "inferred": "2 3"}
ARROW = ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
         'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>')
FONT = "Noto Sans CJK SC, Noto Sans CJK JP, Noto Sans CJK, sans-serif"


def text_width(text: str, size: float) -> float:
    """The estimated width of ``text`` at font ``size``: CJK one em, anything else 0.6 em.

    >>> text_width("规划 Plan", 10)
    50.0
    """
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def _fit(text: str, size: float, room: float) -> str:
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


@dataclass
class _Box:
    key: str
    level: str
    kind: str
    number: str
    title: str
    href: str | None
    root: bool = False


def _label(edge: Edge) -> list[str]:
    """An edge's label, a line per relation (Chinese, then English below where that is long)."""
    lines = []
    for relation in edge.relations:
        zh = RELATIONS.get(relation, "")
        one = f"{zh} {relation}".strip()
        lines += [one] if text_width(one, LABEL) <= LABEL_ROOM else [zh, relation]
    if edge.score is not None:
        lines.append(f"{edge.score:.3f}")
    return lines


def _href(iri: str) -> str:
    return iri.split("https://w3id.org/plankg", 1)[-1] if "w3id.org/plankg" in iri else iri


def _boxes(record: dict, steps: list[dict]) -> dict[str, _Box]:
    root = record["iri"]
    boxes = {root: _Box(root, "task", f"任务 Task {record['number']}", record.get("plan") or "",
                        record.get("title") or "",
                        f"/tasks/{record['number']}?plan={quote(record.get('plan') or '')}",
                        root=True)}
    kinds = kinds_of(steps)
    for step in steps:
        doc = step["document"]
        if doc not in boxes:
            boxes[doc] = _Box(doc, step.get("level") or "", kinds[doc],
                              step.get("doc_number") or doc.rsplit("/", 1)[-1],
                              step.get("title") or "", _href(doc))
    for step in steps:  # a step from a document no step leads to: drawn, level unknown
        if step["from"] not in boxes:
            boxes[step["from"]] = _Box(step["from"], "", "文件 Document",
                                       step.get("from_number") or "", "", _href(step["from"]))
    return boxes


def _places(boxes: dict[str, _Box], edges: list[Edge]) -> dict[str, tuple[int, int]]:
    """The row of each box: its level, and below the first row of a level one more row for each
    step between documents of that level (A cites B, both provincial: B a row below A), so
    that no labelled edge runs along a row, where dot places labels badly. A step that closes
    a cycle (B also cites A) does not count."""
    inside: dict[str, list[str]] = {key: [] for key in boxes}
    for e in edges:
        if e.tail != e.head and boxes[e.tail].level == boxes[e.head].level:
            inside[e.tail].append(e.head)
    finished: list[str] = []  # depth-first, each box after every box it leads to
    seen: set[str] = set()

    def visit(key: str) -> None:
        seen.add(key)
        for head in inside[key]:
            if head not in seen:
                visit(head)
        finished.append(key)

    for key in boxes:
        if key not in seen:
            visit(key)
    rank = {key: i for i, key in enumerate(reversed(finished))}  # a topological order
    depth = dict.fromkeys(boxes, 0)
    for key in sorted(boxes, key=rank.get):
        for head in inside[key]:
            if rank[head] > rank[key]:  # not a step back along a cycle
                depth[head] = max(depth[head], depth[key] + 1)
    levels = list(LEVELS)
    return {key: (levels.index(box.level), depth[key]) for key, box in boxes.items()}


def _label_size(edge: Edge) -> tuple[float, float]:
    lines = _label(edge)
    return max(text_width(line, LABEL) for line in lines) + 10, LINE * len(lines) + 4


def lineage_svg(record: dict, steps: list[dict]) -> str:
    """An SVG drawing of ``steps`` (rows of the task-lineage query) for the task ``record``; a
    note instead (``<p class="lineage-note">``) where Graphviz's ``dot`` cannot lay it out."""
    boxes, edges = _boxes(record, steps), edges_of(steps)
    places = _places(boxes, edges)
    order = sorted(set(places.values()))
    spots = [Spot(b.key, order.index(places[b.key]), BOX_W, BOX_H) for b in boxes.values()]
    links = [Link(e.tail, e.head, _label_size(e)) for e in edges]
    try:
        layout = lay_out(spots, links)
    except LayoutUnavailable as exc:
        _warn_once(str(exc))
        return ('<p class="lineage-note" role="note">未能绘制溯源图（' + escape(str(exc))
                + '）；下表列出全部溯源步骤。<span class="en">The lineage is not drawn; '
                'the table below lists every step.</span></p>')
    return _draw(layout, boxes, edges, order)


@cache
def _warn_once(reason: str) -> None:
    log.warning("lineage not drawn: %s", reason)


def _draw(layout: Layout, boxes: dict[str, _Box], edges: list[Edge],
          order: list[tuple[int, int]]) -> str:
    width = LEFT + layout.width + RIGHT
    height = TOP + layout.height + LEGEND
    width = max(width, LEFT + _legend_width())
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
              f'width="{width:.0f}" height="{height:.0f}" role="img" class="lineage" '
              f'style="max-width: 100%; min-width: {0.8 * width:.0f}px; height: auto" '
              f'aria-label="任务溯源图 / lineage of the task" font-family="{FONT}">'), ARROW]
    for row, (level, depth) in enumerate(order):
        if depth:
            continue  # a level is named on its first row
        zh, en = LEVELS[list(LEVELS)[level]]
        y = TOP + layout.rows[row]
        parts.append(f'<text x="4" y="{y - 1:.1f}" font-size="{HEADING}" fill="#444">{zh}</text>'
                     f'<text x="4" y="{y + 16:.1f}" font-size="{LABEL}" fill="#777">{en}</text>')
    for placed, edge in zip(layout.links, edges):
        parts.append(_edge(placed, edge))
    for box in boxes.values():
        x, y = layout.boxes[box.key]
        parts.append(_box(box, LEFT + x - BOX_W / 2, TOP + y - BOX_H / 2))
    parts.append(_legend(TOP + layout.height + 26))
    parts.append("</svg>")
    return "".join(parts)


def _edge(placed: PlacedLink, edge: Edge) -> str:
    zh, en, dash = EVIDENCE.get(edge.evidence, ""), edge.evidence, DASH.get(edge.evidence, "")
    start, *rest = [(LEFT + x, TOP + y) for x, y in placed.curve]
    d = f"M{start[0]:.1f},{start[1]:.1f}"
    for i in range(0, len(rest) - 2, 3):
        d += " C" + " ".join(f"{x:.1f},{y:.1f}" for x, y in rest[i:i + 3])
    if placed.tip:
        d += f" L{LEFT + placed.tip[0]:.1f},{TOP + placed.tip[1]:.1f}"
    tooltip = f"{', '.join(edge.relations)} ({zh} {en}) {'; '.join(edge.sources)}".strip()
    out = [f'<g class="edge"><path d="{d}" fill="none" stroke="#555" stroke-width="1.4" '
           f'marker-end="url(#arrow)"' + (f' stroke-dasharray="{dash}"' if dash else "")
           + f'><title>{escape(tooltip)}</title></path>']
    lines = _label(edge)
    cx, cy = LEFT + placed.label[0], TOP + placed.label[1]
    top = cy - (LINE * len(lines) + 4) / 2
    for i, line in enumerate(lines):
        out.append(f'<text x="{cx:.1f}" y="{top + 2 + LABEL + i * LINE:.1f}" font-size="{LABEL}" '
                   f'text-anchor="middle" fill="#333">{escape(line)}</text>')
    return "".join(out) + "</g>"


def _box(box: _Box, x: float, y: float) -> str:
    room = BOX_W - 2 * PAD
    fill, stroke, weight = ("#fff4d6", "#c80", 2) if box.root else ("#f4f7fb", "#36c", 1)
    tooltip = " ".join(filter(None, [box.kind, box.number, box.title]))
    inner = (f'<title>{escape(tooltip)}</title>'
             f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
             f'fill="{fill}" stroke="{stroke}" stroke-width="{weight}"/>'
             f'<text x="{x + PAD:.1f}" y="{y + 17:.1f}" font-size="{KIND}" fill="#666">'
             f'{escape(_fit(box.kind, KIND, room))}</text>'
             f'<text x="{x + PAD:.1f}" y="{y + 36:.1f}" font-size="{NUMBER}">'
             f'{escape(_fit(box.number, NUMBER, room))}</text>'
             f'<text x="{x + PAD:.1f}" y="{y + 55:.1f}" font-size="{TITLE}" fill="#444">'
             f'{escape(_fit(box.title, TITLE, room))}</text>')
    linked = f'<a href={quoteattr(box.href)}>{inner}</a>' if box.href else inner
    return f'<g class="box" data-kind={quoteattr(box.kind)}>{linked}</g>'


def _legend_width() -> float:
    return sum(40 + text_width(f"{zh} {en}", LABEL) + 16 for en, zh in EVIDENCE.items())


def _legend(y: float) -> str:
    parts, x = ['<g class="legend">'], LEFT
    for en, zh in EVIDENCE.items():
        dash = DASH[en]
        parts.append(f'<line x1="{x}" y1="{y - 4}" x2="{x + 32}" y2="{y - 4}" stroke="#555" '
                     f'stroke-width="1.4"' + (f' stroke-dasharray="{dash}"' if dash else "")
                     + "/>")
        parts.append(f'<text x="{x + 40}" y="{y}" font-size="{LABEL}" fill="#333">'
                     f'{zh} {en}</text>')
        x += 40 + text_width(f"{zh} {en}", LABEL) + 16
    return "".join(parts) + "</g>"
