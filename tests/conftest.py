"""Shared fixtures. Expensive ones are session-scoped and never mutated by tests."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from plankg.graph.parse import parse_file
from plankg.graph.pipeline import build_all

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
def data_folder(tmp_path_factory) -> Path:
    """A data folder for ``plankg serve`` (never the user's own)."""
    return tmp_path_factory.mktemp("plankg-data")


@contextmanager
def serving(data: Path, *flags: str, env: dict | None = None):
    """``plankg serve`` on a free port with ``PLANKG_DATA=data`` and no PLANKG_STORE (and the
    variables of ``env``); yields the process (its stdout a text pipe) and its base address
    once /healthz answers."""
    port = _free_port()
    env = {**os.environ, "PLANKG_DATA": str(data), **(env or {})}
    env.pop("PLANKG_STORE", None)
    process = subprocess.Popen([sys.executable, "-m", "plankg.service.cli", "serve", "--port", str(port),
                                *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            process.kill()
            pytest.fail("plankg serve did not start: " + process.stderr.read())
        yield process, base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def server(data_folder):
    """``plankg serve`` with no flags: embedded Oxigraph in the data folder."""
    with serving(data_folder) as (_, base):
        yield base


BACKENDS = ["memory", "oxigraph", "virtuoso"]


@pytest.fixture(scope="session")
def virtuoso():
    """A throwaway Virtuoso (Debian's virtuoso-opensource-7); CI sets PLANKG_REQUIRE_VIRTUOSO=1,
    which turns a missing server into a failure."""
    from tests.virtuoso import available, throwaway_virtuoso
    if not available():
        if os.environ.get("PLANKG_REQUIRE_VIRTUOSO") == "1":
            pytest.fail("virtuoso-t is not installed (apt-get install virtuoso-opensource-7)")
        pytest.skip("virtuoso-t is not installed")
    with throwaway_virtuoso() as server:
        yield server


def open_backend(kind: str, request):
    """A backend of ``kind`` holding the release (loaded with ``plankg load``'s code)."""
    from plankg.graph.backends import open_store
    from plankg.graph.load import ensure_release
    spec = {"memory": "memory", "oxigraph": "oxigraph:memory"}.get(kind)
    if spec is None:
        spec = request.getfixturevalue("virtuoso").spec
    backend = open_store(spec)
    ensure_release(backend)
    return backend


@pytest.fixture(scope="session", params=BACKENDS)
def backend_store(request):
    """The served graph on each backend in turn: rdflib memory, Oxigraph, Virtuoso."""
    from plankg.graph.store import GraphStore
    store = GraphStore(open_backend(request.param, request))
    yield store
    store.backend.close()
