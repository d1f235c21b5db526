"""``examples/researcher.ipynb`` runs top to bottom in a real Jupyter kernel, and its outputs
answer the README's questions (checked by the cells' tags)."""

from __future__ import annotations

import base64

import pytest

from tests.conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = ROOT / "examples" / "researcher.ipynb"


@pytest.fixture(scope="module")
def outputs() -> dict[str, list[dict]]:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    tagged = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"]
            for tag in cell.metadata.get("tags", []):
                tagged[tag] = cell.outputs
    return tagged


def _text(outputs: list[dict]) -> str:
    return "\n".join(o.get("data", {}).get("text/plain", "") or o.get("text", "")
                     for o in outputs)


def test_the_tasks_县发改局_supports(outputs):
    text = _text(outputs["support-tasks"])
    assert "49" in text and "加快推进托幼一体化建设" in text and len(text.splitlines()) == 2


def test_the_workload_table_and_its_picture(outputs):
    assert "县工信局" in _text(outputs["workload"])
    (png,) = [o["data"]["image/png"] for o in outputs["picture"] if "image/png" in o.get("data", {})]
    assert base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"


def test_lineage_targets_and_the_next_year(outputs):
    assert "发改财金〔2022〕271号" in _text(outputs["lineage"])
    assert "3岁以下托位数" in _text(outputs["targets"])
    changes = _text(outputs["diff-targets"])
    assert "5G基站" in changes and "40.0" in changes and "50.0" in changes
    assert "continues    15" in _text(outputs["diff-kinds"])
