"""Release files: the built dataset as TriG (named graphs) and Turtle (their union).

The release is committed, so people who never run Python can download the graph, and the
installed command can answer without rebuilding. The files are written and read with
pyoxigraph, which does both in milliseconds where rdflib takes about a second. Statements are
sorted, so two builds give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from . import iris
from ._ox import from_ox, to_ox
from .errors import StoreError
from .paths import release_dir

__all__ = ["RELEASE_TRIG", "RELEASE_TTL", "canonical_nquads", "load_release", "write_release"]

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


def _quads(ds: Dataset) -> list[ox.Quad]:
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g.identifier)))
             for g in ds.graphs() if len(g) for s, p, o in g]
    return sorted(quads, key=str)


def write_release(ds: Dataset, folder: Path) -> list[Path]:
    """Write ``plankg.trig`` and ``plankg.ttl`` into ``folder``; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    prefixes = {k: str(v) for k, v in iris.PREFIXES.items()}
    quads = _quads(ds)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    trig, ttl = folder / RELEASE_TRIG, folder / RELEASE_TTL
    trig.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))
    ttl.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
    return [trig, ttl]


def load_release(path: Path | None = None) -> Dataset:
    """The committed release (or the TriG file at ``path``) as a dataset whose default graph is
    the union of its named graphs."""
    ds = Dataset(default_union=True)
    for prefix, ns in iris.PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    try:
        data = path.read_bytes() if path else (
            release_dir().joinpath(RELEASE_TRIG).read_bytes())
        quads = list(ox.parse(data, format=ox.RdfFormat.TRIG))
    except (OSError, SyntaxError) as exc:
        raise StoreError("无法读取已构建的图（请先运行 plankg build）",
                         f"cannot read the built graph; run `plankg build` first ({exc})") from None
    graphs: dict[str, object] = {}
    for q in quads:
        name = q.graph_name.value
        if name not in graphs:
            graphs[name] = ds.graph(URIRef(name))
        graphs[name].add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return ds
