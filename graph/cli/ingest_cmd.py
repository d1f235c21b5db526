"""``plankg ingest FILE``: a parent document as graphs (its measures, and their alignment with a
child plan), written as TriG or loaded into a store."""

from __future__ import annotations

import argparse
import sys

from rdflib import Graph

__all__ = ["run_ingest"]


def _summary(graphs: dict[str, Graph], *, child: str) -> str:
    from ..iris import PK, RDF

    measures = sum(1 for g in graphs.values() for _ in g.subjects(RDF.type, PK.Measure))
    links = sum(1 for g in graphs.values() for _ in g.subjects(RDF.type, PK.Alignment))
    accepted = sum(1 for g in graphs.values() for _ in g.subject_objects(PK.implementsMeasure))
    return (f"{measures} 条措施，{links} 条与 {child} 任务的对应（{accepted} 条已接受）/ "
            f"{measures} measures, {links} links from the tasks of {child} ({accepted} accepted)")


def run_ingest(args: argparse.Namespace) -> int:
    from ..errors import StoreError
    from ..ingest import ingest, newest_county_plan, to_trig

    child = args.child or newest_county_plan()
    graphs = ingest(args.file, child=child, review=args.review)
    summary = _summary(graphs, child=child)
    if args.store:
        from ..backends import open_store
        from ..load import load_graphs, sha256
        backend = open_store(args.store)
        try:
            load_graphs(backend, graphs, writer="ingest", source=args.file.name,
                        content=sha256(args.file.read_bytes()))
        finally:
            backend.close()
        summary += f"; 已载入 / loaded into {args.store}"
    if args.out:
        try:
            args.out.write_bytes(to_trig(graphs))
        except OSError as exc:
            raise StoreError(f"无法写出 {args.out}（{exc.strerror}）",
                             f"cannot write {args.out} ({exc.strerror})") from None
        summary += f"; 已写出 / written to {args.out}"
    if not args.out and not args.store:
        print(to_trig(graphs).decode("utf-8"), end="")
    print(summary, file=sys.stderr)
    return 0
