"""The assignment problem: pair the rows and columns of a score matrix so that the total score
is the largest, each row and each column at most once (the Hungarian method, O(n³)).

Pairing two plan years task by task, or their targets indicator by indicator, is such a problem:
taking the best pair first (greedy) lets one strong pair steal a task from a better whole.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["best_pairs"]


def best_pairs(scores: Sequence[Sequence[float]], *, at_least: float) -> list[tuple[int, int]]:
    """The pairs (row, column) of largest total score among those scoring ``at_least``;
    a pair below it is never made.

    >>> best_pairs([[0.9, 0.8], [0.85, 0.1]], at_least=0.5)  # greedy would take (0, 0) alone
    [(0, 1), (1, 0)]
    >>> best_pairs([[0.2]], at_least=0.5)
    []
    """
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    if not rows or not cols:
        return []
    size = max(rows, cols)
    # cost to minimise: a pair below the threshold is worth nothing (as good as no pair)
    cost = [[-(scores[i][j] if i < rows and j < cols and scores[i][j] >= at_least else 0.0)
             for j in range(size)] for i in range(size)]
    match = _hungarian(cost)
    return [(i, j) for i, j in enumerate(match)
            if i < rows and j < cols and scores[i][j] >= at_least]


def _hungarian(cost: list[list[float]]) -> list[int]:
    """For a square cost matrix, the column of each row in a pairing of least total cost
    (the shortest-augmenting-path form of the Hungarian method)."""
    n = len(cost)
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    owner, way = [0] * (n + 1), [0] * (n + 1)  # owner[j]: the row holding column j (1-based)
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        least, used = [inf] * (n + 1), [False] * (n + 1)
        while owner[j0]:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, j0
                    if least[j] < delta:
                        delta, j1 = least[j], j
            for j in range(n + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    match = [0] * n
    for j in range(1, n + 1):
        if owner[j]:
            match[owner[j] - 1] = j - 1
    return match
