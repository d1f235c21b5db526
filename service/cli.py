"""The ``plankg`` command: every command of :mod:`graph.cli`, plus ``serve``.

``serve`` lives here because the graph package never imports the service.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from graph import cli as graph_cli
from graph.errors import PlanKGError

__all__ = ["main"]


def _parser():
    parser = graph_cli._parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    serve = sub.add_parser("serve", help="启动 SPARQL 端点和 JSON API / serve the SPARQL "
                           "endpoint and the JSON API (http://127.0.0.1:8000)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--release", type=Path, help="要服务的 TriG 文件（默认：已构建的图）/ "
                       "TriG file to serve (default: the built graph)")
    serve.add_argument("--store", help="存储：memory、oxigraph[:PATH]、sparql:URL（默认 "
                       "PLANKG_STORE，否则数据目录中的 Oxigraph）/ the store (default: "
                       "PLANKG_STORE, else embedded Oxigraph in the data folder)")
    serve.add_argument("--wait", type=float, default=60.0, help="存储不可达时重试的秒数 / "
                       "seconds to keep retrying an unreachable store at start-up")
    return parser


def _open(spec: str | None, *, release: Path | None, wait: float):
    """Open the store and make sure it holds the release; retry an unreachable store."""
    from graph.backends import open_store
    from graph.errors import StoreUnavailableError
    from graph.load import ensure_release

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


def serve(*, host: str, port: int, release: Path | None, store: str | None,
          wait: float) -> int:
    import uvicorn

    from graph.store import GraphStore

    from .app import create_app

    backend, done = _open(store, release=release, wait=wait)
    store_ = GraphStore(backend)
    where = getattr(backend, "path", None) or getattr(getattr(backend, "spec", None), "query", "")
    print(f"plankg: store {backend.kind} {where or ''} ({done})", flush=True)
    print(f"plankg: http://{host}:{port}/sparql  http://{host}:{port}/docs", flush=True)
    uvicorn.run(create_app(store_), host=host, port=port, log_level="warning")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(args_list)
    if args.command != "serve":
        return graph_cli.main(args_list)
    try:
        return serve(host=args.host, port=args.port, release=args.release, store=args.store,
                     wait=args.wait)
    except PlanKGError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
