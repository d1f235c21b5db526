"""Store backends, chosen by a ``--store`` value (or ``PLANKG_STORE`` for the service):

- ``memory``: rdflib, for tests and small work;
- ``oxigraph`` or ``oxigraph:PATH``, with ``;cache=auto|memory|disk``: embedded and persistent
  (pyoxigraph); without a path, the data folder (:func:`data_dir`). A server reads a copy in
  memory (``cache=memory``), or the files on disk (``cache=disk``); ``auto``, the default, copies
  stores of up to :data:`~plankg.graph.backends.oxigraph.HOT_MAX_TRIPLES` triples.
  ``oxigraph:memory`` keeps the store in memory only;
- ``sparql:QUERY_URL[;update=URL][;gsp=URL][;user=U][;password=P][;timeout=S]``: any SPARQL 1.1
  server.

:func:`open_store` opens a store to write or serve (an Oxigraph folder not there yet is made);
:func:`open_existing_store`, for the commands that only read (``tasks``, ``sparql``, ``query``,
``lineage`` with ``--store``), opens it the same way but refuses a folder that holds no store.
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
    "open_existing_store",
    "open_store",
    "ours",
    "store_spec",
]

DEFAULT_STORE = "oxigraph"


def data_dir() -> Path:
    """Where the service keeps its store: ``PLANKG_DATA``, else ``$XDG_DATA_HOME/plankg``, else
    ``~/.local/share/plankg``; never inside the repository."""
    if os.environ.get("PLANKG_DATA"):
        return Path(os.environ["PLANKG_DATA"])
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(home) / "plankg"


def store_spec(spec: str | None = None) -> str | None:
    """The store a ``--store`` value names, else ``PLANKG_STORE``; None when neither does."""
    return spec or os.environ.get("PLANKG_STORE") or None


def _split(spec: str) -> tuple[str, str]:
    """``kind:rest`` → (kind, rest); ``oxigraph;cache=disk`` is options without a path."""
    kind, _, rest = spec.partition(":")
    if kind.startswith("oxigraph;"):  # options without a path: oxigraph;cache=disk
        kind, rest = "oxigraph", kind.removeprefix("oxigraph") + (":" + rest if rest else "")
    return kind, rest


def open_store(spec: str | None = None) -> Backend:
    """The backend a ``--store`` value names (default: ``PLANKG_STORE``, else ``oxigraph``).
    A persistent Oxigraph folder that does not exist yet is made (an empty store to load into).
    """
    spec = store_spec(spec) or DEFAULT_STORE
    kind, rest = _split(spec)
    if kind == "memory" and not rest:
        from .memory import MemoryBackend
        return MemoryBackend()
    if kind == "oxigraph":
        from .oxigraph import OxigraphBackend, parse_options
        rest, cache = parse_options(rest)
        if rest == "memory":
            return OxigraphBackend()
        return OxigraphBackend(_oxigraph_folder(rest), cache=cache)
    if kind == "sparql" and rest:
        from .remote import RemoteBackend, parse_spec
        return RemoteBackend(parse_spec(rest))
    raise StoreError(f"未知的存储：{spec!r}（可用：memory、oxigraph[:PATH]、sparql:URL）",
                     f"unknown store {spec!r}: use memory, oxigraph[:PATH] or sparql:URL")


def open_existing_store(spec: str | None = None) -> Backend:
    """The backend a ``--store`` value names, for commands that only read it: opened by
    :func:`open_store` (a persistent Oxigraph store read-only, on the generation that is
    current, as a server opens it), but never made. A folder that holds no store, and a store
    in memory (empty in a new process), are refused with a clear error."""
    spec = store_spec(spec) or DEFAULT_STORE
    kind, rest = _split(spec)
    if kind == "oxigraph":
        from .oxigraph import parse_options
        path, _ = parse_options(rest)
        if path != "memory":
            _check_store_folder(_oxigraph_folder(path))
            return open_store(spec)
    if kind == "memory" or kind == "oxigraph":
        raise StoreError(f"内存存储只存在于一个进程之内，此处无可读取：{spec!r}（请给出 "
                         "oxigraph:目录 或 sparql:URL）",
                         f"a store in memory lives only inside one process, so there is "
                         f"nothing to read in {spec!r}: name oxigraph:DIR or sparql:URL")
    return open_store(spec)


def _oxigraph_folder(path: str) -> Path:
    return Path(path) if path else data_dir() / "oxigraph"


def _check_store_folder(path: Path) -> None:
    """Refuse a folder that is not a persistent store (nothing is made in it)."""
    from .generations import Generations
    if not path.exists():
        raise StoreError(f"Oxigraph 存储不存在：{path}（请先用 plankg load 载入）",
                         f"there is no Oxigraph store at {path}: the folder does not exist "
                         "(load one first with plankg load)")
    if not path.is_dir() or Generations(path).current() is None:
        raise StoreError(f"{path} 不是 plankg 的 Oxigraph 存储（请先用 plankg load 载入）",
                         f"{path} holds no plankg Oxigraph store (load one first with "
                         "plankg load)")
