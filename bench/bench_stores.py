"""Benchmark: the three store backends side by side on synthetic corpora of growing size.

Run on demand (not a test):
    pip install -e '.[bench]' && python bench/bench_stores.py [--sizes 1e4,1e5,1e6]
        [--backends memory,oxigraph,oxigraph-disk,virtuoso] [--reps 15] [--budget 20]
        [--plot bench/results/stores.png] [--json bench/results/stores.json]

For each size, ``plankg synth`` writes a corpus (seed 1) as N-Quads; each backend (rdflib
memory; embedded Oxigraph, persistent in a temporary folder; a throwaway Virtuoso from Debian's
package) loads it with ``plankg load``'s code, gets ready as ``plankg serve`` does (Oxigraph
copies the store into memory; ``oxigraph-disk`` reads its files), then runs every named query
(parameters picked from the corpus itself) and answers the lineage and task endpoints over HTTP (the app served by
uvicorn on loopback, each request for a different task, so no answer comes from a cache, asked
from another process so that client and server do not share an interpreter lock). Each
measurement repeats ``--reps`` times or until ``--budget`` seconds are spent (at least once).
Printed: load time and p50/p99 per query, with the memory/Oxigraph ratio; a log-log plot of
p50 latency against size is drawn when matplotlib is installed.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plankg.graph.backends import open_store
from plankg.graph.queries import load_queries, records_on_store
from plankg.graph.store import GraphStore
from plankg.graph.synth import plans_for_triples, write_corpus


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(fn, *, reps: int, budget: float) -> list[float]:
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < reps and (not times or time.perf_counter() - started < budget):
        t = time.perf_counter()
        fn(len(times))
        times.append(time.perf_counter() - t)
    return times


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def _params(store: GraphStore) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    """Parameters for every named query, and (plan, task) pairs for the endpoints, read from
    the corpus: a county plan, its agency with most tasks, a sector, a cited document."""
    plans = records_on_store(store, "plans")
    with_tasks = [p for p in plans if p["tasks"]]
    county = next((p for p in with_tasks if p["level"] == "county"), with_tasks[-1])
    tasks = records_on_store(store, "tasks-by-agency", {
        "agency": records_on_store(store, "agency-workload")[0]["agency"]})
    sector = records_on_store(store, "sector-summary")[0]["sector"]
    pairs = [(p["number"], str(n)) for p in plans if p["tasks"]
             for n in range(1, min(int(p["tasks"]), 40) + 1)]
    params = {"task-lineage": {"number": "1", "plan": county["number"]},
              "tasks-by-agency": {"agency": records_on_store(store, "agency-workload")[0]["agency"]},
              "targets": {"sector": sector.rsplit("/", 1)[-1]},
              "citations": {"document": county["plan"]},
              "document-implementers": {"document": county["plan"]},
              "supersession": {"document": county["plan"]},
              "series-history": {"plan": county["number"]},
              "find-document": {"number": county["number"]}}
    assert tasks, "the corpus has no task for its busiest agency"
    return params, pairs


def _serve(store: GraphStore):
    import uvicorn

    from plankg.service.app import create_app
    port = _port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _named(only: frozenset[str]) -> list[str]:
    """The named queries to measure: every one, or those of ``--queries``."""
    return sorted(n for n in load_queries() if not only or n in only)


def _parse_ms(names: list[str]) -> dict[str, float]:
    """How long rdflib takes to parse each named query (best of three): part of every rdflib
    answer, since every backend is handed the query's text, as a SPARQL endpoint is."""
    from rdflib.plugins.sparql import prepareQuery

    from plankg.graph.iris import PREFIXES
    from plankg.graph.queries import named_query
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    found = {}
    for name in names:
        text = named_query(name).text
        found[name] = round(min(_timed(lambda _i, t=text: prepareQuery(t, initNs=prefixes),
                                       reps=3, budget=5)) * 1000, 1)
    return found


def _rdflib_child(conn, corpus: str, bound: dict, names: list[str], reps: int,
                  budget: float) -> None:  # runs in a child process
    """Load ``corpus`` into rdflib, then time each named query as the parent times the other
    backends (``records_on_store`` after the names are resolved: ``bound`` holds the terms),
    in this process, sending one result per query. The parsing times are measured here too,
    beside the store: in the parent they came out slower than the child's whole answers."""
    from plankg.graph.queries import named_query
    memory = open_store("memory")
    started = time.perf_counter()
    memory.load_file(corpus, fmt=ox.RdfFormat.N_QUADS)
    store = GraphStore(memory)
    load = time.perf_counter() - started
    conn.send(("ready", load, store.count(), _parse_ms(names)))
    for name in names:
        text = named_query(name).text
        times = _timed(lambda _i, t=text, b=bound[name]: store.select_records(t, substitutions=b),
                       reps=reps, budget=budget)
        conn.send((name, times))


def _capped(corpus: Path, params: dict, cap: float, *, catalog: GraphStore,
            names: list[str], reps: int, budget: float) -> tuple[dict, float, int, dict]:
    """rdflib on a large corpus: each named query timed in a child process (spawned) that is
    killed when one query runs past ``cap`` seconds, and started again for the next query, so
    that one slow query cannot stall the run. Names are resolved on ``catalog`` (an Oxigraph
    copy of the corpus) and passed as terms. Returns the timings, and the first child's load
    time, triple count and parsing times. (Not graph.workers.QueryPool: its answers come back serialized
    through a pipe, and the other backends are timed in-process.)"""
    import multiprocessing

    from plankg.graph.queries import _bindings, named_query
    context = multiprocessing.get_context("spawn")
    bound = {name: _bindings(catalog.catalog, named_query(name), params.get(name, {}))
             for name in names}
    found: dict = {}
    loaded: list = []
    todo = list(names)
    while todo:
        parent, child = context.Pipe()
        process = context.Process(target=_rdflib_child, daemon=True,
                                  args=(child, str(corpus), bound, todo, reps, budget))
        process.start()
        ready = parent.recv() if parent.poll(1800) else None
        if not ready or ready[0] != "ready":
            raise RuntimeError("rdflib did not load the corpus")
        loaded = loaded or list(ready[1:])
        while todo:
            name = todo[0]
            if not parent.poll(cap + budget):
                process.kill()
                process.join()
                found[name] = {"p50_ms": None, "p99_ms": None, "runs": 0, "over_s": cap}
                print(f"  memory    {name:45} over {cap:g} s (stopped)", flush=True)
                todo.pop(0)
                break
            got, times = parent.recv()
            assert got == name, (got, name)
            found[name] = {"p50_ms": round(_p(times, .5), 2), "p99_ms": round(_p(times, .99), 2),
                           "runs": len(times)}
            print(f"  memory    {name:45} p50 {_p(times, .5):10.1f} ms  ({len(times)} runs)",
                  flush=True)
            todo.pop(0)
        else:
            process.kill()
            process.join()
    return found, loaded[0], loaded[1], loaded[2]


CLIENT = """
import json, sys, time, httpx
base, paths, budget = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3])
times = []
with httpx.Client(base_url=base, timeout=600) as client:
    started = time.perf_counter()
    for i, (path, plan) in enumerate(paths):
        t = time.perf_counter()
        response = client.get(path, params={"plan": plan})
        assert response.status_code == 200, response.text
        if i:  # the first request also finds the newest plan (memoised after)
            times.append(time.perf_counter() - t)
        if i > 3 and time.perf_counter() - started > budget:
            break
print(json.dumps(times))
"""


def _client(base: str, paths: list, *, budget: float) -> list[float]:
    """Request ``paths`` one after the other from another process (the server runs in a
    thread of this one: a client here would share its interpreter lock)."""
    done = subprocess.run([sys.executable, "-c", CLIENT, base, json.dumps(paths), str(budget)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _measure(kind: str, spec: str, corpus: Path, *, reps: int, budget: float,
             cap: float | None = None, http_only: bool = False,
             only: frozenset[str] = frozenset(), skip_http: bool = False) -> dict:
    if cap is not None:  # rdflib at a size where single queries take minutes
        backend = open_store("oxigraph:memory")
        backend.load_file(corpus, fmt=ox.RdfFormat.N_QUADS)
        catalog = GraphStore(backend)
        params, _ = _params(catalog)
        names = _named(only)
        found, load, triples, parse = _capped(corpus, params, cap, catalog=catalog, names=names,
                                              reps=reps, budget=budget)
        return {"load_s": round(load, 2), "triples": triples, "parse_ms": parse,
                "queries": found}
    backend = open_store(spec)
    t = time.perf_counter()
    backend.load_file(corpus, fmt=ox.RdfFormat.N_QUADS)
    load = time.perf_counter() - t
    t = time.perf_counter()
    backend.warm()  # what `plankg serve` does before it listens (Oxigraph: the copy in memory)
    warm = time.perf_counter() - t
    store = GraphStore(backend)
    result = {"load_s": round(load, 2), "warm_s": round(warm, 2), "triples": store.count(),
              "queries": {}}
    if kind == "memory":
        result["parse_ms"] = _parse_ms(_named(only))
    params, pairs = _params(store)
    for name in [] if http_only else _named(only):
        values = params.get(name, {})
        times = _timed(lambda _i, n=name, v=values: records_on_store(store, n, v), reps=reps,
                       budget=budget)
        result["queries"][name] = {"p50_ms": round(_p(times, .5), 2),
                                   "p99_ms": round(_p(times, .99), 2), "runs": len(times)}
        print(f"  {kind:9} {name:45} p50 {_p(times, .5):10.1f} ms  ({len(times)} runs)",
              flush=True)
    if skip_http:
        backend.close()
        return result
    server, base = _serve(store)
    for endpoint in ("lineage", "task"):
        paths = [(f"/api/tasks/{n}/lineage" if endpoint == "lineage" else f"/api/tasks/{n}", p)
                 for p, n in (pairs[(i * 7919) % len(pairs)] for i in range(reps * 3 + 1))]
        times = _client(base, paths, budget=budget)
        result["queries"][f"HTTP {endpoint}"] = {
            "p50_ms": round(_p(times, .5), 2), "p99_ms": round(_p(times, .99), 2),
            "runs": len(times)}
        print(f"  {kind:9} {'HTTP ' + endpoint:45} p50 {_p(times, .5):10.1f} ms", flush=True)
    server.should_exit = True
    backend.close()
    return result


def _plot(results: dict, path: Path) -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot")
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    styles = {"memory": "tab:red", "oxigraph": "tab:blue", "oxigraph-disk": "tab:cyan",
              "virtuoso": "tab:green"}
    for ax, names in zip(axes, (["HTTP lineage", "HTTP task"],
                                ["agency-workload", "task-lineage", "targets"])):
        for kind, color in styles.items():
            for name, marker in zip(names, "os^"):
                xs, ys = [], []
                for size, by_kind in sorted(results.items(), key=lambda kv: int(kv[0])):
                    found = by_kind.get(kind, {}).get("queries", {}).get(name)
                    if found and found["p50_ms"] is not None:
                        xs.append(by_kind[kind]["triples"])
                        ys.append(found["p50_ms"])
                if xs:
                    ax.loglog(xs, ys, marker=marker, color=color, label=f"{kind}: {name}")
        ax.set_xlabel("triples")
        ax.set_ylabel("p50 latency (ms)")
        ax.grid(True, which="both", alpha=.3)
        ax.legend(fontsize=7)
    axes[0].set_title("point lookups over HTTP")
    axes[1].set_title("named queries")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    print(f"plot: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _cell(found: dict | None) -> str:
    if found is None:
        return "not measured"
    if found["p50_ms"] is None:
        return f"> {found['over_s']:g} s (stopped)"
    return f"{found['p50_ms']:g} / {found['p99_ms']:g}"


def _table(results: dict) -> None:
    for size, by_kind in sorted(results.items(), key=lambda kv: int(kv[0])):
        kinds = list(by_kind)
        print(f"\n### {by_kind[kinds[0]]['triples']:,} triples\n")
        peers = [k for k in ("oxigraph", "oxigraph-disk") if k in by_kind]
        parse = by_kind.get("memory", {}).get("parse_ms", {})
        extra = len(peers) + 1
        print("| | " + " | ".join(f"{k} p50 / p99 ms" for k in kinds)
              + "".join(f" | memory ÷ {k}" for k in peers) + " | of memory: rdflib's parse ms |")
        print("|---|" + "---|" * (len(kinds) + extra))
        print("| load (s) | " + " | ".join(str(by_kind[k]["load_s"]) for k in kinds)
              + " |" * extra + " |")
        print("| start (s) | " + " | ".join(str(by_kind[k].get("warm_s", "")) for k in kinds)
              + " |" * extra + " |")
        names = list(dict.fromkeys(n for k in kinds for n in by_kind[k]["queries"]))
        for name in names:
            cells = [_cell(by_kind[k]["queries"].get(name)) for k in kinds]
            ratios = [_ratio(by_kind.get("memory", {}).get("queries", {}).get(name),
                             by_kind[k]["queries"].get(name)) for k in peers]
            print(f"| {name} | " + " | ".join(cells + ratios) + f" | {parse.get(name, '')} |")


def _ratio(memory: dict | None, other: dict | None) -> str:
    """rdflib's p50 over another backend's (a lower bound when rdflib was stopped)."""
    if not memory or not other or other["p50_ms"] is None:
        return ""
    if memory["p50_ms"] is None:
        return f"> {memory['over_s'] * 1000 / max(other['p50_ms'], 0.01):.0f}×"
    return f"{memory['p50_ms'] / max(other['p50_ms'], 0.01):.0f}×"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6")
    parser.add_argument("--backends", default="memory,oxigraph,oxigraph-disk,virtuoso",
                        help="oxigraph answers from its copy in memory, as `plankg serve` "
                        "does (cache=memory); oxigraph-disk from its files (cache=disk)")
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--budget", type=float, default=20.0)
    parser.add_argument("--cap", type=float, default=60.0, help="at --cap-from triples and "
                        "more, rdflib runs each named query once, stopped after CAP seconds, "
                        "and the HTTP endpoints are not measured on it")
    parser.add_argument("--cap-from", type=float, default=1e6)
    parser.add_argument("--http-only", action="store_true", help="only the HTTP endpoints")
    parser.add_argument("--queries", default="", help="only these named queries (comma-separated)"
                        "; the HTTP endpoints are then skipped")
    parser.add_argument("--plot", type=Path, default=ROOT / "bench" / "results" / "stores.png")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "stores.json")
    args = parser.parse_args()
    results: dict = {}
    only = frozenset(q for q in args.queries.split(",") if q)
    with tempfile.TemporaryDirectory(prefix="plankg-bench-") as folder:
        for size in (int(float(s)) for s in args.sizes.split(",")):
            corpus = Path(folder) / f"corpus-{size}.nq"
            plans = plans_for_triples(size)
            t = time.perf_counter()
            quads = write_corpus(corpus, plans=plans, seed=1, fmt="nq")
            print(f"\n{size:,}: {plans} plans, {quads:,} quads written in "
                  f"{time.perf_counter() - t:.1f} s", flush=True)
            results[str(size)] = {}
            for kind in args.backends.split(","):
                with ExitStack() as stack:
                    if kind == "memory":
                        spec = "memory"
                    elif kind in ("oxigraph", "oxigraph-disk"):
                        cache = "disk" if kind == "oxigraph-disk" else "memory"
                        spec = f"oxigraph:{Path(folder) / f'{kind}-{size}'};cache={cache}"
                    else:
                        from tests.virtuoso import throwaway_virtuoso
                        spec = stack.enter_context(throwaway_virtuoso()).spec
                    cap = args.cap if kind == "memory" and size >= args.cap_from else None
                    try:
                        results[str(size)][kind] = _measure(kind, spec, corpus, reps=args.reps,
                                                            budget=args.budget, cap=cap,
                                                            http_only=args.http_only,
                                                            only=only, skip_http=bool(only))
                    except Exception as exc:  # noqa: BLE001 - one backend failing ends no run
                        print(f"  {kind}: FAILED: {exc}", flush=True)
                        continue
                    args.json.parent.mkdir(parents=True, exist_ok=True)
                    args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
                    print(f"  {kind}: loaded {results[str(size)][kind]['triples']:,} triples "
                          f"in {results[str(size)][kind]['load_s']} s", flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    _table(results)
    _plot(results, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
