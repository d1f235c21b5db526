"""The whole build: parse every vendored source, build, reason. Times each stage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rdflib import Dataset

from .build import build_dataset
from .model import Plan
from .parse import parse_plan
from .paths import sources_dir
from .reason import infer
from .registry import Registry, load_registry

__all__ = ["BuildResult", "build_all", "parse_sources"]


@dataclass
class BuildResult:
    dataset: Dataset
    plans: list[Plan]
    timings: dict[str, float] = field(default_factory=dict)


def parse_sources(registry: Registry) -> list[Plan]:
    """Parse every source the manifest lists."""
    folder = sources_dir()
    return [parse_plan(folder.joinpath(entry.file).read_text(encoding="utf-8"),
                       source_file=entry.file, registry=registry)
            for entry in registry.sources]


def build_all(*, registry: Registry | None = None) -> BuildResult:
    """Parse, build and reason; ``timings`` gives seconds per stage."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    registry = registry or load_registry()
    lap("registries")
    plans = parse_sources(registry)
    lap("parse")
    dataset = build_dataset(plans, registry=registry)
    lap("build")
    infer(dataset)
    lap("reason")
    return BuildResult(dataset, plans, timings)
