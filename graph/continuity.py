"""Which task of a new plan year continues which task of the last, from several signals.

Next year's plan rarely copies this year's headings: it rewords them, merges and splits tasks,
renumbers, moves tasks under new sub-sector headings. So a pair is scored by the text and by
the signals that survive rewording:

=============  ===============================================================  ========
signal         what                                                              weight
=============  ===============================================================  ========
text           TF-IDF over character bigrams, heading and text (0–1)             1
indicator      a target of the same indicator and unit in both (bigram Dice)     0.35
cites          a document cited by both                                          0.15
agencies       the lead and responsible agencies in common (Jaccard)             0.10
sector         the same sector                                                   0.08
=============  ===============================================================  ========

A pair needs some evidence of its own (text of at least :data:`TEXT_FLOOR`, or a shared
indicator, or a shared citation: a sector and agencies alone never pair two tasks) and a score
of :data:`MATCH`. The pairing is solved for the whole plan at once (:mod:`plankg.graph.assignment`),
so one strong pair does not take a task from a better whole. Then a task left over that scores
:data:`MERGE` with a paired one is reported with it: two old tasks merged into one new, or one
old task split into two.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .align import HEADING, TEXT, cosine_pairs, heading_weight, measure_score, substantive_grams
from .assignment import best_pairs
from .similarity import indicator_similarity

__all__ = ["MATCH", "MERGE", "Link", "link_tasks"]

MATCH = 0.20
MERGE = 0.25
TEXT_FLOOR = 0.10
DOMINANCE = 2.0
INDICATOR_MATCH = 0.5
WEIGHTS = {"indicator": 0.35, "cites": 0.15, "agencies": 0.10, "sector": 0.08}


@dataclass(frozen=True)
class Link:
    """Old task ``old`` continued by new task ``new`` (indexes into the records)."""

    old: int
    new: int
    score: float
    signals: tuple[str, ...]
    kind: str = "continues"  # or merge (two old, one new) or split (one old, two new)


def _indicator(old: dict, new: dict) -> tuple[float, str]:
    best, name = 0.0, ""
    for a in old["targets"]:
        for b in new["targets"]:
            if a["unit"] == b["unit"]:
                score = indicator_similarity(a["indicator"], b["indicator"])
                if score > best:
                    best, name = score, f"{b['indicator']} {b['unit']}"
    return (best, name) if best >= INDICATOR_MATCH else (0.0, "")


def _accountable(record: dict) -> set[str]:
    keys = {a["iri"] or a["as_written"] for a in record["agencies"]
            if a["role"] in ("lead", "responsible")}
    return keys or {a["iri"] or a["as_written"] for a in record["agencies"]}


class _Rarity:
    """How telling a shared agency or sector is: one that leads half the tasks of both plans
    says little, one that leads two says much (an inverse document frequency, 0–1)."""

    def __init__(self, records: Sequence[dict]) -> None:
        self.total = len(records)
        self.agencies = Counter(a for r in records for a in _accountable(r))
        self.sectors = Counter(r["sector"] for r in records if r["sector"])

    def _weight(self, count: int) -> float:
        return math.log(self.total / count) / math.log(self.total) if self.total > 1 else 0.0

    def agencies_shared(self, before: set[str], after: set[str]) -> float:
        """Weighted Jaccard of the accountable agencies."""
        union = sum(self._weight(self.agencies[a]) for a in before | after)
        shared = sum(self._weight(self.agencies[a]) for a in before & after)
        return shared / union if union else 0.0

    def sector(self, name: str) -> float:
        return self._weight(self.sectors[name])


def _signals(old: dict, new: dict, text: float,
             rarity: _Rarity) -> tuple[float, tuple[str, ...], bool, float]:
    """The pair's score, the signals that made it, whether it has evidence of its own, and
    its text similarity."""
    indicator, name = _indicator(old, new)
    cites = sorted(set(old["cites"]) & set(new["cites"]))
    agencies = rarity.agencies_shared(_accountable(old), _accountable(new))
    sector = rarity.sector(old["sector"]) if old["sector"] and (
        old["sector"] == new["sector"]) else 0.0
    score = (text + WEIGHTS["indicator"] * indicator + WEIGHTS["cites"] * bool(cites)
             + WEIGHTS["agencies"] * agencies + WEIGHTS["sector"] * sector)
    signals = [f"text {text:.2f}"]
    signals += [f"indicator {name}"] if indicator else []
    signals += [f"cites {', '.join(cites)}"] if cites else []
    signals += [f"agencies {agencies:.2f}"] if agencies else []
    signals += [f"sector {sector:.2f}"] if sector else []
    return (round(score, 3), tuple(signals), text >= TEXT_FLOOR or bool(indicator or cites),
            text)


def _text(old: Sequence[dict], new: Sequence[dict]) -> list[list[float]]:
    """Text similarity (0–1): the aligner's, boilerplate headings weighing little."""
    cosines = cosine_pairs([(r["title"], r["text"]) for r in old],
                            [(r["title"], r["text"]) for r in new],
                            heading_grams=substantive_grams)
    return [[measure_score(h, t, weight=heading_weight(o["title"], n["title"])) / (HEADING + TEXT)
             for (h, t), n in zip(row, new, strict=True)]
            for row, o in zip(cosines, old, strict=True)]


def _scores(old: Sequence[dict], new: Sequence[dict]) -> list[list[tuple]]:
    texts, rarity = _text(old, new), _Rarity([*old, *new])
    return [[_signals(o, n, texts[i][j], rarity) for j, n in enumerate(new)]
            for i, o in enumerate(old)]


def _undominated(pairs: list[tuple[int, int]], scored: list[list[tuple]],
                 worded: list[list[float]], merge: float) -> list[tuple[int, int]]:
    """Drop a weak one-to-one pair that a merge or split explains better.

    The assignment is one-to-one, so when two old tasks merge into one new task, the second of
    them is paired with whatever new task is left, on agencies and a little text. Such a pair is
    dropped when the task's text shares :data:`DOMINANCE` times as much with a task already
    paired (and at least :data:`MERGE` in all): the task is then reported as merged (or split)
    with that one, and its weak partner as added (or dropped)."""
    text = [[s[3] for s in row] for row in scored]
    new_of = dict(pairs)
    old_of = {j: i for i, j in pairs}
    kept = []
    for i, j in pairs:
        merged = any(text[i][k] >= DOMINANCE * text[i][j] and worded[i][k] >= merge
                     for k in old_of if k != j)
        split = any(text[h][j] >= DOMINANCE * text[i][j] and worded[h][j] >= merge
                    for h in new_of if h != i)
        if not (merged or split):
            kept.append((i, j))
    return kept


def link_tasks(old: Sequence[dict], new: Sequence[dict], *,
               threshold: float = MATCH, merge: float = MERGE) -> list[Link]:
    """The links from the tasks of ``old`` (task records) to those of ``new``, in the new
    plan's order: one-to-one continuations, then merges and splits."""
    if not old or not new:
        return []
    scored = _scores(old, new)
    usable = [[s[0] if s[2] else 0.0 for s in row] for row in scored]
    pairs = best_pairs(usable, at_least=threshold)
    # a merge or split needs text in common: a target moved to another task is no merge
    worded = [[s[0] if s[3] >= TEXT_FLOOR else 0.0 for s in row] for row in scored]
    pairs = _undominated(pairs, scored, worded, merge)
    links = [Link(i, j, scored[i][j][0], scored[i][j][1]) for i, j in pairs]
    paired_old, paired_new = {i for i, _ in pairs}, {j for _, j in pairs}
    for i in set(range(len(old))) - paired_old:  # its best match took another old task
        j = max(range(len(new)), key=lambda j: worded[i][j])
        if j in paired_new and worded[i][j] >= merge:
            links.append(Link(i, j, scored[i][j][0], scored[i][j][1], "merge"))
    for j in set(range(len(new))) - paired_new:  # its best match went to another new task
        i = max(range(len(old)), key=lambda i: worded[i][j])
        if i in paired_old and worded[i][j] >= merge:
            links.append(Link(i, j, scored[i][j][0], scored[i][j][1], "split"))
    return sorted(links, key=lambda link: (link.new, link.old))
