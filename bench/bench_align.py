"""Benchmark: aligning the 66-task seed plan against a 60-measure parent plan.

Run on demand (not a test):  python bench/bench_align.py [--runs 5]

The parent is the 35-measure fixture of tests/fixtures/alignment, extended to 60 measures by
repeating its first 25 under new numbers. Also printed: the calibration, i.e. the lowest score
of a correct rank-1 gold pair and the highest score any decoy reaches, against the threshold.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import statistics
import time
from pathlib import Path

from plankg.graph.align import THRESHOLD, align
from plankg.graph.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "alignment"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    child = parse_file(ROOT / "graph" / "sources" / "qinshui-2022-service-plan.md")
    parent = parse_file(FIXTURE / "province-2022.md")
    extra = [dataclasses.replace(m, number=m.number + len(parent.tasks))
             for m in parent.tasks[:60 - len(parent.tasks)]]
    big = dataclasses.replace(parent, tasks=parent.tasks + tuple(extra))
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        align(child, big, top=3)
        samples.append(time.perf_counter() - start)
    print(f"align {len(child.tasks)} tasks × {len(big.tasks)} measures: "
          f"median {statistics.median(samples) * 1000:.0f} ms over {runs} runs (goal < 2 s)")
    every = align(child, parent, top=len(parent.tasks), threshold=0.0)
    with open(FIXTURE / "gold.tsv", encoding="utf-8") as f:
        gold = {(int(r["county_task"]), int(r["province_measure"]))
                for r in csv.DictReader(f, delimiter="\t")}
    with open(FIXTURE / "decoys.tsv", encoding="utf-8") as f:
        decoys = {int(r["province_measure"]) for r in csv.DictReader(f, delimiter="\t")}
    gold_scores = [r.score for r in every if (r.child_task, r.parent_measure) in gold
                   and r.rank == 1]
    decoy_scores = [r.score for r in every if r.parent_measure in decoys]
    print(f"threshold {THRESHOLD}; lowest correct rank-1 gold score {min(gold_scores):.3f}; "
          f"highest decoy score {max(decoy_scores):.3f}")


if __name__ == "__main__":
    main()
