"""Pushing built graphs into a store: ``plankg load``, and the service's first start.

Each graph in a file replaces the graph of the same name, so loading twice gives the same store.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from .backends import Backend
from .errors import StoreError
from .paths import release_dir
from .publish import RELEASE_TRIG

__all__ = ["ensure_release", "load_files", "release_file"]

FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


def load_files(backend: Backend, files: Sequence[Path]) -> list[str]:
    """Load TriG / N-Quads files into ``backend``; the graphs they held."""
    names: list[str] = []
    for path in files:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise StoreError(f"只能载入 TriG（.trig）或 N-Quads（.nq）文件：{path}",
                             f"only TriG (.trig) or N-Quads (.nq) files can be loaded: {path}")
        if not path.is_file():
            raise StoreError(f"找不到文件：{path}", f"no such file: {path}")
        names.extend(backend.load_file(path, fmt=fmt))
    return names


def release_file() -> Path:
    """The built release (TriG) as a file: the package is installed as files, never zipped."""
    path = Path(str(release_dir().joinpath(RELEASE_TRIG)))
    if not path.is_file():
        raise StoreError("找不到已构建的图（请先运行 plankg build）",
                         f"the built graph is missing: {path}; run `plankg build` first")
    return path


def ensure_release(backend: Backend, *, release: Path | None = None) -> str:
    """Make sure ``backend`` holds the release (the built graph, or the TriG at ``release``):
    load it when the store is empty, or, for a persistent Oxigraph store, when the release file
    changed since it was loaded. Other graphs (ingested plans, alignments) are kept. Says what
    it did."""
    path = release or release_file()
    if not path.is_file():
        raise StoreError(f"找不到文件：{path}", f"no such file: {path}")
    fresh = getattr(backend, "loaded_from", None)
    if backend.graph_names() and (fresh is None or fresh(path)):
        return "reused"
    started = time.perf_counter()
    names = backend.load_file(path, fmt=ox.RdfFormat.TRIG)
    return f"loaded {len(names)} graphs in {time.perf_counter() - started:.1f} s"
