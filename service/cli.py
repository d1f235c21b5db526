"""The ``plankg`` command: every command of :mod:`graph.cli`, plus ``serve``.

``serve`` lives here because the graph package never imports the service.
"""

from __future__ import annotations

import sys
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
    return parser


def serve(*, host: str, port: int, release: Path | None) -> int:
    import uvicorn

    from graph.publish import load_release
    from graph.store import GraphStore

    from .app import create_app

    store = GraphStore(load_release(release))
    print(f"plankg: http://{host}:{port}/sparql  http://{host}:{port}/docs", flush=True)
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(args_list)
    if args.command != "serve":
        return graph_cli.main(args_list)
    try:
        return serve(host=args.host, port=args.port, release=args.release)
    except PlanKGError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
