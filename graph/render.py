"""Render rows for people (aligned tables, CJK-aware) and for programs (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence

__all__ = ["table", "to_csv", "to_json", "width"]


def width(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns.

    >>> width("县工信局"), width("abc"), width("5G基站")
    (8, 3, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out += ch
        used += w
    return out + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, max_width: int = 40) -> str:
    """An aligned plain-text table."""
    cells = [[_fit("" if v is None else str(v), max_width) for v in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule] + [line(r) for r in cells])


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
