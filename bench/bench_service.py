"""Benchmark: load over loopback against `plankg serve`, and rdflib-endpoint beside it.

Run on demand (not a test):  pip install -e '.[bench]' && python bench/bench_service.py
                             [--clients 8] [--seconds 10]

Both servers serve the same built graph (graph/release/plankg.trig) on 127.0.0.1, one process
each, started by this script, and get the same SPARQL SELECT queries from the same number of
concurrent clients for the same time, one after the other. The lineage endpoint
(/api/tasks/{n}/lineage) exists on plankg only. Printed: requests, errors, throughput, p50 and
p99 latency. Every loop is bounded in count and time, and only loopback is contacted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    ("PREFIX pk: <https://w3id.org/plankg/def#> PREFIX eli: <http://data.europa.eu/eli/ontology#> "
    "SELECT ?n ?h WHERE { ?t a pk:Task ; eli:number ?n ; pk:heading ?h } ORDER BY ?n"),
    ("PREFIX pk: <https://w3id.org/plankg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?name (COUNT(?t) AS ?n) WHERE { ?t pk:assignedAgency ?a . ?a skos:prefLabel ?name "
    "FILTER(LANG(?name) = 'zh') } GROUP BY ?name ORDER BY DESC(?n)"),
    ("PREFIX pk: <https://w3id.org/plankg/def#> PREFIX eli: <http://data.europa.eu/eli/ontology#> "
    "SELECT ?d ?t WHERE { <https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33/task/1> eli:cites ?d "
    ". ?d eli:title ?t }"),
]
RDFLIB_ENDPOINT = """
import sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="trig")
uvicorn.run(SparqlEndpoint(graph=ds, path="/sparql"), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(argv: list[str], probe: str, env: dict | None = None) -> subprocess.Popen:
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(probe, timeout=2).status_code < 500:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"server did not start: {' '.join(argv)}")


def load(urls: list[str], *, clients: int, seconds: float, accept: str) -> dict:
    """``clients`` threads send GETs from ``urls`` for ``seconds``; latencies and errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        with httpx.Client(timeout=30, headers={"accept": accept}) as client:
            for _ in range(1_000_000):  # bounded; the clock stops it first
                if time.monotonic() >= stop:
                    return
                url = rng.choice(urls)
                start = time.perf_counter()
                try:
                    ok = client.get(url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    errors += not ok

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"requests": len(latencies), "errors": errors,
            "throughput": len(latencies) / seconds,
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=None, help="plankg serve --workers")
    args = parser.parse_args()
    ours_port, theirs_port = _port(), _port()
    release = ROOT / "graph" / "release" / "plankg.trig"
    data = tempfile.mkdtemp(prefix="plankg-bench-data-")  # its own store, never the user's
    ours = _start([sys.executable, "-m", "plankg.service.cli", "serve", "--port", str(ours_port),
                   *(["--workers", str(args.workers)] if args.workers is not None else [])],
                  f"http://127.0.0.1:{ours_port}/healthz",
                  env={**os.environ, "PLANKG_DATA": data, "PLANKG_STORE": "oxigraph"})
    theirs = _start([sys.executable, "-c", RDFLIB_ENDPOINT, str(release), str(theirs_port)],
                    f"http://127.0.0.1:{theirs_port}/sparql?query=ASK%7B%7D")
    try:
        results = {}
        for name, port in (("plankg", ours_port), ("rdflib-endpoint", theirs_port)):
            urls = [str(httpx.URL(f"http://127.0.0.1:{port}/sparql", params={"query": q}))
                    for q in QUERIES]
            results[name] = load(urls, clients=args.clients, seconds=args.seconds,
                                 accept="application/sparql-results+json")
        lineage = [f"http://127.0.0.1:{ours_port}/api/tasks/{n}/lineage" for n in range(1, 67)]
        results["plankg lineage API"] = load(lineage, clients=args.clients,
                                             seconds=args.seconds, accept="application/json")
        results["plankg lineage API, 1 client"] = load(lineage, clients=1, seconds=args.seconds,
                                                       accept="application/json")
        results["plankg SPARQL, 1 client"] = load(
            [str(httpx.URL(f"http://127.0.0.1:{ours_port}/sparql", params={"query": q}))
             for q in QUERIES], clients=1, seconds=args.seconds,
            accept="application/sparql-results+json")
    finally:
        ours.terminate()
        theirs.terminate()
        ours.wait(20)
        shutil.rmtree(data, ignore_errors=True)
    print(f"{args.clients} clients, {args.seconds:g} s each, loopback, one server process each")
    print("| target | requests | errors | throughput (req/s) | p50 (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['requests']} | {r['errors']} | {r['throughput']:.0f} | "
              f"{r['p50']:.1f} | {r['p99']:.1f} |")
    ratio = results["plankg"]["throughput"] / results["rdflib-endpoint"]["throughput"]
    print(f"SPARQL SELECT throughput, plankg / rdflib-endpoint: {ratio:.1f}×")


if __name__ == "__main__":
    main()
