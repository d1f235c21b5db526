"""Every example of the README, run verbatim after the README's setup, prints what the README
says it prints (``console`` transcripts; see tests/readme.py), and every ``python`` example
runs. Examples that talk to ``http://127.0.0.1:8000`` get the README's own server
(``plankg serve``, the first command) on that port."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.readme import code_blocks, matches, transcripts

README = ROOT / "README.md"
SERVER = "http://127.0.0.1:8000"
VENV_BIN = Path(sys.executable).parent

TRANSCRIPTS = transcripts(README)
PYTHON = code_blocks(README, "python")


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """The environment after the README's setup: the venv's commands on the PATH (as after
    ``. .venv/bin/activate``), and a fresh home, so no data folder of this machine is used."""
    home = tmp_path_factory.mktemp("home")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PLANKG_")}
    environment.update(HOME=str(home), PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
                       VIRTUAL_ENV=str(VENV_BIN.parent), COLUMNS="100")
    return environment


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def server(env):
    """``plankg serve`` as the README's first command starts it, on port 8000."""
    if not _port_free(8000):
        pytest.skip("port 8000 is taken on this machine: the README's examples name it")
    process = subprocess.Popen([str(VENV_BIN / "plankg"), "serve"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"plankg serve stopped: {process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{SERVER}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("plankg serve did not answer /healthz within 120 s")
        yield SERVER
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_readme_has_examples_to_run():
    assert len(TRANSCRIPTS) >= 10 and PYTHON


@pytest.mark.parametrize("example", TRANSCRIPTS, ids=lambda t: f"L{t.line}")
def test_a_readme_command_prints_what_the_readme_says(example, env, request):
    if "127.0.0.1:8000" in example.command:
        request.getfixturevalue("server")
    if example.command.split()[0] == "curl" and shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    done = subprocess.run(["bash", "-o", "pipefail", "-c", example.command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    stated = re.search(r"#.*\bexit (\d)", example.command)  # e.g. "# exit 1: a violation"
    assert done.returncode == (int(stated[1]) if stated else 0), done.stderr
    printed = done.stdout.splitlines()
    assert matches(example.expected, printed), (
        f"README line {example.line}: {example.command}\n--- printed ---\n{done.stdout}")


@pytest.mark.parametrize("example", PYTHON, ids=lambda e: f"L{e.line}")
def test_a_readme_python_example_runs(example, env, server):
    done = subprocess.run([sys.executable, "-c", example.text], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the example printed nothing"


def test_the_readme_gives_the_releases_size_as_built():
    from plankg.graph.publish import load_release

    said = re.search(r"The release is ([\d,]+) triples", README.read_text(encoding="utf-8"))
    assert said, "the README no longer says how large the release is"
    assert int(said[1].replace(",", "")) == len(load_release())
