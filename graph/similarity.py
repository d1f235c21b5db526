"""Similarity of short Chinese names (indicators, sector headings): the Dice coefficient of
their character bigrams, which needs no word segmenter."""

from __future__ import annotations

import re

__all__ = ["closest", "indicator_similarity", "similarity"]


def _grams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams.

    >>> round(similarity("3岁以下托位数", "3岁以下婴幼儿托位数"), 2)
    0.67
    """
    x, y = _grams(a), _grams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def indicator_similarity(a: str, b: str) -> float:
    """Like :func:`similarity`, but an indicator printed within a longer one of the other year
    (市级以上科技孵化载体 in 市级以上众创空间、星创天地、科技企业孵化器等科技孵化载体) also counts:
    0.9 times the share of the shorter's bigrams found in the longer, when that share is 0.8.

    >>> round(indicator_similarity("市级以上科技孵化载体", "市级以上众创空间、星创天地、科技企业孵化器等科技孵化载体"), 2)
    0.9
    """
    x, y = _grams(a), _grams(b)
    if not x or not y:
        return 0.0
    overlap = len(x & y) / min(len(x), len(y))
    within = 0.9 * overlap if overlap >= 0.8 and min(len(x), len(y)) >= 3 else 0.0
    return max(similarity(a, b), within)


def closest(name: str, candidates, *, at_least: float = 0.2) -> str | None:
    """The candidate most like ``name`` (None when none reaches ``at_least``).

    >>> closest("现代物流", ["交通运输", "现代商贸", "现代金融"])
    '现代商贸'
    """
    scored = sorted(((similarity(name, c), c) for c in candidates), key=lambda s: (-s[0], s[1]))
    return scored[0][1] if scored and scored[0][0] >= at_least else None
