"""``plankg status``: what a store holds, and where each graph came from.

The documents with tasks or measures (number, title, level, year, items), every named graph
with its triple count and its entry in the store's manifest (the command that wrote it, the
file, its hash, when), and the release it holds.
"""

from __future__ import annotations

from .backends import Backend
from .load import read_manifest, store_ontology_version
from .store import store_query

__all__ = ["store_status"]


def _plain(value) -> str | None:
    return None if value is None else str(value)


def store_status(backend: Backend) -> dict:
    """The store's documents, graphs and release, as plain records."""
    names, rows = backend.select(store_query("documents"))
    documents = [dict(zip(names, map(_plain, row), strict=True)) for row in rows]
    for doc in documents:
        doc["items"] = int(doc["items"])
        doc["level"] = doc["level"].rsplit("/", 1)[-1] if doc["level"] else None
    manifest = read_manifest(backend)
    _, rows = backend.select(store_query("graph-sizes"))
    graphs = [{"graph": str(g), "triples": int(n), **manifest.get(str(g), {})} for g, n in rows]
    release = sorted({(e["source"], e["hash"]) for e in manifest.values()
                      if e["writer"] == "release"})
    return {"documents": documents, "graphs": graphs,
            "release": [{"file": f, "hash": h} for f, h in release],
            "ontology_version": store_ontology_version(backend),
            "triples": backend.count()}
