"""Release hygiene: ``python -m build`` makes an sdist and a wheel that ``twine check``
accepts, and the wheel's only top-level package is ``plankg`` (with its dist-info)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_the_wheel_holds_plankg_and_its_dist_info_only(dist):
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"plankg", next(t for t in tops if t.endswith(".dist-info"))}
    # the data packages and the service are inside it, under the one namespace
    for path in ("plankg/__init__.py", "plankg/graph/api.py", "plankg/service/app.py",
                 "plankg/queries/tasks-by-agency.rq", "plankg/shapes/task.ttl",
                 "plankg/ontology/plankg.ttl", "plankg/graph/release/plankg.trig",
                 "plankg/graph/templates/diff.html", "plankg/py.typed"):
        assert path in names, path
    assert not [n for n in names if "__pycache__" in n or "/tests/" in n]


def test_twine_accepts_the_sdist_and_the_wheel(dist):
    files = sorted(str(p) for p in dist.iterdir())
    assert any(f.endswith(".tar.gz") for f in files) and any(f.endswith(".whl") for f in files)
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *files],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
