"""Store backends, chosen by a ``--store`` value (or ``PLANKG_STORE`` for the service):

- ``memory``: rdflib, for tests and small work;
- ``oxigraph`` or ``oxigraph:PATH``, with ``;cache=auto|memory|disk``: embedded and persistent
  (pyoxigraph); without a path, the data folder (:func:`data_dir`). A server reads a copy in
  memory (``cache=memory``), or the files on disk (``cache=disk``); ``auto``, the default, copies
  stores of up to :data:`~graph.backends.oxigraph.HOT_MAX_TRIPLES` triples.
  ``oxigraph:memory`` keeps the store in memory only;
- ``sparql:QUERY_URL[;update=URL][;gsp=URL][;user=U][;password=P][;timeout=S]``: any SPARQL 1.1
  server.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import StoreError
from .base import UNION_GRAPH, Backend, Selection, ours

__all__ = [
    "DEFAULT_STORE",
    "UNION_GRAPH",
    "Backend",
    "Selection",
    "data_dir",
    "open_store",
    "ours",
]

DEFAULT_STORE = "oxigraph"


def data_dir() -> Path:
    """Where the service keeps its store: ``PLANKG_DATA``, else ``$XDG_DATA_HOME/plankg``, else
    ``~/.local/share/plankg``; never inside the repository."""
    if os.environ.get("PLANKG_DATA"):
        return Path(os.environ["PLANKG_DATA"])
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(home) / "plankg"


def open_store(spec: str | None = None) -> Backend:
    """The backend a ``--store`` value names (default: ``PLANKG_STORE``, else ``oxigraph``)."""
    spec = spec or os.environ.get("PLANKG_STORE") or DEFAULT_STORE
    kind, _, rest = spec.partition(":")
    if kind.startswith("oxigraph;"):  # options without a path: oxigraph;cache=disk
        kind, rest = "oxigraph", kind.removeprefix("oxigraph") + (":" + rest if rest else "")
    if kind == "memory" and not rest:
        from .memory import MemoryBackend
        return MemoryBackend()
    if kind == "oxigraph":
        from .oxigraph import OxigraphBackend, parse_options
        rest, cache = parse_options(rest)
        if rest == "memory":
            return OxigraphBackend()
        return OxigraphBackend(Path(rest) if rest else data_dir() / "oxigraph", cache=cache)
    if kind == "sparql" and rest:
        from .remote import RemoteBackend, parse_spec
        return RemoteBackend(parse_spec(rest))
    raise StoreError(f"未知的存储：{spec!r}（可用：memory、oxigraph[:PATH]、sparql:URL）",
                     f"unknown store {spec!r}: use memory, oxigraph[:PATH] or sparql:URL")
