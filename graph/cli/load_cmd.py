"""``plankg load``: push built graphs (the release, or TriG / N-Quads files) into a store."""

from __future__ import annotations

import argparse
import time

from ..backends import open_store
from ..load import ensure_release, load_files, release_file

__all__ = ["run_load"]


def run_load(args: argparse.Namespace) -> int:
    backend = open_store(args.store)
    try:
        started = time.perf_counter()
        if args.files:
            names = load_files(backend, args.files)
            done = f"{len(names)} graphs"
        else:
            done = ensure_release(backend, release=None) if args.if_needed else \
                f"{len(load_files(backend, [release_file()], writer='release'))} graphs"
        seconds = time.perf_counter() - started
        print(f"载入 / loaded into {backend.kind}: {done}, {backend.count()} triples, "
              f"{seconds:.2f} s")
    finally:
        backend.close()
    return 0

