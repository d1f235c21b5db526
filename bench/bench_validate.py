"""Benchmark: validating one plan, and how that grows with the graph it is checked against.

Run on demand (not a test):  python bench/bench_validate.py [--runs 5]

Side by side in one run: our engine (core shapes by pySHACL, SPARQL-based constraints by
Oxigraph) against pySHACL evaluating every constraint itself, on the seed plan; then
``validate --against`` with graphs of 1, 10 and 100 plans (generated as in bench_queries).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench_queries import enlarge
from rdflib import Graph

from graph.publish import load_release
from graph.registry import load_registry
from graph.validate import context_graph, load_graph_file, validate_file
from graph.validate.engine import run_shacl

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "graph" / "sources" / "qinshui-2022-service-plan.md"
NEW_YEAR = ROOT / "tests" / "fixtures" / "plans" / "qinshui-2023.md"


def _median(fn, runs: int) -> float:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    data, _ = load_graph_file(SEED)
    graph = Graph() + data
    graph += context_graph(load_registry())
    ours = _median(lambda: run_shacl(graph), runs)
    reference = _median(lambda: run_shacl(graph, sparql_engine="pyshacl"), max(1, runs // 2))
    whole = _median(lambda: validate_file(SEED), runs)
    print(f"median of {runs} runs on this machine")
    print("| what | time |\n|---|---:|")
    print(f"| `plankg validate` of the seed plan (read, parse, build, validate) | {whole * 1000:.0f} ms |")
    print(f"| shapes on the seed: pySHACL core + Oxigraph SPARQL (ours) | {ours * 1000:.0f} ms |")
    print(f"| shapes on the seed: pySHACL alone | {reference * 1000:.0f} ms "
          f"({reference / ours:.1f}× slower) |")
    seed = load_release()
    for copies in (1, 10, 100):
        against = seed if copies == 1 else enlarge(seed, copies)
        took = _median(lambda g=against: validate_file(NEW_YEAR, against=g), max(1, runs // 2))
        print(f"| validate the 2023 plan `--against` {copies} plan(s), {len(against)} triples | "
              f"{took * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
