"""Benchmark: ``plankg diff`` on rewritten plan years, against hand-made tables, and its time.

Run on demand (not a test):  python bench/bench_diff.py [--runs 10]

For each rewrite in ``tests/fixtures/diff/rewrites`` and ``heldout`` (a next-year plan written with reworded
headings, merges, splits, new sub-sectors and moved targets, with the true pairs and target
changes worked out by hand): pair precision and recall, and the share of target changes found.
Then the time of a diff of two 66-task plans (the seed plan against itself, both parsed from
their files), median of ``--runs``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plankg.graph.cli.diff_cmd import load_plan_graph
from plankg.graph.diff import diff_plans
from tests.diffeval import read_truth, score_diff

DIFF = ROOT / "tests" / "fixtures" / "diff"
SEED = ROOT / "graph" / "sources" / "qinshui-2022-service-plan.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--verbose", action="store_true", help="list every wrong pair")
    args = parser.parse_args()
    print("| rewrite | true pairs | found | precision | recall | target changes found |")
    print("|---|---:|---:|---:|---:|---:|")
    for new in [*sorted((DIFF / "rewrites").glob("*-rewrite.md")),
                *sorted((DIFF / "heldout").glob("*-rewrite.md"))]:
        old, pairs, targets = read_truth(new.with_suffix(""))
        diff = diff_plans(*load_plan_graph(str(ROOT / old)), *load_plan_graph(str(new)))
        s = score_diff(diff, pairs, targets, name=new.stem)
        print(f"| {new.parent.name}/{new.stem} | {s.pairs_true} | {s.pairs_found} | {s.precision:.3f} | "
              f"{s.recall:.3f} | {s.targets_found}/{s.targets_true} |")
        if args.verbose:
            for line in s.wrong:
                print(f"    {line}")
    graph = load_plan_graph(str(SEED))
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        diff_plans(*graph, *graph)
        times.append(time.perf_counter() - started)
    print(f"\ndiff of two 66-task plans: {statistics.median(times) * 1000:.0f} ms (median of "
          f"{args.runs})")


if __name__ == "__main__":
    main()
