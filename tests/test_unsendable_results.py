"""Regression: the test run warned 23 times "PyQuerySolutions is unsendable, but is being dropped
on another thread". The memory backend kept pyoxigraph's results object (made in a request's
worker thread to write CSV, XML…) in a frame that rdflib's query parser had left in reference
cycles (exceptions and their tracebacks); the cyclic collector later freed it in another thread,
which pyoxigraph refuses. The object now lives only in a frame the parser never sees."""

from __future__ import annotations

import gc
import sys

import pytest
from fastapi.testclient import TestClient

from plankg.graph.publish import load_release
from plankg.graph.store import GraphStore
from plankg.service import create_app

SELECT = "SELECT DISTINCT ?n WHERE { ?t a pk:Task ; eli:number ?n } ORDER BY ?n"


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("engine", ["memory", "oxigraph"])
def test_query_results_are_dropped_in_the_thread_that_made_them(monkeypatch, engine):
    dropped_elsewhere: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook",
                        lambda raised: dropped_elsewhere.append(repr(raised.exc_value)))
    client = TestClient(create_app(GraphStore.of(load_release(), engine=engine)))
    gc.collect()
    gc.disable()  # what the requests leave is collected below, in this thread, not theirs
    try:
        for accept in ("text/csv", "application/sparql-results+xml",
                       "application/sparql-results+json", "text/tab-separated-values"):
            answer = client.get("/sparql", params={"query": SELECT}, headers={"accept": accept})
            assert answer.status_code == 200
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"},
                          headers={"accept": "application/sparql-results+xml"}).status_code == 200
    finally:
        gc.enable()
    gc.collect()
    assert dropped_elsewhere == []
