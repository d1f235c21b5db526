"""Putting graphs into a store without losing any: ``plankg load``, ``plankg add``, and the
service's first start.

Every graph has one owner (a document, a curated source, an inferred graph of either, an
alignment of two documents: :mod:`plankg.graph.iris`), so a graph loaded replaces only the graph of
its own name, which is the same owner's older version. Three rules keep the rest:

- a file holding one of the names that every batch of an older version shared (``inferred``,
  ``curated``, ``alignment``) is refused: loading it would replace another batch's graph;
- an ontology older than the store's is refused (the ontology graph is versioned);
- the release adds what the store lacks and replaces only graphs the release itself wrote
  (:func:`ensure_release`): a graph loaded by a user is never overwritten by a server start.

The store's manifest (``graph/manifest``) says, for every graph, which command wrote it, from
which file (with its SHA-256) and when; ``plankg status`` reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import iris
from ._ox import to_ox
from .backends import Backend
from .errors import StoreError
from .paths import release_dir
from .publish import RELEASE_TRIG

__all__ = ["ensure_release", "load_files", "load_graphs", "read_manifest", "release_file"]

FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
ONTOLOGY = str(iris.named_graph("ontology"))
_DEF = ox.NamedNode(str(iris.ONTOLOGY))
_VERSION_INFO = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")


def sha256(data: bytes | Path) -> str:
    digest = hashlib.sha256()
    if isinstance(data, Path):
        with data.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    else:
        digest.update(data)
    return "sha256:" + digest.hexdigest()


def release_file() -> Path:
    """The built release (TriG) as a file: the package is installed as files, never zipped."""
    path = Path(str(release_dir().joinpath(RELEASE_TRIG)))
    if not path.is_file():
        raise StoreError("找不到已构建的图（请先运行 plankg build）",
                         f"the built graph is missing: {path}; run `plankg build` first")
    return path


# -- the manifest ---------------------------------------------------------------------------

def read_manifest(backend: Backend) -> dict[str, dict[str, str]]:
    """Graph name → {writer, source, hash, time}, as the manifest records them."""
    from .store import store_query
    names, rows = backend.select(store_query("manifest"))
    return {str(row[0]): {k: str(v) for k, v in zip(names[1:], row[1:], strict=True)}
            for row in rows}


def _record(backend: Backend, graphs: Iterable[str], *, writer: str, source: str,
            content: str, dropped: Iterable[str] = ()) -> None:
    """Say in the manifest that ``writer`` wrote ``graphs`` from ``source`` now."""
    manifest = read_manifest(backend)
    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    for name in graphs:
        manifest[name] = {"writer": writer, "source": source, "hash": content, "time": when}
    for name in dropped:
        manifest.pop(name, None)
    g = ox.NamedNode(str(iris.MANIFEST_GRAPH))
    quads = []
    for name, entry in sorted(manifest.items()):
        node = ox.NamedNode(name)
        quads += [ox.Quad(node, ox.NamedNode(str(iris.PK.writtenBy)), ox.Literal(entry["writer"]),
                          g),
                  ox.Quad(node, ox.NamedNode(str(iris.DCTERMS.source)),
                          ox.Literal(entry["source"]), g),
                  ox.Quad(node, ox.NamedNode(str(iris.PK.contentHash)),
                          ox.Literal(entry["hash"]), g),
                  ox.Quad(node, ox.NamedNode(str(iris.DCTERMS.modified)),
                          ox.Literal(entry["time"], datatype=ox.NamedNode(str(iris.XSD.dateTime))),
                          g)]
    backend.load_quads(quads, graphs=[str(iris.MANIFEST_GRAPH)])


# -- what may be loaded ---------------------------------------------------------------------

def _version(text: str | None) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in (text or "0").split("."))
    except ValueError:
        return (0,)


def store_ontology_version(backend: Backend) -> str | None:
    from .store import store_query
    _, rows = backend.select(store_query("ontology-version"))
    return max((str(row[0]) for row in rows), key=_version, default=None)


def _refuse(names: Iterable[str], incoming_version: str | None, backend: Backend,
            *, where: str) -> None:
    shared = sorted(set(names) & iris.SHARED_GRAPHS)
    if shared:
        raise StoreError(
            f"{where} 含有旧版本各批数据共用的命名图 {', '.join(shared)}：载入会替换另一批的图。"
            "请用本版本重新生成（plankg build、plankg synth）",
            f"{where} holds {', '.join(shared)}, a graph every batch of an older version "
            "shared: loading it would replace another batch's graph. Build or synthesize it "
            "again with this version (plankg build, plankg synth)")
    if ONTOLOGY in set(names):
        held = store_ontology_version(backend)
        if held and _version(incoming_version) < _version(held):
            raise StoreError(
                f"{where} 的本体版本 {incoming_version or '（无）'} 比存储中的 {held} 旧，拒绝载入",
                f"{where} holds ontology version {incoming_version or '(none)'}, older than "
                f"the store's {held}: refused")


def _file_facts(path: Path, fmt: ox.RdfFormat) -> tuple[set[str], str | None]:
    """The graphs a file holds and the version of the ontology it carries, if any."""
    names, version = set(), None
    try:
        for q in ox.parse(path=str(path), format=fmt):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                names.add(q.graph_name.value)
            if q.subject == _DEF and q.predicate == _VERSION_INFO:
                version = q.object.value
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"无法读取要载入的文件 {path}", f"cannot read {path}: {exc}") from None
    return names, version


# -- loading --------------------------------------------------------------------------------

def load_files(backend: Backend, files: Sequence[Path], *, writer: str = "load") -> list[str]:
    """Load TriG / N-Quads files into ``backend``: each graph replaces the graph of its name
    (the same owner's), nothing else changes; the graphs they held."""
    loaded: list[str] = []
    for path in files:
        path = Path(path)
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise StoreError(f"只能载入 TriG（.trig）或 N-Quads（.nq）文件：{path}",
                             f"only TriG (.trig) or N-Quads (.nq) files can be loaded: {path}")
        if not path.is_file():
            raise StoreError(f"找不到文件：{path}", f"no such file: {path}")
        names, version = _file_facts(path, fmt)
        _refuse(names, version, backend, where=path.name)
        names = backend.load_file(path, fmt=fmt)
        _record(backend, names, writer=writer, source=path.name, content=sha256(path))
        loaded.extend(names)
    return loaded


def load_graphs(backend: Backend, graphs: Mapping[str, Graph], *, writer: str, source: str,
                content: str) -> list[str]:
    """Load rdflib graphs by name (each replaces the graph of that name, nothing else)."""
    version = next((str(o) for s, p, o in graphs.get(ONTOLOGY, Graph())
                    if str(s) == _DEF.value and str(p) == _VERSION_INFO.value), None)
    _refuse(graphs, version, backend, where=source)
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(name))
             for name, g in graphs.items() for s, p, o in g]
    backend.load_quads(quads, graphs=list(graphs))
    _record(backend, graphs, writer=writer, source=source, content=content)
    return sorted(graphs)


def _release_plan(backend: Backend, names: set[str], version: str | None,
                  content: str) -> tuple[set[str], set[str], list[str]]:
    """Which graphs of the release to write, which graphs an older release wrote that this one
    no longer has (to drop), and which it leaves alone (written by someone else)."""
    manifest = read_manifest(backend)
    present = backend.graph_names()
    mine = {g for g, e in manifest.items() if e["writer"] == "release"}
    write, kept = set(), []
    for name in sorted(names):
        if name not in present:
            write.add(name)
        elif manifest.get(name, {}).get("hash") == content:
            continue  # this very release, whoever loaded it
        elif name == ONTOLOGY:
            held = store_ontology_version(backend)
            if _version(version) > _version(held):
                write.add(name)
            elif _version(version) < _version(held):
                kept.append(f"{name} (version {held})")
        elif name in mine and manifest[name]["hash"] != content:
            write.add(name)
        elif name not in mine:
            kept.append(name)
    stale = {g for g in mine - names if g in present}
    return write, stale, kept


def ensure_release(backend: Backend, *, release: Path | None = None) -> str:
    """Make sure ``backend`` holds the release (the built graph, or the TriG at ``release``):
    add the graphs it lacks, replace the graphs an older release wrote, drop those an older
    release wrote and this one has not, and never touch a graph someone else wrote (nor a newer
    ontology). Says what it did."""
    path = release or release_file()
    if not path.is_file():
        raise StoreError(f"找不到文件：{path}", f"no such file: {path}")
    started = time.perf_counter()
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
    names = {q.graph_name.value for q in quads}
    version = next((q.object.value for q in quads
                    if q.subject == _DEF and q.predicate == _VERSION_INFO), None)
    _refuse(names, version, backend, where=path.name)
    content = sha256(path)
    write, stale, kept = _release_plan(backend, names, version, content)
    if not write and not stale:
        done = "reused"
    else:
        backend.load_quads([q for q in quads if q.graph_name.value in write],
                           graphs=write | stale)
        _record(backend, write, writer="release", source=path.name, content=content,
                dropped=stale)
        done = (f"loaded {len(write)} graphs of the release in "
                f"{time.perf_counter() - started:.1f} s")
    if kept:
        done += f"; kept {len(kept)} graphs written by others: {', '.join(kept[:3])}" + (
            " …" if len(kept) > 3 else "")
    return done
