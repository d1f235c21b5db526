"""Benchmark: ``plankg add`` of one 66-task plan into a store of 10⁶ triples, and reasoning per
document against reasoning over the whole store.

Run on demand (not a test):  python bench/bench_add.py [--triples 1000000] [--runs 3]
                             [--whole-limit 600]

1. A persistent Oxigraph store holding ``--triples`` synthetic triples (``plankg synth``, seed 1)
   and the release; then the seed plan, under a number the store does not hold, added ``--runs`` times
   (the first adds it, the others replace its own graphs). Prints each add's time, and checks
   that every other graph of the store is unchanged: a SHA-256 of its sorted N-Quads before and
   after.
2. Reasoning: OWL RL over the added document's own graph (what ``add`` does) against OWL RL
   over every asserted graph of the store at once (what recomputing after each change would
   do), the latter in a child process stopped at ``--whole-limit`` seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import shutil
import tempfile
import time
from pathlib import Path

from plankg.graph import iris
from plankg.graph.add import add_document
from plankg.graph.backends import open_store
from plankg.graph.load import ensure_release, load_files
from plankg.graph.synth import plans_for_triples, write_corpus

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "graph" / "sources" / "qinshui-2022-service-plan.md"


def _digest(backend, without: set[str]) -> tuple[str, int]:
    lines = sorted(str(q) for q in backend.quads()
                   if q.graph_name.value not in without)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest(), len(lines)


def _whole(path: str, queue) -> None:  # runs in a child process
    from rdflib import Graph

    from plankg.graph.reason import infer_graph, is_inferred
    backend = open_store(f"oxigraph:{path};cache=disk")
    asserted, schema = Graph(), Graph()
    ontology = str(iris.named_graph("ontology"))
    for q in backend.quads():
        name = q.graph_name.value
        if is_inferred(name) or name == str(iris.MANIFEST_GRAPH):
            continue
        from plankg.graph._ox import from_ox
        triple = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
        (schema if name == ontology else asserted).add(triple)
    started = time.perf_counter()
    infer_graph(asserted, schema)
    queue.put((len(asserted), time.perf_counter() - started))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--whole-limit", type=float, default=600)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plankg-bench-add-"))
    try:
        corpus = work / "corpus.nq"
        write_corpus(corpus, plans=plans_for_triples(args.triples), seed=1, fmt="nq")
        store_path = work / "store"
        backend = open_store(f"oxigraph:{store_path}")
        started = time.perf_counter()
        load_files(backend, [corpus])
        ensure_release(backend)
        print(f"store: {backend.count():,} triples, loaded in "
              f"{time.perf_counter() - started:.1f} s")
        plan = work / "county-plan.md"  # the seed plan under a number the store does not hold
        plan.write_text(SEED.read_text(encoding="utf-8").replace(
            "沁政办发〔2022〕33号", "沁政办发〔2022〕99号", 1), encoding="utf-8")
        owned: set[str] = {str(iris.MANIFEST_GRAPH)}
        for run in range(args.runs):
            before = _digest(backend, owned)  # the graphs the add will write did not exist
            started = time.perf_counter()
            added = add_document(backend, plan)
            took = time.perf_counter() - started
            owned = set(added.graphs) | {str(iris.MANIFEST_GRAPH)}
            after = _digest(backend, owned)
            same = f"; other graphs unchanged: {before == after} ({after[1]:,} quads)"
            print(f"add #{run + 1}: {took:.2f} s ({added.items} items, "
                  f"{len(added.graphs)} graphs){same}")
        print(_per_document(plan))
        backend.close()
        queue = multiprocessing.Queue()
        child = multiprocessing.Process(target=_whole, args=(str(store_path), queue))
        started = time.perf_counter()
        child.start()
        child.join(args.whole_limit)
        if child.is_alive():
            child.kill()
            print(f"reasoning over the whole store: stopped after {args.whole_limit:.0f} s")
        else:
            triples, took = queue.get()
            print(f"reasoning over the whole store: {took:.1f} s ({triples:,} asserted "
                  f"triples; {time.perf_counter() - started:.1f} s with reading)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _per_document(path: Path) -> str:
    from plankg.graph.build import plan_graph
    from plankg.graph.ontology import load_ontology, sector_labels
    from plankg.graph.parse import parse_file
    from plankg.graph.reason import infer_graph
    from plankg.graph.registry import load_registry
    registry, ontology = load_registry(), load_ontology()
    own = plan_graph(parse_file(path, registry=registry), registry=registry,
                     sectors=sector_labels(ontology))
    started = time.perf_counter()
    inferred = infer_graph(own, ontology)
    return (f"reasoning over the added document: {time.perf_counter() - started:.2f} s "
            f"({len(own):,} triples → {len(inferred):,} inferred)")


if __name__ == "__main__":
    main()
