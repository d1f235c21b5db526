"""Scoring a parsed document against a hand-made gold file (``*.gold.json``).

The gold format is the one of the real corpus beside the project (``shared/corpus/real``, see its
README) and of the fictional fixtures in ``tests/fixtures/national``: the document's header
facts, then every numbered item with its number, title, framing flag and agencies with roles.
Used by the tests and by ``bench/bench_corpus.py``, which prints the table quoted in the README.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from plankg.graph.model import Plan

__all__ = ["REAL_CORPUS", "Score", "gold_pairs", "load_gold", "score"]

REAL_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"


def gold_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """The (document, gold) pairs of a folder, by name."""
    return [(g.with_name(g.name.replace(".gold.json", ".md")), g)
            for g in sorted(folder.glob("*.gold.json"))]


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Score:
    """How one parsed document compares with its gold."""

    name: str
    measures_gold: int
    measures_found: int
    measures_exact: bool
    framing_gold: int
    framing_found: int
    header: dict[str, bool] = field(default_factory=dict)
    cites_exact: bool = False
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    notes_gold: int = 0
    notes_found: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def header_exact(self) -> bool:
        return all(self.header.values())


def _number(plan: Plan, task) -> str:
    return f"{task.section}.{task.number}" if plan.numbering_restarts else str(task.number)


def _cited(plan: Plan) -> list[str]:
    spans = [(c.span.start, str(c.number)) for c in plan.citations if c.number]
    spans += [(c.span.start, str(c.number)) for t in plan.tasks for c in t.citations
              if c.number]
    seen: list[str] = []
    for _, number in sorted(spans):
        if number not in seen:
            seen.append(number)
    return seen


def _header(plan: Plan, document: dict) -> dict[str, bool]:
    return {"number": str(plan.number) == document["number"],
            "title": plan.title == document["title"],
            "issuer": plan.issuer == document["issuer"],
            "date": (plan.date.isoformat() if plan.date else None) == document["date"],
            "level": plan.level == document["level"]}


def _notes(gold_measures: list[dict], plan: Plan) -> tuple[int, int]:
    """Gold notes "followed by X" and how many the parse gives as ``followed_by`` X."""
    ours = {(_number(plan, t), a.as_written): a.followed_by
            for t in plan.tasks for a in t.assignments}
    wanted = found = 0
    for m in gold_measures:
        for a in m["agencies"]:
            note = a.get("note", "")
            if note.startswith("followed by "):
                wanted += 1
                found += ours.get((m["n"], a["name"])) == note[len("followed by "):]
    return wanted, found


def score(plan: Plan, gold: dict, *, name: str = "") -> Score:
    """Compare a parsed document with its gold."""
    measures = [m for m in gold["measures"] if not m["framing"]]
    framing = [m for m in gold["measures"] if m["framing"]]
    want = [(m["n"], m["title"]) for m in measures]
    got = [(_number(plan, t), t.heading) for t in plan.tasks]
    ours_framing = {s.title for s in plan.sections if s.framing}
    result = Score(name=name, measures_gold=len(measures), measures_found=len(plan.tasks),
                   measures_exact=want == got, framing_gold=len(framing),
                   framing_found=sum(m["title"] in ours_framing for m in framing),
                   header=_header(plan, gold["document"]),
                   cites_exact=_cited(plan) == gold["document"]["cites"])
    result.mismatches += [f"measure: gold {w} / parsed {g}" for w, g in zip(want, got) if w != g]
    gold_roles = {(m["n"], a["name"], a["role"]) for m in measures for a in m["agencies"]}
    ours_roles = {(_number(plan, t), a.as_written, a.role)
                  for t in plan.tasks for a in t.assignments}
    result.true_positive = len(gold_roles & ours_roles)
    result.false_positive = len(ours_roles - gold_roles)
    result.false_negative = len(gold_roles - ours_roles)
    result.mismatches += [f"agency not in gold: {r}" for r in sorted(ours_roles - gold_roles)]
    result.mismatches += [f"agency missed: {r}" for r in sorted(gold_roles - ours_roles)]
    result.notes_gold, result.notes_found = _notes(measures, plan)
    return result


_LABEL_ONLY = r"^[#*\s]*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,3}[.．、])?[*\s]*$"


def uncovered(plan: Plan, text: str) -> list[tuple[int, str]]:
    """The printed characters after the title block that no part of the parse covers
    (preamble, parts, items, closing, signature), by line; numbering labels and Markdown
    markup of headings do not count. Empty when nothing was lost."""
    import re

    spans = [s for s in (plan.preamble_span, plan.closing_span, plan.signature_span) if s]
    spans += [t.span for t in plan.tasks]
    spans += [s.span for s in plan.sections] + [s.text_span for s in plan.sections
                                                if s.text_span]
    if not spans:
        return []
    covered = bytearray(len(text))
    for span in spans:
        covered[span.start:span.end] = b"\x01" * (span.end - span.start)
    begin = min(s.start for s in spans)
    lost: dict[int, str] = {}
    for line_no, line in enumerate(text.splitlines(keepends=True), 1):
        start = sum(len(x) for x in text.splitlines(keepends=True)[:line_no - 1])
        if start + len(line) <= begin:
            continue
        chars = "".join(ch for i, ch in enumerate(line, start)
                        if i >= begin and not covered[i] and not ch.isspace())
        if chars and not re.match(_LABEL_ONLY, chars):
            lost[line_no] = chars
    return sorted(lost.items())
