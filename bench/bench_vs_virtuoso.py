"""Benchmark: `plankg serve` and Virtuoso 7 side by side, the same quads, the same requests.

Run on demand (not a test):
    pip install -e '.[bench]' && python bench/bench_vs_virtuoso.py [--sizes 1e5,1e6]
        [--clients 8,64] [--seconds 5] [--processes 2] [--workers 2] [--queries …]
        [--json bench/results/vs-virtuoso.json]

For each size, ``plankg synth`` (seed 1) writes a corpus; it is loaded with ``plankg load``'s
code, with the release, into a persistent Oxigraph store and into a throwaway Virtuoso (Debian's
``virtuoso-opensource-7``, started as the tests start it: ``tests/virtuoso.py``). Two
``plankg serve`` read the Oxigraph store, one with the answer cache (``--cache-mb 256``) and one
without (``--cache-mb 0``); both with ``--processes`` and ``--workers`` as given. Then, for each
kind of request, each number of clients and each server in turn: every distinct request once
(not timed), then ``--clients`` clients for ``--seconds``, each from its own loopback address
(127.0.x.y, as distinct machines: plankg's per-client limit applies to each), each sending one
request after another on a keep-alive connection (HTTP/1.1, written and read with httptools:
a lean client, so that the load generator takes little of the two cores from the servers).

The requests: three SPARQL SELECTs, sent to both ``/sparql`` endpoints as the same text
(Virtuoso with ``default-graph-uri`` naming the merged graph, as plankg's SPARQL-server backend
sends them): a task by its number across plans (40 numbers, one per request in turn), the lead
agencies joined with their Chinese labels, and tasks per agency; then every named query, on
plankg as ``/api/queries/{name}`` and on Virtuoso as the text plankg's SPARQL-server backend
sends (parameters bound as a VALUES block), parameters picked from the corpus.

Printed, per size: requests per second and p50/p99 latency per server, and plankg's throughput
over Virtuoso's (goal ≥ 1.5×) and whether its p99 is at most Virtuoso's. Only loopback is
contacted; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lean_http import Connection, run

from plankg.graph.backends import UNION_GRAPH, open_store
from plankg.graph.backends.values import bind_terms
from plankg.graph.load import ensure_release
from plankg.graph.queries import _on_store, load_queries, records_on_store
from plankg.graph.store import GraphStore
from plankg.graph.synth import plans_for_triples, write_corpus

PREFIXES = ("PREFIX pk: <https://w3id.org/plankg/def#>\n"
            "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
            "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
BY_NUMBER = PREFIXES + ("SELECT ?plan ?task ?heading WHERE { ?task eli:number \"NUMBER\" ; "
                        "a pk:Task ; pk:heading ?heading ; prov:wasDerivedFrom ?plan } "
                        "ORDER BY ?plan")
LEAD = PREFIXES + ("SELECT ?task ?agency ?name WHERE { ?task pk:leadAgency ?agency . "
                   "?agency skos:prefLabel ?name FILTER(LANG(?name) = \"zh\") } "
                   "ORDER BY ?task ?agency")
PER_AGENCY = PREFIXES + ("SELECT ?agency (COUNT(DISTINCT ?task) AS ?tasks) WHERE { "
                         "?task pk:assignedAgency ?agency } GROUP BY ?agency "
                         "ORDER BY DESC(?tasks) ?agency")
RESULTS = "application/sparql-results+json"


def _address(index: int) -> str:
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


async def _load(port: int, targets: list[str], *, clients: int, seconds: float,
                accept: str) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def client(index: int) -> None:
        nonlocal errors
        connection = Connection("127.0.0.1", port, _address(index))
        turn = random.Random(index).randrange(len(targets))
        try:
            while time.monotonic() < stop:
                target = targets[turn % len(targets)]
                turn += 1
                started = time.perf_counter()
                try:
                    status = await connection.get(target, accept)
                except (TimeoutError, OSError):
                    status = 0
                latencies.append(time.perf_counter() - started)
                errors += status != 200
        finally:
            await connection.close()

    started = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    took = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors,
            "rps": round(len(latencies) / took, 1),
            "p50": round(latencies[len(latencies) // 2] * 1000, 2),
            "p99": round(latencies[min(len(latencies) - 1, int(len(latencies) * .99))] * 1000, 2)}


# -- the servers ------------------------------------------------------------------------------
def _port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(store: Path, *, cache_mb: int, processes: int, workers: int) -> tuple:
    port = _port()
    argv = [sys.executable, "-m", "plankg.service.cli", "serve", "--port", str(port),
            "--store", f"oxigraph:{store}", "--processes", str(processes), "--workers",
            str(workers), "--cache-mb", str(cache_mb)]
    env = {k: v for k, v in os.environ.items() if k != "PLANKG_STORE"}
    # the log goes to a file, not a pipe (nobody reads it while the server runs)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - it lives as long as the server
    # a session of its own: Ctrl-C stops this script, which then stops its servers
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log, env=env,
                               start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit("plankg serve exited: " + log.read().decode())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process, port
        except httpx.HTTPError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("plankg serve did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()


# -- the requests -----------------------------------------------------------------------------
def _sparql(path: str, query: str, dataset: bool) -> str:
    params = [("query", query)] + ([("default-graph-uri", UNION_GRAPH)] if dataset else [])
    return f"{path}?{urlencode(params)}"


def _params(store: GraphStore) -> dict[str, dict[str, str]]:
    """Parameters for the named queries, from the corpus (as bench_stores.py picks them)."""
    plans = [p for p in records_on_store(store, "plans") if p["tasks"]]
    county = next((p for p in plans if p["level"] == "county"), plans[-1])
    agency = records_on_store(store, "agency-workload")[0]["agency"]
    sector = records_on_store(store, "sector-summary")[0]["sector"]
    return {"task-lineage": {"number": "1", "plan": county["number"]},
            "tasks-by-agency": {"agency": agency}, "agency-workload": {},
            "targets": {"sector": sector.rsplit("/", 1)[-1]},
            "tasks-by-sector": {"sector": sector.rsplit("/", 1)[-1]},
            "citations": {"document": county["plan"]},
            "document-implementers": {"document": county["plan"]},
            "supersession": {"document": county["plan"]},
            "series-history": {"plan": county["number"]},
            "find-document": {"number": county["number"]},
            "plan-documents": {"plan": county["number"]},
            "task-agencies": {"number": "1", "plan": county["number"]},
            "task-targets": {"number": "1", "plan": county["number"]},
            "indicator-history": {"indicator": _indicator(store)}}


def _indicator(store: GraphStore) -> str:
    """The indicator most plans set targets for (its history joins the most years)."""
    counts = Counter(t["indicator"] for t in records_on_store(store, "targets"))
    return counts.most_common(1)[0][0] if counts else ""


def requests(store: GraphStore, only: frozenset[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Each kind of request: (plankg targets, Virtuoso targets)."""
    kinds = {
        "task by number": ([_sparql("/sparql", BY_NUMBER.replace("NUMBER", str(n)), False)
                            for n in range(1, 41)],
                           [_sparql("/sparql", BY_NUMBER.replace("NUMBER", str(n)), True)
                            for n in range(1, 41)]),
        "lead agencies × labels": ([_sparql("/sparql", LEAD, False)],
                                   [_sparql("/sparql", LEAD, True)]),
        "tasks per agency": ([_sparql("/sparql", PER_AGENCY, False)],
                             [_sparql("/sparql", PER_AGENCY, True)]),
    }
    params = _params(store)
    for name, query in load_queries().items():
        if query.is_check:
            continue
        values = params.get(name, {})
        try:
            _, bindings = _on_store(store, name, values)
        except Exception as exc:  # noqa: BLE001 - a parameter the corpus cannot give
            print(f"  skipped {name}: {exc}", flush=True)
            continue
        ours = f"/api/queries/{name}" + (f"?{urlencode(values)}" if values else "")
        kinds[name] = ([ours], [_sparql("/sparql", bind_terms(query.text, bindings), True)])
    return {k: v for k, v in kinds.items() if not only or k in only}


# -- one size ---------------------------------------------------------------------------------
def measure(size: int, folder: Path, args) -> dict:
    corpus = folder / f"corpus-{size}.nq"
    quads = write_corpus(corpus, plans=plans_for_triples(size), seed=1, fmt="nq")
    print(f"\n{size:,}: {quads:,} quads", flush=True)
    store_path = folder / f"oxigraph-{size}"
    backend = open_store(f"oxigraph:{store_path}")
    t = time.perf_counter()
    backend.load_file(corpus, fmt=ox.RdfFormat.N_QUADS)
    ensure_release(backend)
    print(f"  plankg store: {time.perf_counter() - t:.1f} s", flush=True)
    backend.close()
    with ExitStack() as stack:
        from tests.virtuoso import throwaway_virtuoso
        virtuoso = stack.enter_context(throwaway_virtuoso())
        remote = open_store(virtuoso.spec)
        t = time.perf_counter()
        remote.load_file(corpus, fmt=ox.RdfFormat.N_QUADS)
        ensure_release(remote)
        print(f"  Virtuoso: {time.perf_counter() - t:.1f} s", flush=True)
        remote.close()
        reader = GraphStore(open_store(f"oxigraph:{store_path};cache=disk"))
        kinds = requests(reader, frozenset(q for q in args.queries.split(",") if q))
        triples = reader.count()
        reader.backend.close()
        servers = {"plankg": _serve(store_path, cache_mb=256, processes=args.processes,
                                    workers=args.workers)}
        servers["plankg, no cache"] = _serve(store_path, cache_mb=0, processes=args.processes,
                                             workers=args.workers)
        stack.callback(lambda: [_stop(p) for p, _ in servers.values()])
        ports = {name: port for name, (_, port) in servers.items()}
        ports["Virtuoso"] = virtuoso.http_port
        rows = []
        for kind, (ours, theirs) in kinds.items():
            accept = "application/json" if ours[0].startswith("/api/") else RESULTS
            for clients in args.clients:
                row = {"kind": kind, "clients": clients}
                for name, port in ports.items():
                    targets = theirs if name == "Virtuoso" else ours
                    asked = RESULTS if name == "Virtuoso" else accept
                    warm = run(_warm(port, targets, asked))
                    waited = quiesce()
                    row[name] = run(_load(port, targets, clients=clients,
                                          seconds=args.seconds, accept=asked))
                    row[name].update(first_ms=warm, waited_s=waited)
                rows.append(row)
                print(_line(row), flush=True)
    return {"triples": triples, "quads": quads, "rows": rows}


def _busy(seconds: float = 0.5) -> float:
    """The share of the machine's CPU time spent busy over ``seconds`` (from /proc/stat)."""
    def times() -> tuple[int, int]:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return sum(fields), fields[3] + fields[4]  # all, idle + iowait
    total, idle = times()
    time.sleep(seconds)
    total2, idle2 = times()
    return 1 - (idle2 - idle) / max(1, total2 - total)


def quiesce(*, below: float = 0.10, limit: float = 120.0) -> float:
    """Wait until the machine is idle (busy below ``below``): a server may still be working
    on the requests of the cell before (timed out on the client's side, or queued), and that
    work would be counted against the next server measured. Seconds waited (at most
    ``limit``)."""
    started = time.monotonic()
    while time.monotonic() - started < limit and _busy() >= below:
        pass
    return round(time.monotonic() - started, 1)


async def _warm(port: int, targets: list[str], accept: str, connections: int = 8) -> float:
    """Every distinct request once on each of ``connections`` connections (so that each server
    process sees it: each has its own cache); the slowest answer, in ms."""
    slowest = 0.0

    async def one(index: int) -> None:
        nonlocal slowest
        connection = Connection("127.0.0.1", port, _address(index))
        try:
            for target in targets:
                started = time.perf_counter()
                await connection.get(target, accept)
                slowest = max(slowest, time.perf_counter() - started)
        finally:
            await connection.close()
    await asyncio.gather(*(one(i) for i in range(connections)))
    return round(slowest * 1000, 1)


def _line(row: dict) -> str:
    v = row["Virtuoso"]
    cells = [row["kind"], str(row["clients"])]
    for name in ("plankg", "plankg, no cache"):
        r = row[name]
        ratio = r["rps"] / v["rps"] if v["rps"] else float("inf")
        ok = "✓" if ratio >= 1.5 and r["p99"] <= v["p99"] and not r["errors"] else "✗"
        cells += [f"{r['rps']:,.0f}", f"{r['p50']:.1f} / {r['p99']:.1f}",
                  f"{ratio:.2f}× {ok}" + (f" ({r['errors']} errors)" if r["errors"] else "")]
    cells += [f"{v['rps']:,.0f}", f"{v['p50']:.1f} / {v['p99']:.1f}"
              + (f" ({v['errors']} errors)" if v["errors"] else "")]
    return "| " + " | ".join(cells) + " |"


HEADER = ("| request | clients | plankg req/s | p50 / p99 ms | × Virtuoso | plankg, no cache "
          "req/s | p50 / p99 ms | × Virtuoso | Virtuoso req/s | p50 / p99 ms |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1e5,1e6")
    parser.add_argument("--clients", default="8,64")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--processes", type=int, default=2, help="plankg serve --processes")
    parser.add_argument("--workers", type=int, default=2, help="plankg serve --workers")
    parser.add_argument("--queries", default="", help="only these kinds of request "
                        "(comma-separated names as printed)")
    parser.add_argument("--json", type=Path,
                        default=ROOT / "bench" / "results" / "vs-virtuoso.json")
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    results = {"conditions": {"processes": args.processes, "workers": args.workers,
                              "seconds": args.seconds, "cores": os.cpu_count(),
                              "load_before": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="plankg-vs-virtuoso-") as folder:
        for size in (int(float(s)) for s in args.sizes.split(",")):
            print(HEADER, flush=True)
            results[str(size)] = measure(size, Path(folder), args)
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False),
                                 encoding="utf-8")
    for size, found in results.items():
        if size == "conditions":
            continue
        print(f"\n{found['triples']:,} triples ({found['quads']:,} quads), "
              f"{args.seconds:g} s per cell, plankg --processes {args.processes} "
              f"--workers {args.workers}")
        print(HEADER)
        for row in found["rows"]:
            print(_line(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
