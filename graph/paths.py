"""Where plankg's data lives: the one module that knows the folders.

Everything is found through :mod:`importlib.resources`, so the installed wheel
works from any directory, not only inside a checkout.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = [
    "SEED_SOURCE",
    "ontology_dir",
    "queries_dir",
    "registries_dir",
    "release_dir",
    "shapes_dir",
    "sources_dir",
]

SEED_SOURCE = "qinshui-2022-service-plan.md"


def ontology_dir() -> Traversable:
    return files("plankg.ontology")


def shapes_dir() -> Traversable:
    return files("plankg.shapes")


def queries_dir() -> Traversable:
    return files("plankg.queries")


def sources_dir() -> Traversable:
    return files("plankg.graph.sources")


def registries_dir() -> Traversable:
    return files("plankg.graph.registries")


def release_dir() -> Traversable:
    return files("plankg.graph.release")
