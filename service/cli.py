"""The ``plankg`` command: every command of :mod:`plankg.graph.cli`, plus ``serve``.

``serve`` lives here because the graph package never imports the service.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from plankg.graph import cli as graph_cli
from plankg.graph.errors import PlanKGError

__all__ = ["main"]


def _number(kind: type, *, least: float, variable: str | None = None):
    """An argparse ``type`` for a finite number ≥ ``least`` whose error says what is wrong, in
    Chinese and English, and where it came from (the option, or the environment variable that
    gave its default: argparse converts a string default as it converts an argument)."""
    zh_kind, en_kind = ("整数", "whole number") if kind is int else ("数", "number")
    zh_from = f"（或环境变量 {variable}）" if variable else ""
    en_from = f" (or the environment variable {variable})" if variable else ""

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value < least:
            raise argparse.ArgumentTypeError(
                f"须为不小于 {least:g} 的{zh_kind}{zh_from}，而不是 {text!r} / must be a "
                f"{en_kind} ≥ {least:g}{en_from}, not {text!r}")
        return value
    return convert


def _parser():
    parser = graph_cli._parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    serve = sub.add_parser("serve", help="启动 SPARQL 端点和 JSON API / serve the SPARQL "
                           "endpoint and the JSON API (http://127.0.0.1:8000)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_number(int, least=0), default=8000)
    serve.add_argument("--release", type=Path, help="要服务的 TriG 文件（默认：已构建的图）/ "
                       "TriG file to serve (default: the built graph)")
    serve.add_argument("--store", help="存储：memory、oxigraph[:PATH]、sparql:URL（默认 "
                       "PLANKG_STORE，否则数据目录中的 Oxigraph）/ the store (default: "
                       "PLANKG_STORE, else embedded Oxigraph in the data folder)")
    serve.add_argument("--wait", type=_number(float, least=0), default=60.0,
                       help="存储不可达时重试的秒数 / seconds to keep retrying an unreachable "
                       "store at start-up")
    serve.add_argument("--timeout", type=_number(float, least=0.001,
                                                  variable="PLANKG_QUERY_TIMEOUT"),
                       default=os.environ.get("PLANKG_QUERY_TIMEOUT", "10"),
                       help="SPARQL 查询时限（秒，默认 10）/ time limit of a SPARQL query in "
                       "seconds (default 10, or PLANKG_QUERY_TIMEOUT): past it the query is "
                       "stopped and the client gets 503")
    serve.add_argument("--forwarded-allow-ips", default=None, metavar="IPS",
                       help="信任其 X-Forwarded-For 的代理地址（逗号分隔；默认不信任任何）/ the "
                       "proxies whose X-Forwarded-For is trusted (comma-separated; none by "
                       "default)")
    serve.add_argument("--workers", type=_number(int, least=0), default=2,
                       help="执行 SPARQL 查询的进程数 / worker processes for users' SPARQL "
                       "queries (0: run them in threads, without a time limit); each server "
                       "process has its own")
    serve.add_argument("--processes", type=_number(int, least=1, variable="PLANKG_PROCESSES"),
                       default=os.environ.get("PLANKG_PROCESSES", "1"),
                       help="服务进程数（共用一个端口）/ server processes sharing the port "
                       "(default 1, or PLANKG_PROCESSES); about one per core")
    serve.add_argument("--cache-mb", type=_number(int, least=0, variable="PLANKG_CACHE_MB"),
                       default=os.environ.get("PLANKG_CACHE_MB", "256"),
                       help="每个服务进程的答案缓存（MB，0 为不缓存）/ answer cache of each "
                       "server process in MB (default 256, or PLANKG_CACHE_MB; 0: none)")
    serve.add_argument("--max-age", type=_number(int, least=0, variable="PLANKG_MAX_AGE"),
                       default=os.environ.get("PLANKG_MAX_AGE", "0"),
                       help="浏览器和代理可不经询问保留答案的秒数（默认 0：每次以 ETag 询问）/ "
                       "seconds browsers and proxies may keep an answer without asking "
                       "(default 0: they revalidate with the ETag each time)")
    return parser


def _open(spec: str | None, *, release: Path | None, wait: float):
    """Open the store and make sure it holds the release; retry an unreachable store."""
    from plankg.graph.backends import open_store
    from plankg.graph.errors import StoreUnavailableError
    from plankg.graph.load import ensure_release

    deadline = time.monotonic() + wait
    delay = 0.5
    while True:
        backend = open_store(spec)
        try:
            done = ensure_release(backend, release=release)
            return backend, done
        except StoreUnavailableError as exc:
            backend.close()
            if time.monotonic() + delay > deadline:
                raise
            print(f"plankg: {exc}; retrying in {delay:g} s", file=sys.stderr, flush=True)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)


def _pool(backend, *, release: Path | None, workers: int, timeout: float):
    """Killable workers over the same store: a persistent Oxigraph store is opened read-only by
    each; an in-memory one is filled from the same release. A SPARQL server has its own limits
    (and our client's timeout), so it gets none."""
    from plankg.graph.load import release_file
    from plankg.graph.workers import QueryPool, WorkerSpec

    if workers <= 0 or backend.kind == "sparql":
        return None
    if backend.kind == "oxigraph" and backend.path is not None:
        worker = WorkerSpec(f"oxigraph:{backend.path};cache=disk")  # one copy in memory is enough
    else:
        worker = WorkerSpec("oxigraph:memory" if backend.kind == "oxigraph" else "memory",
                            release=release or release_file())
    return QueryPool(worker, size=workers, timeout=timeout)


def _validation_pool(*, workers: int, timeout: float):
    """One killable, memory-limited worker for uploads to validate (none with --workers 0)."""
    from plankg.graph.workers import QueryPool, WorkerSpec

    if workers <= 0:
        return None
    return QueryPool(WorkerSpec("memory"), size=1, timeout=max(timeout, 60.0))


def serve(*, host: str, port: int, release: Path | None, store: str | None,
          wait: float, timeout: float, workers: int, forwarded_allow_ips: str | None = None,
          processes: int = 1, cache_mb: int = 256, max_age: int = 0) -> int:
    import uvicorn

    from .cache import CacheSettings

    settings = CacheSettings(capacity=max(cache_mb, 0) * 2**20, max_age=max(max_age, 0))
    # forwarded headers are trusted only from the proxies named (none by default)
    config = {"host": host, "port": port, "log_level": "warning",
              "proxy_headers": bool(forwarded_allow_ips),
              "forwarded_allow_ips": forwarded_allow_ips or ""}
    opening = {"store": store, "release": release, "wait": wait}
    if processes <= 1:
        return _serve_one(config, opening, settings, workers=workers, timeout=timeout)
    from .processes import listen, serve_processes

    if _prepared(opening) != 0:  # the release loaded once, before any process reads the store
        return 2
    sock = listen(uvicorn.Config(app=None, **config))
    generation = f"release-{uuid.uuid4().hex}"  # shared by processes that each load it

    def child(index: int) -> int:
        return _serve_one(config, opening, settings, workers=workers, timeout=timeout,
                          sockets=[sock], generation=generation, quiet=index > 0)
    print(f"plankg: {processes} server processes on http://{host}:{port}", flush=True)
    return serve_processes(child, processes=processes)


def _prepare(opening: dict) -> None:  # runs in a process of its own
    try:
        backend, _ = _open(opening["store"], release=opening["release"], wait=opening["wait"])
    except PlanKGError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr, flush=True)
        sys.exit(2)
    backend.close()


def _prepared(opening: dict) -> int:
    """Make the store hold the release, in a process of its own: the parent of the server
    processes must open no store (see :mod:`plankg.service.processes`)."""
    import multiprocessing
    process = multiprocessing.get_context("spawn").Process(target=_prepare, args=(opening,))
    process.start()
    process.join()
    return process.exitcode


def _serve_one(config: dict, opening: dict, settings, *, workers: int, timeout: float,
               sockets=None, generation: str | None = None, quiet: bool = False) -> int:
    """One server process: open the store, start its workers, serve until stopped."""
    import uvicorn

    from plankg.graph.store import GraphStore

    from .app import create_app

    def say(text: str) -> None:
        if not quiet:
            print(text, flush=True)

    backend, done = _open(opening["store"], release=opening["release"], wait=opening["wait"])
    where = getattr(backend, "path", None) or getattr(getattr(backend, "spec", None), "query", "")
    say(f"plankg: store {backend.kind} {where or ''} ({done})")
    warmed = backend.warm()
    if warmed:
        say(f"plankg: {warmed}")
    store_ = GraphStore(backend, generation=generation)
    _ = (store_.count(), len(store_.graph_names))  # read once now: /healthz never waits
    if workers <= 0 and not quiet:
        print("plankg: --workers 0 runs queries in this process, without a time or memory "
              "limit: for tests only", file=sys.stderr, flush=True)
    release = opening["release"]
    pool = _pool(backend, release=release, workers=workers, timeout=timeout)
    checker = _validation_pool(workers=workers, timeout=timeout)
    app = create_app(store_, pool=pool, cache=settings)
    app.state.validation_pool = checker
    say(f"plankg: http://{config['host']}:{config['port']}/sparql  "
        f"http://{config['host']}:{config['port']}/docs")
    server = uvicorn.Server(uvicorn.Config(app, **config))
    try:
        with _stopped_by_signals(server):
            server.run(sockets=sockets)  # a port in use: uvicorn says so and exits 3
    finally:
        for each in (pool, checker):
            if each is not None:
                each.close()
    return 0


@contextmanager
def _stopped_by_signals(server) -> Iterator[None]:
    """SIGTERM and SIGINT stop ``server``; ``serve`` then closes its workers and returns 0.

    uvicorn handles both signals while it runs, and once stopped raises the signal again for
    the handler it found. With Python's default handlers that killed the process on SIGTERM
    before the workers were closed (status 143, and each worker printed an ``EOFError``
    traceback as its pipe broke), and turned SIGINT into a ``KeyboardInterrupt``. This handler
    only asks the server to stop (a second SIGINT forces it), also before uvicorn listens."""
    def stop(signum, frame) -> None:
        if server.should_exit and signum == signal.SIGINT:
            server.force_exit = True
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(args_list)
    if args.command != "serve":
        return graph_cli.main(args_list)
    try:
        return serve(host=args.host, port=args.port, release=args.release, store=args.store,
                     wait=args.wait, timeout=args.timeout, workers=args.workers,
                     forwarded_allow_ips=args.forwarded_allow_ips, processes=args.processes,
                     cache_mb=args.cache_mb, max_age=args.max_age)
    except PlanKGError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
