"""Scoring ``plankg ask`` against evaluation sets of questions with their expected answers
(``tests/fixtures/ask/questions.jsonl``, ``tests/fixtures/ask-heldout/questions.jsonl``): used
by the tests and by ``bench/bench_ask.py``, which prints the table quoted in the README."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

__all__ = ["read_questions", "right", "score"]


def read_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _got(expect: dict, answer: dict):
    rows = answer.get("rows", [])
    if "tasks" in expect:
        return sorted({int(r["number"]) for r in rows if r.get("number") is not None})
    if "count" in expect:
        return answer.get("value")
    if "agencies" in expect:
        return sorted({str(r["name"]) for r in rows})
    if "documents" in expect:
        return sorted({str(r.get("doc_number") or r.get("number")) for r in rows
                       if r.get("doc_number") or r.get("number")})
    if "targets" in expect:
        return sorted(([_int(r.get("task_number", r.get("number"))), str(r.get("indicator")
                       or r.get("as_printed")), float(r["value"])] for r in rows),
                      key=lambda t: (t[0] is not None, t[0] or 0, t[1], t[2]))
    if "boolean" in expect:
        return answer.get("value")
    return None


def _int(value):
    return None if value in (None, "") else int(value)


def _want(expect: dict):
    if "targets" in expect:
        return sorted(([t[0], t[1], float(t[2])] for t in expect["targets"]),
                      key=lambda t: (t[0] is not None, t[0] or 0, t[1], t[2]))
    return next(v for k, v in expect.items())


def right(item: dict, answer: dict) -> bool:
    """Whether ``answer`` (the JSON of ``ask``) is the expected one: the same rows (tasks,
    agencies, documents, targets), count or boolean; or no answer where one must be refused."""
    expect = item["expect"]
    if expect.get("refuse"):
        return not answer["understood"]
    if not answer["understood"]:
        return False
    want = _want(expect)
    if "agencies" in expect or "documents" in expect or "tasks" in expect:
        want = sorted(want)
    try:
        return _got(expect, answer) == want
    except (KeyError, TypeError, ValueError):  # rows of another kind of answer
        return False


def score(items: list[dict], answers: list[dict]) -> dict:
    """Accuracy by language and kind, and the wrong answers to questions to be refused."""
    total, hits = Counter(), Counter()
    wrong, answered_refusals = [], []
    for item, answer in zip(items, answers, strict=True):
        key = (item["lang"], item["kind"])
        total[key] += 1
        if right(item, answer):
            hits[key] += 1
        else:
            wrong.append((item["id"], item["question"], item["expect"],
                          answer.get("interpretation_zh") or answer.get("reason_zh")))
            if item["expect"].get("refuse"):
                answered_refusals.append(item["id"])
    return {"total": total, "hits": hits, "wrong": wrong, "answered_refusals": answered_refusals,
            "accuracy": sum(hits.values()) / max(1, sum(total.values()))}
