"""Benchmark: latency of every named query on the seed graph and on a graph 100× larger.

Run on demand (not a test):  python bench/bench_queries.py [--copies 100] [--runs 5]

The larger graph holds the seed plan and ``copies - 1`` generated plans: copies of the seed's
asserted and inferred triples under other document numbers (沁政办发〔2022〕1001号…), sharing
the ontology, the curated graph and the agencies. It stands in for the synthetic corpus of the
stores issue. The store is rdflib's in-memory Dataset, queried through its union graph; the
stores issue compares other stores against these figures.
"""

from __future__ import annotations

import argparse
import statistics
import time

from rdflib import Dataset, Literal, URIRef

from plankg.graph import iris
from plankg.graph.publish import load_release
from plankg.graph.queries import load_queries, run_named
from plankg.graph.reason import INFERRED_GRAPH

SEED = "https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33"
SEED_NUMBER = "沁政办发〔2022〕33号"
PARAMS = {
    "task-lineage": {"number": "1", "plan": SEED_NUMBER},
    "document-implementers": {"document": "发改财金〔2022〕271号"},
    "tasks-by-agency": {"agency": "县工信局"},
    "targets": {"sector": "婴幼儿托育"},
    "citations": {"document": SEED_NUMBER},
    "supersession": {"document": SEED_NUMBER},
    "find-document": {"number": "发改财金[2022]271号"},
}


def _rename(term, serial: int):
    if isinstance(term, URIRef) and str(term).startswith(SEED):
        return URIRef(str(term).replace(SEED, SEED[: -len("33")] + str(serial), 1))
    if isinstance(term, Literal) and str(term) == SEED_NUMBER:
        return Literal(f"沁政办发〔2022〕{serial}号")
    if isinstance(term, Literal) and term.datatype == iris.XSD.integer and str(term) == "33":
        return Literal(serial)
    return term


def enlarge(seed: Dataset, copies: int) -> Dataset:
    """The seed plus ``copies - 1`` renamed copies of its plan graph and inferred triples."""
    plan_graph = seed.graph(iris.named_graph(SEED[len(iris.BASE):]))
    inferred = seed.graph(INFERRED_GRAPH)
    big = Dataset(default_union=True)
    for g in seed.graphs():
        big.graph(g.identifier).addN((s, p, o, big.graph(g.identifier)) for s, p, o in g)
    for serial in range(1001, 1000 + copies):
        name = iris.named_graph(SEED[len(iris.BASE): -2] + str(serial))
        target = big.graph(name)
        target.addN((_rename(s, serial), p, _rename(o, serial), target)
                    for s, p, o in plan_graph)
        big_inferred = big.graph(INFERRED_GRAPH)
        big_inferred.addN((_rename(s, serial), p, _rename(o, serial), big_inferred)
                          for s, p, o in inferred if str(s).startswith(SEED))
    return big


def time_query(g, name: str, runs: int) -> float:
    """Median seconds of ``runs`` runs, after one run that prepares and warms up."""
    params = PARAMS.get(name, {})
    run_named(g, name, params)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run_named(g, name, params)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    seed = load_release()
    big = enlarge(seed, args.copies)
    big_runs = max(1, args.runs // 2)
    print(f"rdflib memory store; median of {args.runs} runs (seed), {big_runs} run(s) "
          f"({args.copies}×), each after a warm-up run")
    print(f"seed: {len(seed)} triples; {args.copies}×: {len(big)} triples")
    print(f"| query | seed (ms) | {args.copies}× (ms) | growth |")
    print("|---|---:|---:|---:|", flush=True)
    for name in load_queries():
        small = time_query(seed, name, args.runs)
        large = time_query(big, name, big_runs)
        print(f"| {name} | {small * 1000:.1f} | {large * 1000:.1f} | {large / small:.0f}× |",
              flush=True)


if __name__ == "__main__":
    main()
