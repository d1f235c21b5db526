"""The aligner: for each task of a child plan, rank the measures of a parent plan it may carry out.

Three signals, in this order of strength:

1. an explicit citation of the parent document by the child task (method ``citation``);
2. similarity of heading and text, suited to Chinese without a word segmenter: TF-IDF over
   character bigrams, cosine, the heading weighted above the text (``text``);
3. overlap of the child task's agencies, mapped to their counterparts at the parent's level
   (对口部门, ``graph/registries/counterparts.csv``), with the parent measure's agencies
   (``agencies``).

A pair scores below the threshold gets no link at all. The threshold and the weights were set on
the fixture in ``tests/fixtures/alignment`` (gold pairs and decoys); the test reports precision@1
and recall there.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .model import Plan, Task
from .paths import registries_dir
from .registry import Registry, load_registry

__all__ = ["THRESHOLD", "AlignmentRow", "align", "load_counterparts", "text_scores"]

THRESHOLD = 0.30
HEADING, TEXT, AGENCIES, CITATION = 0.55, 0.30, 0.15, 0.5
METHOD = "tfidf-char-bigram heading+text, agency counterparts"


@dataclass(frozen=True)
class AlignmentRow:
    child_task: int
    parent_measure: int
    parent_section: int
    rank: int
    score: float
    method: str
    child_heading: str
    parent_heading: str


def _grams(text: str) -> list[str]:
    text = re.sub(r"[\s，。、；：“”‘’（）《》〔〕()\[\]【】0-9a-zA-Z%.,;:!?]+", "", text)
    return [text[i:i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


class _TfIdf:
    """TF-IDF vectors over character bigrams, fitted on both plans' texts."""

    def __init__(self, documents: Sequence[str]) -> None:
        counts = Counter(g for doc in documents for g in set(_grams(doc)))
        total = len(documents)
        self.idf = {g: math.log((1 + total) / (1 + n)) + 1 for g, n in counts.items()}

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(_grams(text))
        vec = {g: n * self.idf.get(g, 1.0) for g, n in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())


@cache
def _counterpart_rows() -> tuple[dict[str, str], ...]:
    text = registries_dir().joinpath("counterparts.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


@cache
def load_counterparts() -> dict[str, frozenset[str]]:
    """Agency reference → the names of its counterparts at other levels."""
    found: dict[str, set[str]] = {}
    for row in _counterpart_rows():
        found.setdefault(row["agency"], set()).add(row["counterpart"])
    return {k: frozenset(v) for k, v in found.items()}


def counterparts_of(refs) -> list[dict[str, str]]:
    """The counterparts (对口部门) of agencies, with their level and source, for lineage answers.

    >>> counterparts_of(["140521/finance"])[0]["counterpart"]
    '省财政厅'
    """
    wanted = list(refs)
    rows = [dict(row) for row in _counterpart_rows() if row["agency"] in wanted]
    return sorted(rows, key=lambda r: (wanted.index(r["agency"]), r["counterpart"]))


def _mapped_agencies(task: Task) -> set[str]:
    counterparts = load_counterparts()
    names: set[str] = set()
    for a in task.assignments:
        names |= counterparts.get(a.agency_key or "", frozenset())
    return names


def _agency_overlap(child: Task, parent: Task) -> float:
    mapped = _mapped_agencies(child)
    theirs = {a.as_written for a in parent.assignments}
    if not mapped or not theirs:
        return 0.0
    return len(mapped & theirs) / len(theirs)


def text_scores(left: Sequence[tuple[str, str]],
                right: Sequence[tuple[str, str]]) -> list[list[float]]:
    """``HEADING`` × cosine of the headings + ``TEXT`` × cosine of the texts, for every
    (heading, text) of ``left`` against every one of ``right``; the TF-IDF model is fitted on
    the texts of both sides.

    >>> [[round(s, 2) for s in row] for row in text_scores(
    ...     [("发展网络货运", "支持运输企业转型网络货运。")],
    ...     [("发展网络货运", "引导运输企业转型网络货运。"), ("培育夜间经济", "打造夜间消费街区。")])]
    [[0.77, 0.0]]
    """
    model = _TfIdf([text for _, text in (*left, *right)])
    theirs = [(model.vector(heading), model.vector(text)) for heading, text in right]
    scores = []
    for heading, text in left:
        mine_heading, mine_text = model.vector(heading), model.vector(text)
        scores.append([HEADING * _cosine(mine_heading, h) + TEXT * _cosine(mine_text, t)
                       for h, t in theirs])
    return scores


def align(child: Plan, parent: Plan, *, top: int = 3, threshold: float = THRESHOLD,
          registry: Registry | None = None) -> list[AlignmentRow]:
    """The ``top`` best parent measures of every child task, best first; none below
    ``threshold``."""
    registry = registry or load_registry()
    texts = text_scores([(t.heading, t.text) for t in child.tasks],
                        [(m.heading, m.text) for m in parent.tasks])
    cites_parent = {t.number for t in child.tasks for c in t.citations
                    if parent.number is not None and c.number == parent.number}
    rows: list[AlignmentRow] = []
    for task, task_texts in zip(child.tasks, texts):
        scored = []
        for measure, text_score in zip(parent.tasks, task_texts):
            score = text_score + AGENCIES * _agency_overlap(task, measure)
            method = METHOD
            if task.number in cites_parent:
                score, method = score + CITATION, "citation; " + METHOD
            scored.append((round(score, 4), measure, method))
        scored.sort(key=lambda s: (-s[0], s[1].number))
        for rank, (score, measure, method) in enumerate(scored[:top], 1):
            if score >= threshold:
                rows.append(AlignmentRow(task.number, measure.number, measure.section, rank,
                                         score, method, task.heading, measure.heading))
    return rows
