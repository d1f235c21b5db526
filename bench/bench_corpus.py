"""Benchmark: documents as published, parsed and checked against their hand-made gold.

Run on demand (not a test):  python bench/bench_corpus.py [--runs 20] [--out bench/results/corpus.md]

For each document of the real corpus beside the project (``shared/corpus/real``) and of our own
fictional fixtures (``tests/fixtures/national``): whether it reads (``plankg validate`` exit
status), the measures found against the gold's (numbers and headings exactly, framing items
kept out), the header facts (number, title, issuer, date, level), the cited numbers, the
agency-role precision, recall and F1, the 等 notes, the violations validation reports, and
the parse time (median of ``--runs`` parses, registry loaded once). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plankg.graph.cli import main as cli
from plankg.graph.errors import PlanKGError
from plankg.graph.parse import parse_file
from plankg.graph.registry import load_registry
from plankg.graph.validate import validate_plan
from tests.gold import REAL_CORPUS, gold_pairs, load_gold, score

HEADER = ("| document | exit | measures (found/gold) | exact | framing | header | cites | "
          "agency-role P / R / F1 | 等 notes | violations | parse ms (median) |")


def _exit_status(path: Path) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return cli(["validate", str(path)])


def _parse_ms(path: Path, runs: int) -> float:
    registry = load_registry()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_file(path, registry=registry)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _row(doc: Path, gold: Path, runs: int) -> str:
    status = _exit_status(doc)
    try:
        plan = parse_file(doc)
    except PlanKGError as exc:  # a document that does not read is a row too
        return f"| {doc.stem} | {status} | error: {exc} | | | | | | | | |"
    result = score(plan, load_gold(gold), name=doc.name)
    violations = len(validate_plan(plan).violations)
    yes = {True: "yes", False: "**no**"}
    return (f"| {doc.stem} | {status} | {result.measures_found}/{result.measures_gold} | "
            f"{yes[result.measures_exact]} | {result.framing_found}/{result.framing_gold} | "
            f"{yes[result.header_exact]} | {yes[result.cites_exact]} | "
            f"{result.precision:.3f} / {result.recall:.3f} / {result.f1:.3f} | "
            f"{result.notes_found}/{result.notes_gold} | {violations} | "
            f"{_parse_ms(doc, runs):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    lines = [HEADER, "|---|---:|---:|---|---:|---|---|---|---:|---:|---:|"]
    folders = [("real", REAL_CORPUS), ("own", ROOT / "tests" / "fixtures" / "national")]
    for kind, folder in folders:
        if not folder.is_dir():
            print(f"({kind}: {folder} not found, skipped)", file=sys.stderr)
            continue
        for doc, gold in gold_pairs(folder):
            lines.append(_row(doc, gold, args.runs).replace(f"| {doc.stem} |",
                                                             f"| {kind}: {doc.stem} |", 1))
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
