"""Scoring ``plankg diff`` against hand-made tables of the true task pairs and target changes
(``tests/fixtures/diff/rewrites/*.pairs.tsv`` and ``*.targets.tsv``): used by the tests and by
``bench/bench_diff.py``, which prints the figures quoted in the README."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from plankg.graph.diff import PlanDiff

__all__ = ["DiffScore", "read_truth", "score_diff"]


def _rows(path: Path) -> tuple[str, list[dict[str, str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    old = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("# old:")), "")
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    return old, list(csv.DictReader(body, delimiter="\t"))


def read_truth(stem: Path) -> tuple[str, set[tuple[int, int]], list[dict[str, str]]]:
    """The old plan's file, the true (old task, new task) pairs, the true target changes."""
    old, pairs = _rows(stem.with_name(stem.name + ".pairs.tsv"))
    _, targets = _rows(stem.with_name(stem.name + ".targets.tsv"))
    return old, {(int(r["old_task"]), int(r["new_task"])) for r in pairs}, targets


def _task(value: str) -> int | None:
    return None if value.strip() in ("goal", "") else int(value)


@dataclass
class DiffScore:
    name: str
    pairs_true: int
    pairs_found: int
    pairs_right: int
    targets_true: int
    targets_found: int
    wrong: list[str]

    @property
    def precision(self) -> float:
        return self.pairs_right / self.pairs_found if self.pairs_found else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_right / self.pairs_true if self.pairs_true else 1.0


def score_diff(diff: PlanDiff, pairs: set[tuple[int, int]], targets: list[dict[str, str]], *,
               name: str = "") -> DiffScore:
    found = {(c.old, c.new) for c in (*diff.carried, *diff.merged, *diff.split)}
    changes = {(t.old_task, t.new_task, t.unit, t.old, t.new) for t in (*diff.targets, *diff.goals)}
    hit = 0
    wrong = [f"false pair {p}" for p in sorted(found - pairs)]
    wrong += [f"missed pair {p}" for p in sorted(pairs - found)]
    for t in targets:
        key = (_task(t["old_task"]), _task(t["new_task"]), t["unit"], float(t["old_value"]),
               float(t["new_value"]))
        if key in changes:
            hit += 1
        else:
            wrong.append(f"missed target change {t['indicator']} {key}")
    return DiffScore(name, len(pairs), len(found), len(found & pairs), len(targets), hit, wrong)
