"""Regression: the named query ``supersession`` left the 2022 plan's status blank where
``series-history`` said in-force (the graph records a status only for a repealed document;
series-history worked out the rest, supersession did not). Both now work it out one way."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from plankg.graph.publish import load_release
from plankg.graph.queries import records_on_store, run_named
from plankg.graph.sparql import to_records
from plankg.graph.store import GraphStore
from tests.conftest import FIXTURES

SEED = "沁政办发〔2022〕33号"


def _dataset(years: bool):
    """The release; with ``years``, also the fictional 2023–2025 plans, each repealing the last."""
    from plankg.graph.validate import load_graph_file
    ds = load_release()
    if years:
        for path in (FIXTURES / "plans" / "qinshui-2023.md", FIXTURES / "diff" / "qinshui-2024.md",
                     FIXTURES / "diff" / "qinshui-2025.md"):
            data, _ = load_graph_file(path)
            ds.graph(URIRef(f"urn:test:{path.name}")).__iadd__(data)
    return ds


def _statuses(run) -> tuple[dict, dict]:
    history = {r["number"]: r["status"] for r in run("series-history", {"plan": SEED})}
    rows = run("supersession", {"document": SEED})
    assert all(r["in_force"] == (r["status"] == "in-force") for r in rows)
    return history, {r["number"]: r["status"] for r in rows}


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("years", [False, True], ids=["release", "five-years"])
def test_supersession_and_series_history_give_the_same_status(engine, years):
    ds = _dataset(years)
    if engine == "rdflib":
        def run(name, params):
            return to_records(run_named(ds, name, params))
    else:
        store = GraphStore.of(ds)

        def run(name, params):
            return records_on_store(store, name, params)
    history, supersession = _statuses(run)
    assert supersession == history
    newest = "沁政办发〔2025〕4号" if years else SEED
    assert supersession[newest] == "in-force"
    assert supersession["沁政办函〔2021〕10号"] == "repealed"
