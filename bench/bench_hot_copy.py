"""Benchmark: what the server's copy in memory should hold, side by side in one process.

Run on demand (not a test):
    pip install -e '.[bench]' && python bench/bench_hot_copy.py [--size 1e6] [--reps 50]

``plankg synth`` writes a corpus (seed 1) of about ``--size`` triples; it is loaded into a
persistent Oxigraph store with ``plankg load``'s code. Two in-memory copies are made from it:
the merged default graph only (what ``plankg serve`` makes, :meth:`OxigraphBackend.warm`), and
every quad (the named graphs as well, as before). For each copy: the time to make it, the quads
it holds and the memory it took (resident set growth); then every named query, parameters
picked as in bench_stores.py, run on both copies in turn (query text in, records out), and
p50 of ``--reps`` runs or ``--budget`` seconds per query. Both copies must give the same rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_stores import _p, _params

from plankg.graph.backends import open_store
from plankg.graph.queries import load_queries, records_on_store
from plankg.graph.store import GraphStore
from plankg.graph.synth import plans_for_triples, write_corpus


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _copy(source: ox.Store, graph) -> tuple[ox.Store, float, float]:
    before = _rss_mb()
    started = time.perf_counter()
    hot = ox.Store()
    hot.bulk_extend(source.quads_for_pattern(None, None, None, graph))
    return hot, time.perf_counter() - started, _rss_mb() - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=float, default=1e6)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--budget", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plankg-bench-") as folder:
        corpus = Path(folder) / "corpus.nq"
        write_corpus(corpus, plans=plans_for_triples(int(args.size)), seed=1, fmt="nq")
        backend = open_store(f"oxigraph:{Path(folder) / 'store'};cache=memory")
        backend.load_file(corpus, fmt=ox.RdfFormat.N_QUADS)
        copies = {}
        for label, graph in (("default graph only", ox.DefaultGraph()), ("every graph", None)):
            hot, took, grew = _copy(backend.store, graph)
            copies[label] = hot
            print(f"copy of {label:18}: {len(hot):>10,} quads in {took:5.1f} s, "
                  f"resident memory +{grew:,.0f} MB", flush=True)
        store = GraphStore(backend)
        backend.hot = copies["default graph only"]
        params, _ = _params(store)
        print("\n| named query | default graph only p50 ms | every graph p50 ms | ratio |\n"
              "|---|---:|---:|---:|")
        for name in sorted(load_queries()):
            values = params.get(name, {})
            times: dict[str, list[float]] = {label: [] for label in copies}
            answers = {}
            started = time.perf_counter()
            while (len(times["every graph"]) < args.reps
                   and (not times["every graph"] or time.perf_counter() - started < args.budget)):
                for label, hot in copies.items():  # in turn: the same conditions for both
                    backend.hot = hot
                    t = time.perf_counter()
                    answers[label] = records_on_store(store, name, values)
                    times[label].append(time.perf_counter() - t)
            assert answers["default graph only"] == answers["every graph"], name
            only, every = (_p(times[label], .5) for label in copies)
            print(f"| {name} | {only:.2f} | {every:.2f} | {every / only:.2f}× |", flush=True)
        backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
