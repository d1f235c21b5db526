"""Shared fixtures. Expensive ones are session-scoped and never mutated by tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.parse import parse_file
from graph.pipeline import build_all

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "graph" / "sources" / "qinshui-2022-service-plan.md"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_plan():
    return parse_file(SEED)


@pytest.fixture(scope="session")
def built():
    """The full build (parse → build → reason) of the vendored sources."""
    return build_all()


@pytest.fixture(scope="session")
def expected_tasks() -> list[dict[str, str]]:
    """The hand-made table of the seed plan's 66 tasks (tests/fixtures)."""
    with open(FIXTURES / "qinshui-2022-expected.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))
