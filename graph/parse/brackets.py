"""The responsibility bracket at the end of a task: who leads, who supports, who is responsible.

Forms read: 〔X、Y牵头，Z配合〕, 〔X负责，Y配合〕, 〔X牵头，Y负责〕, （X、Y负责）, (X负责),
（责任单位：X、Y）, （牵头单位：X；配合单位：Y）, and a bracket with no role word at all, whose
agencies get the role ``unspecified``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Assignment
from .text import Run, SourceText

__all__ = ["ROLE_WORDS", "parse_assignments", "split_bracket"]

ROLE_WORDS = {"牵头": "lead", "配合": "support", "协助": "support", "参与": "support",
              "负责": "responsible"}
_LABELS = {"牵头单位": "lead", "配合单位": "support", "协办单位": "support",
           "责任单位": None, "负责单位": "responsible", "主办单位": "lead"}
_PAIRS = {"〔": "〕", "（": "）", "(": ")", "[": "]", "【": "】"}
_TRAILING = re.compile(r"[〕）)\]】]\s*[。；;]?\s*$")
_AGENCY_END = re.compile(r"(?:局|委|办|厅|中心|院|镇|乡|社|行|组|司|会|部|所|队|单位|政府|公司|处|站|区|署|室|团)$")
_ROLE_END = re.compile(r"(牵头|配合|协助|参与|负责)$")
_QUALIFIER = re.compile(r"(?:按职责分工|按职责|分别|共同|等)$")
_GROUP_SEP = re.compile(r"[，,；;。]")
_NAME_SEP = re.compile(r"[、,，/]")


@dataclass(frozen=True)
class Bracket:
    run: Run
    inner: Run


def _opening(text: str, close_at: int) -> int | None:
    """Index of the bracket that the bracket at ``close_at`` closes."""
    closer = text[close_at]
    opener = next(o for o, c in _PAIRS.items() if c == closer)
    depth = 0
    for i in range(close_at, -1, -1):
        if text[i] == closer:
            depth += 1
        elif text[i] == opener:
            depth -= 1
            if depth == 0:
                return i
    return None


def _looks_like_agencies(inner: str) -> bool:
    """True for a role word or label, or a list of names that all end like agency names."""
    if "。" in inner:
        return False
    if any(w in inner for w in ROLE_WORDS) or any(label in inner for label in _LABELS):
        return True
    names = [n for n in _NAME_SEP.split(_GROUP_SEP.sub("、", inner)) if n.strip()]
    return bool(names) and all(_AGENCY_END.search(n.strip()) for n in names)


def split_bracket(run: Run) -> tuple[Run, Bracket | None]:
    """Split a task's run into its text and its final responsibility bracket, if it has one."""
    match = _TRAILING.search(run.text)
    if not match:
        return run, None
    close_at = match.start()
    open_at = _opening(run.text, close_at)
    if open_at is None:
        return run, None
    inner = run.slice(open_at + 1, close_at)
    if not _looks_like_agencies(inner.text):
        return run, None
    bracket = Bracket(run.slice(open_at, match.end()).strip(), inner)
    return run.slice(0, open_at).strip(), bracket


def _split(run: Run, separator: re.Pattern[str]) -> list[Run]:
    """The non-empty pieces of ``run`` between separators, stripped, spans kept."""
    pieces, start = [], 0
    for match in [*separator.finditer(run.text), None]:
        end = match.start() if match else len(run.text)
        piece = run.slice(start, end).strip()
        start = match.end() if match else end
        if piece.text:
            pieces.append(piece)
    return pieces


def _groups(inner: Run) -> list[tuple[Run, str | None]]:
    """Split the bracket's content into (names, role) groups, in printed order."""
    groups: list[tuple[Run, str | None]] = []
    for part in _split(inner, _GROUP_SEP):
        role: str | None = None
        label = re.match(r"^(" + "|".join(_LABELS) + r")\s*[:：]\s*", part.text)
        if label:
            role = _LABELS[label[1]]
            part = part.slice(label.end(), len(part.text))
        word = _ROLE_END.search(part.text)
        if word:
            role = ROLE_WORDS[word[1]]
            part = part.slice(0, word.start()).strip()
            qualifier = _QUALIFIER.search(part.text)
            if qualifier and len(part.text) > len(qualifier[0]):
                part = part.slice(0, qualifier.start()).strip()
        groups.append((part, role))
    return groups


def parse_assignments(bracket: Bracket, source: SourceText, *,
                      resolve: Callable[[str], str | None]) -> tuple[Assignment, ...]:
    """The agencies of a bracket with their roles; ``resolve`` maps a printed name to a key."""
    assignments: list[Assignment] = []
    for names, role in _groups(bracket.inner):
        for name in _split(names, _NAME_SEP):
            printed = re.sub(r"\s+", "", name.text)
            assignments.append(Assignment(
                as_written=printed, agency_key=resolve(printed), role=role or "unspecified",
                order=len(assignments) + 1, span=name.span(source)))
    return tuple(assignments)
