"""The aligner: for each task of a child plan, rank the measures of its parent documents that it
may carry out.

Signals, in this order of strength:

1. an explicit citation of the parent document by the child task (method ``citation: <relation>``,
   ``+CITATION``);
2. the parent document's place in the child plan's own chain (method ``chain: <relations>``,
   ``+CHAIN``, :mod:`plankg.graph.chain`): the child plan cites it, is based on it (根据…制定) or
   ensures its implementation (贯彻落实…), directly or through documents named in turn;
3. similarity of heading and text, suited to Chinese without a word segmenter: TF-IDF over
   character bigrams, cosine, the heading weighted above the text (``tfidf-char-bigram``);
4. overlap of the child task's agencies, mapped to their counterparts at the parent's level
   (对口部门, ``graph/registries/counterparts.csv``), with the parent measure's agencies.

The two bonuses do not add up (a task citing its parent gets ``CITATION`` only), and both count
towards the threshold: a chain document's measures come before others' at similar text scores.

Boilerplate headings weigh little. Headings such as 加强组织领导, 强化督促落实, 营造良好氛围 close
almost every Chinese plan and opinion: the same such heading in a child and a parent is no evidence
that one carries out the other. The vocabulary of that closing safeguard section, its verbs
(加强 强化 健全 完善 加大 落实…) and objects (组织 领导 机制 责任 考核 宣传 氛围 资金…), is listed in
``graph/registries/generic-terms.csv`` with where each term was seen. A heading character is
generic when a listed term covers it, and ``generic_share`` is the share of such characters. Then

- headings are compared on their substantive bigrams only (a bigram of two generic characters is
  dropped), so 加大稳岗支持力度 and 加大困难行业扶持力度 share nothing, and two pure boilerplate
  headings have no similarity at all;
- a pair's heading weight is ``HEADING × min(1, (1 − g) / (1 − GENERIC_KNEE))``, ``g`` the larger
  generic share of its two headings: a heading at most half generic (发展网络货运, 加强统计监测)
  keeps full weight, pure boilerplate none (method ``generic heading ×w``);
- the weight a heading loses goes to the text, which then decides on the same scale.

A pair scoring below the threshold gets no link at all. The threshold and the weights were set on
the fixture in ``tests/fixtures/alignment`` (gold pairs and decoys); the test reports precision@1
and recall there. ``align(child, parent)`` ranks one parent's measures, ``align_many(child,
parents)`` those of several documents together, with one TF-IDF model for all.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from .chain import chain_paths, cited_key, document_keys
from .model import Plan, Task
from .paths import registries_dir
from .registry import Registry, load_registry

__all__ = ["THRESHOLD", "AlignmentRow", "align", "align_many", "cosine_pairs", "generic_share",
           "generic_terms", "heading_weight", "load_counterparts", "measure_score",
           "substantive_grams", "text_scores"]

THRESHOLD = 0.30
HEADING, TEXT, AGENCIES, CITATION, CHAIN = 0.55, 0.30, 0.15, 0.5, 0.1
GENERIC_KNEE = 0.5
METHOD = "tfidf-char-bigram heading+text, agency counterparts"
_NOT_TEXT = re.compile(r"[\s，。、；：“”‘’（）《》〔〕()\[\]【】0-9a-zA-Z%.,;:!?]+")


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
    parent_document: str = ""


def _grams(text: str) -> list[str]:
    text = _NOT_TEXT.sub("", text)
    return [text[i:i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


@cache
def generic_terms() -> frozenset[str]:
    """The safeguard-section vocabulary of ``graph/registries/generic-terms.csv``."""
    text = registries_dir().joinpath("generic-terms.csv").read_text(encoding="utf-8")
    return frozenset(row["term"] for row in csv.DictReader(io.StringIO(text)))


def _generic_mask(text: str) -> list[bool]:
    terms = generic_terms()
    mask = [False] * len(text)
    for size in {len(t) for t in terms}:
        for i in range(len(text) - size + 1):
            if text[i:i + size] in terms:
                mask[i:i + size] = [True] * size
    return mask


@lru_cache(maxsize=4096)
def generic_share(heading: str) -> float:
    """The share of the heading's characters that generic terms cover.

    >>> [round(generic_share(h), 2) for h in ("加强组织领导", "发展网络货运", "加强统计监测")]
    [1.0, 0.0, 0.33]
    """
    mask = _generic_mask(_NOT_TEXT.sub("", heading))
    return sum(mask) / len(mask) if mask else 0.0


def heading_weight(child_heading: str, parent_heading: str) -> float:
    """The share of ``HEADING`` a pair of headings keeps: 1 unless one is over half generic.

    >>> [heading_weight("加强组织领导", "加强组织领导"), heading_weight("发展网络货运", "发展网络货运")]
    [0.0, 1.0]
    """
    share = max(generic_share(child_heading), generic_share(parent_heading))
    return round(min(1.0, (1.0 - share) / (1.0 - GENERIC_KNEE)), 4)


def substantive_grams(heading: str) -> list[str]:
    text = _NOT_TEXT.sub("", heading)
    mask = _generic_mask(text)
    return [text[i:i + 2] for i in range(len(text) - 1) if not (mask[i] and mask[i + 1])]


class _TfIdf:
    """TF-IDF vectors over character bigrams, fitted on both sides' texts."""

    def __init__(self, documents: Sequence[str]) -> None:
        counts = Counter(g for doc in documents for g in set(_grams(doc)))
        total = len(documents)
        self.idf = {g: math.log((1 + total) / (1 + n)) + 1 for g, n in counts.items()}

    def vector(self, grams: Sequence[str]) -> dict[str, float]:
        tf = Counter(grams)
        vec = {g: n * self.idf.get(g, 1.0) for g, n in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())


Pairs = Sequence[tuple[str, str]]


def cosine_pairs(left: Pairs, right: Pairs, *,
                  heading_grams: Callable[[str], list[str]] = _grams
                  ) -> list[list[tuple[float, float]]]:
    """(heading cosine, text cosine) of every (heading, text) of ``left`` against every one of
    ``right``; the TF-IDF model is fitted on the texts of both sides."""
    model = _TfIdf([text for _, text in (*left, *right)])

    def vectors(pairs: Pairs) -> list[tuple[dict[str, float], dict[str, float]]]:
        return [(model.vector(heading_grams(h)), model.vector(_grams(t))) for h, t in pairs]

    theirs = vectors(right)
    return [[(_cosine(h, their_h), _cosine(t, their_t)) for their_h, their_t in theirs]
            for h, t in vectors(left)]


def text_scores(left: Pairs, right: Pairs) -> list[list[float]]:
    """``HEADING`` × cosine of the headings + ``TEXT`` × cosine of the texts, for every
    (heading, text) of ``left`` against every one of ``right``; the TF-IDF model is fitted on
    the texts of both sides. Every heading counts here (versions of one plan, :mod:`plankg.graph.diff`).

    >>> [[round(s, 2) for s in row] for row in text_scores(
    ...     [("发展网络货运", "支持运输企业转型网络货运。")],
    ...     [("发展网络货运", "引导运输企业转型网络货运。"), ("培育夜间经济", "打造夜间消费街区。")])]
    [[0.77, 0.0]]
    """
    return [[HEADING * h + TEXT * t for h, t in row] for row in cosine_pairs(left, right)]


def measure_score(heading_cosine: float, text_cosine: float, *, weight: float) -> float:
    """``HEADING·w`` × the heading cosine + ``TEXT + HEADING·(1 − w)`` × the text cosine.

    >>> [round(measure_score(1.0, 0.2, weight=w), 2) for w in (1.0, 0.0)]
    [0.61, 0.17]
    """
    return HEADING * weight * heading_cosine + (TEXT + HEADING * (1 - weight)) * text_cosine


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


def _task_citation(task: Task, parent_keys: frozenset[str]) -> str | None:
    """The relation by which the task itself names the parent document, if it does."""
    return next((c.relation for c in task.citations
                 if c.relation != "repeals" and cited_key(c) in parent_keys), None)


@dataclass(frozen=True)
class _Parent:
    plan: Plan
    name: str
    keys: frozenset[str]
    chain: str | None


@dataclass(frozen=True)
class _Candidate:
    score: float
    order: int  # of the parent document
    measure: Task
    method: str
    parent: _Parent


def _candidate(task: Task, measure: Task, cosines: tuple[float, float], *, parent: _Parent,
               order: int) -> _Candidate:
    weight = heading_weight(task.heading, measure.heading)
    score = measure_score(*cosines, weight=weight) + AGENCIES * _agency_overlap(task, measure)
    cited = _task_citation(task, parent.keys)
    score += CITATION if cited else CHAIN if parent.chain else 0.0
    signals = [f"citation: {cited}"] if cited else []
    signals += [f"chain: {parent.chain}"] if parent.chain else []
    signals.append(METHOD if weight == 1 else f"{METHOD}, generic heading ×{weight:.2f}")
    return _Candidate(round(score, 4), order, measure, "; ".join(signals), parent)


def _ranked(task: Task, candidates: list[_Candidate], *, top: int,
            threshold: float) -> Iterator[AlignmentRow]:
    candidates.sort(key=lambda c: (-c.score, c.order, c.measure.number))
    for rank, c in enumerate(candidates[:top], 1):
        if c.score >= threshold:
            yield AlignmentRow(task.number, c.measure.number, c.measure.section, rank, c.score,
                               c.method, task.heading, c.measure.heading, c.parent.name)


def _parents(child: Plan, plans: Sequence[Plan], registry: Registry) -> list[_Parent]:
    chains = chain_paths(child, plans, registry=registry)
    return [_Parent(p, str(p.number) if p.number else p.title or p.source_file,
                    document_keys(p, registry), chain) for p, chain in zip(plans, chains)]


def align_many(child: Plan, parents: Sequence[Plan], *, top: int = 3,
               threshold: float = THRESHOLD,
               registry: Registry | None = None) -> list[AlignmentRow]:
    """The ``top`` best measures of all ``parents`` for every child task, best first (ties: in
    the order of ``parents``, then of the measures); none below ``threshold``."""
    registry = registry or load_registry()
    measures = [(order, parent, m)
                for order, parent in enumerate(_parents(child, parents, registry))
                for m in parent.plan.tasks]
    cosines = cosine_pairs([(t.heading, t.text) for t in child.tasks],
                            [(m.heading, m.text) for *_, m in measures],
                            heading_grams=substantive_grams)
    rows: list[AlignmentRow] = []
    for task, task_cosines in zip(child.tasks, cosines):
        candidates = [_candidate(task, m, pair, parent=parent, order=order)
                      for (order, parent, m), pair in zip(measures, task_cosines)]
        rows.extend(_ranked(task, candidates, top=top, threshold=threshold))
    return rows


def align(child: Plan, parent: Plan, *, top: int = 3, threshold: float = THRESHOLD,
          registry: Registry | None = None) -> list[AlignmentRow]:
    """The ``top`` best parent measures of every child task, best first; none below
    ``threshold``. One parent of :func:`align_many`."""
    return align_many(child, [parent], top=top, threshold=threshold, registry=registry)
