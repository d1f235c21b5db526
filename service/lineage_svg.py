"""The lineage of a task drawn as SVG on the server: one column per level, from the task on the
left to national documents on the right; an edge per step, its style saying how we know it
(solid stated, dashed curated, dotted inferred)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

__all__ = ["lineage_svg"]

COLUMNS = ["task", "county", "city", "province", "national", ""]
COLUMN_ZH = {"task": "任务", "county": "县", "city": "市", "province": "省", "national": "国家",
             "": "未知层级"}
WIDTH, HEIGHT, GAP_X, GAP_Y, TOP = 170, 54, 60, 26, 90
DASH = {"stated": "", "curated": "6 4", "inferred": "2 4"}


@dataclass
class _Node:
    key: str
    label: str
    sub: str
    column: int
    row: int = 0
    href: str | None = None

    @property
    def x(self) -> int:
        return 10 + self.column * (WIDTH + GAP_X)

    @property
    def y(self) -> int:
        return TOP + self.row * (HEIGHT + GAP_Y)


def _short(text: str, limit: int = 13) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _href(iri: str) -> str:
    return iri.split("https://w3id.org/plankg", 1)[-1] if "w3id.org/plankg" in iri else iri


def lineage_svg(record: dict, steps: list[dict]) -> str:
    """An SVG drawing of ``steps`` (rows of the task-lineage query) for the task ``record``."""
    nodes: dict[str, _Node] = {record["iri"]: _Node(
        record["iri"], f"任务 {record['number']}", _short(record["title"]), 0,
        href=f"/tasks/{record['number']}?plan={quote(record['plan'] or '')}")}
    for step in steps:
        level = step.get("level") or ""
        if step["document"] not in nodes:
            nodes[step["document"]] = _Node(
                step["document"], step.get("doc_number") or step["document"].rsplit("/", 1)[-1],
                _short(step.get("title") or ""), COLUMNS.index(level) if level in COLUMNS else 5,
                href=_href(step["document"]))
    rows: dict[int, int] = {}
    for node in nodes.values():
        node.row = rows.get(node.column, 0)
        rows[node.column] = node.row + 1
    columns = sorted({n.column for n in nodes.values()})
    width = 20 + (max(columns) + 1) * (WIDTH + GAP_X)
    height = TOP + max(rows.values()) * (HEIGHT + GAP_Y) + 10
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="任务溯源图 / lineage of the task" '
             f'class="lineage">'),
             ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>'
             '</defs>')]
    for column in columns:
        x = 10 + column * (WIDTH + GAP_X)
        parts.append(f'<text x="{x}" y="20" font-size="13" fill="#666">'
                     f'{escape(COLUMN_ZH[COLUMNS[column]])} {escape(COLUMNS[column])}</text>')
    edges: dict[tuple[str, str], dict] = {}
    for step in steps:  # one edge per pair of nodes, naming every relation between them
        edge = edges.setdefault((step["from"], step["document"]), dict(step, relation=""))
        edge["relation"] = ", ".join(filter(None, [edge["relation"], step["relation"]]))
    arcs = 0
    for step in edges.values():
        start = nodes.get(step["from"]) or nodes[record["iri"]]
        end = nodes[step["document"]]
        x1, y1 = start.x + WIDTH, start.y + HEIGHT / 2
        x2, y2 = end.x, end.y + HEIGHT / 2
        if end.column <= start.column:  # same column: come in from above
            x1, y1, x2, y2 = start.x + WIDTH / 2, start.y + HEIGHT, end.x + WIDTH / 2, end.y
        dash = DASH.get(step.get("evidence") or "stated", "")
        style = ('stroke="#555" stroke-width="1.5" fill="none" marker-end="url(#arrow)"'
                 + (f' stroke-dasharray="{dash}"' if dash else ""))
        label_x, label_y = (x1 + x2) / 2, (y1 + y2) / 2 - 4
        if end.column - start.column > 1:  # a long edge arcs over the boxes between
            arcs += 1
            apex = TOP - 8 - 12 * arcs  # the highest point of the arc, above the boxes
            bend = 2 * apex - (y1 + y2) / 2
            parts.append(f'<path d="M{x1},{y1} Q{(x1 + x2) / 2},{bend} {x2},{y2}" {style}>')
            label_y = apex - 3
        else:
            parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" {style}>')
        parts[-1] += (f'<title>{escape(step["relation"])} ({escape(step.get("evidence") or "")})'
                      f'</title></{"path" if parts[-1].startswith("<path") else "line"}>')
        parts.append(f'<text x="{label_x}" y="{label_y}" font-size="10" '
                     f'text-anchor="middle" fill="#333">{escape(step["relation"])}</text>')
    for node in nodes.values():
        box = (f'<rect x="{node.x}" y="{node.y}" width="{WIDTH}" height="{HEIGHT}" rx="6" '
               f'fill="#f4f7fb" stroke="#36c"/>'
               f'<text x="{node.x + 8}" y="{node.y + 21}" font-size="13">{escape(node.label)}</text>'
               f'<text x="{node.x + 8}" y="{node.y + 41}" font-size="11" fill="#555">'
               f'{escape(node.sub)}</text>')
        parts.append(f'<a href="{escape(node.href)}">{box}</a>' if node.href else box)
    parts.append("</svg>")
    return "".join(parts)
