"""Responsibility brackets: who leads, who supports, who is responsible for a task or measure.

A bracket is read in three steps. Its content is cut into groups at ；/， (a ；-part that starts
with a label other than an agency label, such as 适用范围： or 完成时限：, is not about agencies
and is skipped). Each group may open with a label (牵头单位：, 配合部门：, 责任单位：…) and end with
a role word (牵头负责, 牵头, 配合, 协助, 参与, 负责), possibly after a qualifier (按职责分工, 分别,
共同); a group with neither takes the role word of the next group of its part, so that in
（A、B，C按职责分工负责） A and B are responsible too. Within a group:

- ``A会同B``: A and B are both named; A is ``followed_by`` 会同B;
- ``A等和各省级人民政府`` / ``A和各有关省级人民政府``: two agencies, A (followed by 等) and the
  provincial governments;
- ``A等``, ``A等有关部门``, ``A等有关部门和单位``: A only, ``followed_by`` that tail: there the
  collective is the tail of 等, not an agency of its own;
- names are separated by 、 , ， or /.

Forms read: 〔X、Y牵头，Z配合〕, （X、Y负责）, (X负责), （责任单位：X、Y）, （牵头单位：X；配合单位：Y）,
（负责部门：X、Y；适用范围：…）, （X、Y牵头负责）, and a bracket with no role word at all, whose
agencies get the role ``unspecified``.

A document may state that the first-listed agency of each bracket leads (排在第一位的部门为牵头
部门，下同 / 列第一位者为牵头单位): :func:`lead_rule` finds the statement, and from there on the
first agency of every bracket is ``lead`` (``lead_by_list_order``), the others keep their role.
A task with several brackets gets the agencies of all of them in order, each once: the first
role wins unless a later one is more specific.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from ..model import Assignment
from .text import Run, SourceText

__all__ = ["ROLE_WORDS", "Bracket", "inner_brackets", "lead_rule", "parse_assignments",
           "split_bracket"]

ROLE_WORDS = {"牵头负责": "lead", "牵头": "lead", "配合": "support", "协助": "support",
              "协办": "support", "参与": "support", "负责": "responsible"}
_LABELS = {"牵头单位": "lead", "牵头部门": "lead", "主办单位": "lead", "配合单位": "support",
           "配合部门": "support", "协办单位": "support", "参与单位": "support",
           "参与部门": "support", "责任单位": None, "责任部门": None, "负责单位": "responsible",
           "负责部门": "responsible"}
_PAIRS = {"〔": "〕", "（": "）", "(": ")", "[": "]", "【": "】"}
_CLOSERS = frozenset(_PAIRS.values())
_BRACKET = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS)) + "]")
_TRAILING = re.compile(r"[〕）)\]】]\s*[。；;]?\s*$")
_AGENCY_END = re.compile(r"(?:局|委|办|厅|中心|院|镇|乡|社|行|组|司|会|部|所|队|单位|政府|公司|处|站|"
                         r"区|署|室|团|央|联|协|台|门|构|馆|军)$")
_ROLE_END = re.compile(r"(?P<qualifier>按职责分工|按照职责分工|按职责|依职责|依据职责|分别|共同|具体)?"
                       r"(?:(?P<role>牵头负责|牵头|配合|协助|参与|负责)|"
                       r"为(?P<as>牵头|配合|协办|参与|负责)(?:单位|部门))$")
_LABEL = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,8})\s*[:：]\s*")
_MAJOR_SEP = re.compile(r"[；;]|\s+(?=(?:牵头|配合|协办|参与|责任|负责|主办)(?:单位|部门)\s*[:：])")
_MINOR_SEP = re.compile(r"[，,。]")
_NAME_SEP = re.compile(r"[、,，/]")
# 会同: the agencies after it are named too
_TOGETHER = re.compile(r"会同")
# A、B等和各省级人民政府: a second list that starts with 各
_AND_EACH = re.compile(r"(?P<deng>等)?(?:以及|和|及|与)(?=各)")
_DENG_TAIL = re.compile(r"等(?:有关|相关|其他|其它)?(?:部门|单位|部委|机构|方面|地区)?"
                        r"(?:和|及)?(?:部门|单位)?$")
# 排在第一位的部门为牵头部门，下同 / 列第一位者为牵头单位 / 排名第一的为牵头单位
LEAD_RULE = re.compile(r"[，,。；;]?\s*(?:(?:排在|排名|排列|排|列在|列于|列|位列|居)"
                       r"(?:第[一1](?:位|个|名)?|首位)|第[一1](?:位|个)|首位)的?"
                       r"(?:部门|单位|者)?(?:为|是)牵头(?:部门|单位)?(?:\s*[，,]\s*下同)?")
_SPECIFIC = {"unspecified": 0, "responsible": 1, "support": 2, "lead": 2}


@dataclass(frozen=True)
class Bracket:
    run: Run
    inner: Run


def lead_rule(text: str) -> re.Match[str] | None:
    """Where a text states that the first-listed agency leads, if it does.

    >>> lead_rule("（海关总署负责，排在第一位的部门为牵头部门，下同）") is not None
    True
    >>> lead_rule("（县商务局牵头，县财政局配合）") is None
    True
    """
    return LEAD_RULE.search(text)


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


def _blank_rule(inner: Run) -> Run:
    """The content with a first-listed-lead statement overwritten by separators (same length,
    so every other character keeps its offset)."""
    match = LEAD_RULE.search(inner.text)
    if not match:
        return inner
    text = inner.text[:match.start()] + "；" * (match.end() - match.start()) + inner.text[
        match.end():]
    return Run(text, inner.offsets)


def _agency_like(name: str) -> bool:
    name = _DENG_TAIL.sub("", name.strip()) or name.strip()
    return bool(_AGENCY_END.search(name)) or name.startswith(("各", "有关", "相关"))


def _looks_like_agencies(inner: str, *, strict: bool = False) -> bool:
    """A role word or label, or (not ``strict``) a list of names that all end like agency names.

    ``strict`` (brackets inside the text) also wants a role word or label, and every name to
    end like an agency name: a gloss such as （企业直接向国家发展改革委申报） is no bracket.
    """
    inner = LEAD_RULE.sub("；", inner)
    if "。" in inner.strip("。"):
        return False
    parts = [p for p in _texts(inner, _MAJOR_SEP) if not _skipped_label(p)]
    groups = [g for p in parts for g in _texts(p, _MINOR_SEP) if not _skipped_label(g)]
    worded = any(_ROLE_END.search(g) or _LABEL.match(g) for g in groups)
    names = [n for g in groups for n in _texts(_strip_role(g), _NAME_SEP)]
    if not names:
        return False
    if strict:
        return worded and all(_agency_like(n) for n in names)
    return worded or all(_agency_like(n) for n in names)


def _texts(text: str, separator: re.Pattern[str]) -> list[str]:
    """:func:`_split` for a plain string."""
    return [piece.text for piece in _split(Run(text, list(range(len(text)))), separator)]


def _skipped_label(part: str) -> bool:
    """A ；-part that opens with a label other than an agency label (适用范围：…)."""
    label = _LABEL.match(part.strip())
    return bool(label) and label["label"] not in _LABELS


def _strip_role(group: str) -> str:
    group = _LABEL.sub("", group) if _LABEL.match(group) else group
    match = _ROLE_END.search(group)
    return group[:match.start()] if match else group


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


def inner_brackets(run: Run) -> list[Bracket]:
    """Responsibility brackets inside a task's text: a bracket right after the end of a
    sentence (。；！？) whose content names agencies with a role word or label."""
    found = []
    text = run.text
    for at, char in enumerate(text):
        if char not in _PAIRS or not text[:at].rstrip().endswith(("。", "；", ";", "！", "？")):
            continue
        close_at = _closing(text, at)
        if close_at is None:
            continue
        inner = run.slice(at + 1, close_at)
        if _looks_like_agencies(inner.text, strict=True):
            found.append(Bracket(run.slice(at, close_at + 1), inner))
    return found


def _closing(text: str, open_at: int) -> int | None:
    opener, closer, depth = text[open_at], _PAIRS[text[open_at]], 0
    for i in range(open_at, min(len(text), open_at + 400)):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return i
    return None


def _depths(text: str) -> list[int]:
    """The bracket depth at each character: a separator inside 各省（区、市） splits nothing."""
    depth, depths, last = 0, [0] * len(text), 0
    for match in _BRACKET.finditer(text):  # only brackets are looked at one by one
        at = match.start()
        depths[last:at] = [depth] * (at - last)
        if text[at] in _PAIRS:
            depth += 1
        depths[at] = depth
        if text[at] in _CLOSERS and depth:
            depth -= 1
        last = at + 1
    depths[last:] = [depth] * (len(text) - last)
    return depths


def _split(run: Run, separator: re.Pattern[str]) -> list[Run]:
    """The non-empty pieces of ``run`` between separators outside nested brackets, stripped,
    spans kept."""
    pieces, start = [], 0
    depths = _depths(run.text)
    matches = [m for m in separator.finditer(run.text) if not depths[m.start()]]
    for match in [*matches, None]:
        end = match.start() if match else len(run.text)
        piece = run.slice(start, end).strip()
        start = match.end() if match else end
        if piece.text:
            pieces.append(piece)
    return pieces


@dataclass
class _Name:
    run: Run
    role: str | None
    followed_by: str | None = None


def _group(part: Run) -> tuple[list[_Name], str | None, bool]:
    """The names of one group, its role, and whether it had a label or role word."""
    role, worded = None, False
    label = _LABEL.match(part.text)
    if label and label["label"] in _LABELS:
        role, worded = _LABELS[label["label"]], True
        part = part.slice(label.end(), len(part.text)).strip()
    word = _ROLE_END.search(part.text)
    if word:
        role, worded = ROLE_WORDS[word["role"] or word["as"]], True
        part = part.slice(0, word.start()).strip()
    return _names(part), role, worded


def _names(part: Run) -> list[_Name]:
    """The agencies of a group: 会同 and 和各 split it into lists; 等-tails are kept as notes."""
    names: list[_Name] = []
    together = _TOGETHER.search(part.text)
    lists = [part] if not together else [part.slice(0, together.start()),
                                          part.slice(together.end(), len(part.text))]
    for index, piece in enumerate(lists):
        cuts = list(_AND_EACH.finditer(piece.text))
        bounds = [0, *[m.end() for m in cuts], len(piece.text)]
        for k, (start, end) in enumerate(pairwise(bounds)):
            stop = cuts[k].start() if k < len(cuts) else end
            sub = piece.slice(start, stop)
            listed = [_Name(n, None) for n in _split(sub, _NAME_SEP)]
            if k < len(cuts) and cuts[k]["deng"] and listed:
                listed[-1].followed_by = "等"
            names.extend(listed)
        if together and index == 0 and names:
            tail = re.sub(r"\s+", "", lists[1].text)
            names[-1].followed_by = "会同" + tail
    for name in names:
        tail = _DENG_TAIL.search(name.run.text)
        if tail and tail.start() > 0:
            name.followed_by = name.followed_by or tail[0]
            name.run = name.run.slice(0, tail.start()).strip()
    return [n for n in names if n.run.text]


def _bracket_names(inner: Run) -> list[_Name]:
    """Every name of a bracket with its role, in printed order."""
    named: list[_Name] = []
    for part in _split(_blank_rule(inner), _MAJOR_SEP):
        if _skipped_label(part.text):
            continue
        pending: list[_Name] = []
        for group in _split(part, _MINOR_SEP):
            if _skipped_label(group.text):
                continue
            names, role, worded = _group(group)
            pending.extend(names)
            if worded:
                for name in pending:
                    name.role = name.role or role
                named.extend(pending)
                pending = []
        named.extend(pending)
    return named


def parse_assignments(brackets: Sequence[Bracket], source: SourceText, *,
                      resolve: Callable[[str], str | None],
                      lead_rule_from: int | None = None) -> tuple[Assignment, ...]:
    """The agencies of a task's brackets with their roles, each once, in printed order.

    ``resolve`` maps a printed name to a registry key; ``lead_rule_from`` is the source offset
    from which the document's first-listed-lead rule holds (None: it states none).
    """
    merged: dict[str, Assignment] = {}
    for bracket in brackets:
        ruled = lead_rule_from is not None and bracket.run.offsets and (
            bracket.run.offsets[-1] >= lead_rule_from)
        for position, name in enumerate(_bracket_names(bracket.inner)):
            printed = re.sub(r"\s+", "", name.run.text)
            role = name.role or "unspecified"
            by_rule = bool(ruled and position == 0 and role != "lead")
            found = Assignment(as_written=printed, agency_key=resolve(printed),
                               role="lead" if by_rule else role, order=len(merged) + 1,
                               span=name.run.span(source), followed_by=name.followed_by,
                               lead_by_list_order=by_rule)
            earlier = merged.get(printed)
            if earlier is None:
                merged[printed] = found
            elif _SPECIFIC[found.role] > _SPECIFIC[earlier.role]:
                merged[printed] = replace(found, order=earlier.order, span=earlier.span)
    return tuple(merged.values())
