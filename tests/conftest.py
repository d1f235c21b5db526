"""Shared fixtures. Expensive ones are session-scoped and never mutated by tests."""

from __future__ import annotations

import csv
import socket
import subprocess
import sys
import time
import urllib.request
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("plankg serve did not start: " + process.stderr.read().decode())
    yield base
    process.terminate()
    process.wait(timeout=10)
