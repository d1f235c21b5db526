"""``plankg synth``: write a synthetic corpus (:mod:`plankg.graph.synth`) for benchmarks."""

from __future__ import annotations

import argparse
import sys
import time

from ..errors import PlanKGError, StoreError

__all__ = ["run_synth"]


def run_synth(args: argparse.Namespace) -> int:
    from ..synth import FORMATS, MAX_PLANS, plans_for_triples, write_corpus

    fmt = "nq" if args.out is None else args.out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise StoreError(f"不支持的输出格式：{args.out.name}（请用 .trig 或 .nq）",
                         f"cannot write {args.out.name}: use .trig or .nq")
    plans = args.plans if args.plans is not None else plans_for_triples(args.triples)
    if not 1 <= plans <= MAX_PLANS:
        raise PlanKGError(f"规划数应在 1 到 {MAX_PLANS} 之间（约 2.2·10⁷ 个三元组）",
                          f"the number of plans is between 1 and {MAX_PLANS} (about 2.2·10⁷ "
                          "triples)")
    start = time.perf_counter()
    quads = write_corpus(args.out, plans=plans, seed=args.seed, fmt=fmt)
    seconds = time.perf_counter() - start
    # with no --out the corpus goes to standard output, so the summary goes to standard error
    report = sys.stderr if args.out is None else sys.stdout
    if args.out is not None:
        print(f"已写出 / wrote {args.out}", file=report)
    print(f"规划 / plans: {plans}；三元组（各命名图合计）/ triples (over all named graphs): "
          f"{quads:,}；用时 / time: {seconds:.2f} s（{quads / max(seconds, 1e-9):,.0f}/s）",
          file=report)
    return 0
