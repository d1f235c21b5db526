"""Benchmark: validating one plan, and how that grows with the graph it is checked against.

Run on demand (not a test):  python bench/bench_validate.py [--runs 5] [--store-sizes 1e5,1e6]

Side by side in one run: our engine (core shapes by pySHACL, SPARQL-based constraints by
Oxigraph) against pySHACL evaluating every constraint itself, on the seed plan; then
``validate --against`` with graphs of 1, 10 and 100 plans (generated as in bench_queries);
then the 2023 plan ``--against store``: a persistent Oxigraph store holding a synthetic corpus
(``plankg synth``, seed 1) and the release, read as the CLI reads it (the plans' headers, then
the previous plan's records), beside the same store read whole into rdflib (``--against FILE``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench_queries import enlarge
from rdflib import Graph

from plankg.graph._ox import from_ox
from plankg.graph.publish import load_release
from plankg.graph.registry import load_registry
from plankg.graph.validate import context_graph, load_graph_file, validate_file
from plankg.graph.validate.engine import run_shacl

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
    parser.add_argument("--store-sizes", default="1e5,1e6")
    args = parser.parse_args()
    runs = args.runs
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
    for size in (int(float(s)) for s in args.store_sizes.split(",") if s):
        _against_store(size, runs)


def _against_store(size: int, runs: int) -> None:
    """The 2023 plan against a store of about ``size`` triples: in the store, and whole."""
    import tempfile

    import pyoxigraph as ox

    from plankg.graph.backends import open_store
    from plankg.graph.cli.validate_cmd import _store_plans
    from plankg.graph.load import release_file
    from plankg.graph.synth import plans_for_triples, write_corpus
    with tempfile.TemporaryDirectory(prefix="plankg-bench-") as folder:
        corpus = Path(folder) / "corpus.nq"
        write_corpus(corpus, plans=plans_for_triples(size), seed=1, fmt="nq")
        with corpus.open("ab") as out:  # the release too, in one file: the graphs both have
            # (ontology, curated, inferred) hold the union, where a second load would replace
            out.write(ox.serialize(ox.parse(path=str(release_file()), format=ox.RdfFormat.TRIG),
                                   format=ox.RdfFormat.N_QUADS))
        spec = f"oxigraph:{Path(folder) / 'store'};cache=disk"
        backend = open_store(spec)
        backend.load_file(corpus, fmt=ox.RdfFormat.N_QUADS)
        triples = backend.count()
        backend.close()

        reports = []

        def in_store():  # what `plankg validate --against store` does, the store opened anew
            headers, plan_context = _store_plans(spec)
            reports.append(validate_file(NEW_YEAR, against=headers, plan_context=plan_context))

        took = _median(in_store, runs)
        start = time.perf_counter()
        whole = Graph()
        for quad in open_store(spec).quads():
            whole.add(tuple(from_ox(t) for t in (quad.subject, quad.predicate, quad.object)))
        read = time.perf_counter() - start
        start = time.perf_counter()
        report = validate_file(NEW_YEAR, against=whole)
        compared = time.perf_counter() - start
        assert report.as_dict() == reports[-1].as_dict()
        print(f"| validate the 2023 plan `--against store`, {triples:,} triples: in the store | "
              f"{took * 1000:.0f} ms |")
        print(f"| … the same store read whole into rdflib, then compared | {read:.1f} s + "
              f"{compared * 1000:.0f} ms ({(read + compared) / took:.1f}× the time) |")


if __name__ == "__main__":
    main()
