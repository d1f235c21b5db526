"""Overlaps in an SVG drawing, computed from the SVG itself (xml.etree), for the lineage tests.

Boxes are the ``rect`` elements; edges are ``line`` and ``path`` elements, flattened to segments
(absolute M, L, C and Q commands); texts get a box estimated from their characters and font size
(a CJK character one em wide, any other 0.6 em). A text whose middle lies in a box belongs to
that box and must fit inside it; any other text is a label and must touch no box, no other text,
no edge, and stay inside the viewBox. An edge may touch only the boxes at its two ends.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Box", "problems", "text_box"]

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float
    what: str = ""

    def overlaps(self, other: Box, slack: float = 0.5) -> bool:
        return (min(self.right, other.right) - max(self.left, other.left) > slack
                and min(self.bottom, other.bottom) - max(self.top, other.top) > slack)

    def contains(self, other: Box, slack: float = 0.5) -> bool:
        return (other.left >= self.left - slack and other.right <= self.right + slack
                and other.top >= self.top - slack and other.bottom <= self.bottom + slack)

    def shrunk(self, by: float) -> Box:
        return Box(self.left + by, self.top + by, self.right - by, self.bottom - by, self.what)

    def holds(self, x: float, y: float, slack: float = 0.0) -> bool:
        return (self.left - slack <= x <= self.right + slack
                and self.top - slack <= y <= self.bottom + slack)


def text_box(x: float, y: float, text: str, size: float, anchor: str = "start") -> Box:
    """The estimated extent of a text drawn at baseline ``y``.

    >>> text_box(0, 20.0, "任务 Task", 10)
    Box(left=0, top=10.0, right=50.0, bottom=23.0, what='任务 Task')
    """
    width = sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)
    left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
    return Box(left, y - size, left + width, y + 0.3 * size, text)


def _number(value: str | None, default: float = 0.0) -> float:
    return float(value) if value not in (None, "") else default


def _flatten(d: str) -> list[tuple[float, float]]:
    """The points of an absolute path (M, L, C, Q), curves sampled at 16 points each."""
    tokens = re.findall(r"[MLCQZ]|-?[\d.]+(?:e-?\d+)?", d)
    points: list[tuple[float, float]] = []
    command, numbers = "M", []
    for token in tokens + ["M"]:
        if token.isalpha():
            points += _segment(command, numbers, points)
            command, numbers = token, []
        else:
            numbers.append(float(token))
    return points


def _segment(command: str, numbers: list[float], points: list[tuple[float, float]]):
    pairs = list(zip(numbers[::2], numbers[1::2]))
    step = {"C": 3, "Q": 2}.get(command)
    if step is None:
        return pairs
    out, start = [], points[-1] if points else (0.0, 0.0)
    for i in range(0, len(pairs) - step + 1, step):
        control = [start, *pairs[i:i + step]]
        out += [_bezier(control, t / 16) for t in range(1, 17)]
        start = pairs[i + step - 1]
    return out


def _bezier(control: list[tuple[float, float]], t: float) -> tuple[float, float]:
    while len(control) > 1:
        control = [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                   for a, b in pairwise(control)]
    return control[0]


def _crosses(box: Box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether segment ab passes through ``box`` (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box.left), (dx, box.right - a[0]),
                 (-dy, a[1] - box.top), (dy, box.bottom - a[1])):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
        if t0 > t1:
            return False
    return True


@dataclass
class _Drawing:
    view: Box
    boxes: list[Box]
    texts: list[Box]
    edges: list[list[tuple[float, float]]]


def _read(svg: str) -> _Drawing:
    root = ET.fromstring(svg)
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    boxes, texts, edges = [], [], []
    for el in root.iter():
        tag = el.tag.replace(SVG, "")
        if tag == "rect":
            left, top = _number(el.get("x")), _number(el.get("y"))
            boxes.append(Box(left, top, left + _number(el.get("width")),
                             top + _number(el.get("height")), "box"))
        elif tag == "text":
            content = "".join(el.itertext())
            texts.append(text_box(_number(el.get("x")), _number(el.get("y")), content,
                                  _number(el.get("font-size"), 16), el.get("text-anchor", "start")))
        elif tag == "line":
            edges.append([(_number(el.get("x1")), _number(el.get("y1"))),
                          (_number(el.get("x2")), _number(el.get("y2")))])
        elif tag == "path" and not _in_defs(root, el):
            edges.append(_flatten(el.get("d")))
    return _Drawing(Box(x, y, x + w, y + h), boxes, texts, edges)


def _in_defs(root: ET.Element, el: ET.Element) -> bool:
    return any(el in list(d.iter()) for d in root.iter(SVG + "defs"))


def problems(svg: str) -> list[str]:
    """Every overlap, cut-off text and edge through a box in ``svg``, one line each."""
    d = _read(svg)
    found = []
    owner = {id(t): next((b for b in d.boxes if b.holds((t.left + t.right) / 2,
                                                         (t.top + t.bottom) / 2)), None)
             for t in d.texts}
    for t in d.texts:
        box = owner[id(t)]
        if box is not None and not box.contains(t):
            found.append(f"text cut off by its box: {t.what}")
        if not d.view.contains(t):
            found.append(f"text cut off by the drawing: {t.what}")
        if box is None:
            found += [f"label over a box: {t.what}" for b in d.boxes if b.overlaps(t)]
    for i, t in enumerate(d.texts):
        found += [f"text over text: {t.what} / {u.what}" for u in d.texts[i + 1:] if t.overlaps(u)]
    for points in d.edges:
        ends = [b for b in d.boxes if b.holds(*points[0], slack=3) or b.holds(*points[-1], slack=3)]
        segments = list(pairwise(points))
        for t in d.texts:
            if owner[id(t)] is None and any(_crosses(t.shrunk(0.5), a, b) for a, b in segments):
                found.append(f"edge over a label: {t.what}")
        for b in d.boxes:
            if all(b is not e for e in ends) and any(_crosses(b.shrunk(1), p, q)
                                                     for p, q in segments):
                found.append(f"edge through a box at {b.left:.0f},{b.top:.0f}")
    return found
