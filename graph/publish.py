"""Release files: the built dataset as TriG (named graphs) and Turtle (their union).

The release is committed, so people who never run Python can download the graph, and the
installed command can answer without rebuilding. Serialisation is canonical (sorted N-Quads are
compared in the staleness test), so two builds give the same files.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from . import iris
from .errors import StoreError
from .paths import release_dir

__all__ = ["write_release", "load_release", "canonical_nquads", "RELEASE_TRIG", "RELEASE_TTL"]

RELEASE_TRIG = "plankg.trig"
RELEASE_TTL = "plankg.ttl"


def canonical_nquads(ds: Dataset) -> list[str]:
    """Sorted N-Quads lines of every named graph: the identity of a build."""
    lines = []
    for g in ds.graphs():
        if len(g):
            text = g.serialize(format="nt")
            lines.extend(f"{line[:-2]} <{g.identifier}> ." for line in text.splitlines() if line)
    return sorted(lines)


def write_release(ds: Dataset, folder: Path) -> list[Path]:
    """Write ``plankg.trig`` and ``plankg.ttl`` into ``folder``; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    union = Graph()
    for prefix, ns in iris.PREFIXES.items():
        union.bind(prefix, ns, override=True)
    for g in ds.graphs():
        union += g
    trig, ttl = folder / RELEASE_TRIG, folder / RELEASE_TTL
    trig.write_text(ds.serialize(format="trig"), encoding="utf-8")
    ttl.write_text(union.serialize(format="turtle"), encoding="utf-8")
    return [trig, ttl]


def load_release(path: Path | None = None) -> Dataset:
    """The committed release (or the TriG file at ``path``) as a dataset whose default graph is
    the union of its named graphs."""
    ds = Dataset(default_union=True)
    for prefix, ns in iris.PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    try:
        data = path.read_text(encoding="utf-8") if path else (
            release_dir().joinpath(RELEASE_TRIG).read_text(encoding="utf-8"))
    except OSError as exc:
        raise StoreError("无法读取已构建的图（请先运行 plankg build）",
                         f"cannot read the built graph; run `plankg build` first ({exc})") from None
    ds.parse(data=data, format="trig")
    return ds
