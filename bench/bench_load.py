"""Benchmark: many concurrent clients against `plankg serve` over loopback, mixed requests.

Run on demand (not a test):  python bench/bench_load.py [--clients 200] [--seconds 60]
                             [--workers 2] [--processes 2] [--cache-mb 256] [--store oxigraph]

The script starts `plankg serve` on a free loopback port with a temporary data folder (so the
store is built fresh, and the user's own is never touched), waits until it answers, then runs
``--clients`` clients at once for ``--seconds``, each sending one request after another (keep-
alive, no pause) drawn from a fixed mix: named-query API calls, /sparql SELECTs, task pages, task
lineage, and uploads of a plan to validate (5%). Each client connects from its own loopback address (127.0.x.y), as distinct machines
would, so the per-client limit of /sparql (4 at once) applies to each client separately.

Printed: requests, errors (any status other than 200, and any transport failure), throughput,
and p50 / p99 latency, overall and per kind of request; the latency of ``/healthz`` asked five
times a second by a prober of its own all along; and the largest resident memory of the server
process and of each of its worker processes (sampled every second). Only loopback is contacted,
and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

import httptools
import httpx
from lean_http import Connection, run  # beside this file

from plankg.graph.workers import resident

PK = "PREFIX pk: <https://w3id.org/plankg/def#> PREFIX eli: <http://data.europa.eu/eli/ontology#> "
SPARQL = [
    PK + "SELECT ?n ?h WHERE { ?t a pk:Task ; eli:number ?n ; pk:heading ?h } ORDER BY ?n",
    PK + "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?name (COUNT(?t) AS ?n) "
    "WHERE { ?t pk:assignedAgency ?a . ?a skos:prefLabel ?name FILTER(LANG(?name) = 'zh') } "
    "GROUP BY ?name ORDER BY DESC(?n)",
    PK + "SELECT ?d ?t WHERE { <https://w3id.org/plankg/eli/cn/140521/2022/qzbf-33/task/1> "
    "eli:cites ?d . ?d eli:title ?t }",
]
NAMED = [("/api/queries/agency-workload", {}), ("/api/queries/sector-summary", {}),
         ("/api/plans", {}), ("/api/queries/tasks-by-agency", {"agency": "县工信局"}),
         ("/api/agencies/县发改局", {})]
TASKS = range(1, 67)
UPLOAD = (Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "plans"
          / "qinshui-2023.md").read_bytes()


def request_of(rng: random.Random) -> tuple[str, str, dict]:
    """One request of the mix: (kind, path, query parameters)."""
    roll = rng.random()
    if roll < 0.05:
        return "upload", "/api/validate", {}
    if roll < 0.3:
        return "named-query", *rng.choice(NAMED)
    if roll < 0.6:
        return "sparql", "/sparql", {"query": rng.choice(SPARQL)}
    if roll < 0.8:
        return "task-page", f"/tasks/{rng.choice(TASKS)}", {}
    return "lineage", f"/api/tasks/{rng.choice(TASKS)}/lineage", {}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*, port: int, data: str, workers: int, store: str | None, processes: int = 1,
                 cache_mb: int | None = None) -> subprocess.Popen:
    env = {**os.environ, "PLANKG_DATA": data}
    env.pop("PLANKG_STORE", None)
    argv = [sys.executable, "-m", "plankg.service.cli", "serve", "--port", str(port), "--workers",
            str(workers), "--processes", str(processes)]
    if cache_mb is not None:
        argv += ["--cache-mb", str(cache_mb)]
    if store:
        argv += ["--store", store]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("plankg serve exited: " + process.stderr.read().decode())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("plankg serve did not start in 180 s")


def client_address(index: int) -> str:
    """A loopback address of its own for client ``index`` (127.0.1.1 onwards)."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def make_client(index: int, base: str, timeout: float) -> Connection:
    """Client ``index``: one keep-alive connection from its own address, written and read by
    the lean client beside this file (httpx took the load generator's whole core at about 450
    requests a second, and the generator's own queue was what got measured)."""
    host, port = httpx.URL(base).host, httpx.URL(base).port
    return Connection(host, port, client_address(index), timeout=timeout)


async def run_client(index: int, client: Connection, stop: float, results: list,
                     failures: Counter) -> None:
    rng = random.Random(index)
    while time.monotonic() < stop:
        kind, path, params = request_of(rng)
        started = time.monotonic()
        try:
            if kind == "upload":
                status = await client.request("POST", path, body=UPLOAD,
                                              content_type="text/markdown")
            else:
                status = await client.get(quote(path) + (f"?{urlencode(params)}" if params
                                                         else ""))
        except (TimeoutError, OSError, httptools.HttpParserError) as exc:
            status = type(exc).__name__
        results.append((kind, time.monotonic() - started, status))
        if status != 200:
            failures[(kind, status)] += 1


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(results: list, failures: Counter, seconds: float, clients: int) -> None:
    print(f"clients {clients}, {seconds:g} s")
    print(f"{'kind':<13}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, latency, _ in results:
        by_kind[kind].append(latency)
    rows = sorted(by_kind.items()) + [("all", [r[1] for r in results])]
    for kind, latencies in rows:
        errors = sum(n for (k, _), n in failures.items() if kind in (k, "all"))
        print(f"{kind:<13}{len(latencies):>10}{errors:>8}{len(latencies) / seconds:>9.1f}"
              f"{percentile(latencies, 50) * 1000:>9.1f}{percentile(latencies, 99) * 1000:>9.1f}")
    for (kind, status), n in sorted(failures.items(), key=str):
        print(f"  error: {kind} {status} × {n}")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            pass
    return found


def _tree(pid: int) -> list[tuple[int, str]]:
    """The server's processes, each as "server" (it serves HTTP: the command itself, or with
    --processes the processes it forked) or "worker" (a query or validation worker)."""
    found, todo = [], [pid]
    while todo:
        each = todo.pop()
        try:
            command = Path(f"/proc/{each}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in command:
            found.append((each, "worker" if b"spawn_main" in command else "server"))
        todo += _children(each)
    return found


async def watch(base: str, server: int, stop: float, health: list, memory: dict) -> None:
    """``/healthz`` five times a second, and the memory of the server and its workers."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        last = 0.0
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                status = (await client.get("/healthz")).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            health.append((time.monotonic() - started, status))
            if started - last >= 1:
                last = started
                for pid, role in _tree(server):
                    memory[role] = max(memory.get(role, 0), resident(pid))
            await asyncio.sleep(max(0.0, 0.2 - (time.monotonic() - started)))


async def load(base: str, *, clients: int, seconds: float, timeout: float,
               server: int) -> None:
    results: list = []
    failures: Counter = Counter()
    health: list = []
    memory: dict = {}
    pool = [make_client(i, base, timeout) for i in range(clients)]  # before the clock starts
    try:
        started = time.monotonic()
        stop = started + seconds
        await asyncio.gather(watch(base, server, stop, health, memory),
                             *(run_client(i, client, stop, results, failures)
                               for i, client in enumerate(pool)))
        report(results, failures, time.monotonic() - started, clients)
        latencies = [h[0] for h in health]
        bad = sum(1 for h in health if h[1] != 200)
        print(f"/healthz: {len(health)} probes, {bad} not 200, p50 "
              f"{percentile(latencies, 50) * 1000:.1f} ms, p99 "
              f"{percentile(latencies, 99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")
        print(f"memory: server {memory.get('server', 0) / 2**20:.0f} MB, largest worker "
              f"{memory.get('worker', 0) / 2**20:.0f} MB")
    finally:
        for client in pool:
            await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="plankg serve --workers")
    parser.add_argument("--store", help="plankg serve --store (default: its own default)")
    parser.add_argument("--processes", type=int, default=2, help="plankg serve --processes "
                        "(default 2: one per core of the machine it was written for)")
    parser.add_argument("--cache-mb", type=int, default=None, help="plankg serve --cache-mb "
                        "(0: no answer cache)")
    parser.add_argument("--timeout", type=float, default=30.0, help="client timeout, seconds")
    args = parser.parse_args(argv)
    port = _port()
    with tempfile.TemporaryDirectory(prefix="plankg-bench-load-") as data:
        server = start_server(port=port, data=data, workers=args.workers, store=args.store,
                              processes=args.processes, cache_mb=args.cache_mb)
        try:
            base = f"http://127.0.0.1:{port}"
            for kind, path, params in (request_of(random.Random(i)) for i in range(40)):
                if kind != "upload":
                    httpx.get(base + path, params=params, timeout=60)  # warm the caches once
            run(load(base, clients=args.clients, seconds=args.seconds,
                             timeout=args.timeout, server=server.pid))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
