"""发文字号 (document numbers): find them in text and normalise their variants.

The standard form is ``{series code}〔{year}〕{serial}号``. Sources also print [2022], (2022),
（2022）, 【2022】 and stray spaces; all are read, and :func:`normalise` gives the standard form.
"""

from __future__ import annotations

import re

from ..model import DocNumber

__all__ = ["NUMBER_RE", "is_standard", "normalise", "parse_number"]

_OPEN = re.escape("〔[（(【［")
_CLOSE = re.escape("〕]）)】］")
NUMBER_RE = re.compile(
    rf"(?P<code>[\u4e00-\u9fff]{{1,12}})\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d\d)\s*[{_CLOSE}]"
    r"\s*(?P<serial>\d{1,5})\s*号"
)
# Words that can stand right before a bare number and are not part of its series code.
_LEADING = re.compile(r"^(?:根据|依据|按照|参照|执行|贯彻|落实|认真|印发|详见|见|和|及|与|或|即|并|的|对)+")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _code(raw: str) -> str:
    return _LEADING.sub("", raw) or raw


def parse_number(text: str) -> DocNumber | None:
    """The 发文字号 in ``text``, if the whole of it is one.

    >>> str(parse_number("发改财金[2022]271号"))
    '发改财金〔2022〕271号'
    >>> str(parse_number(" 晋市政办（２０２２）24 号 "))
    '晋市政办〔2022〕24号'
    >>> parse_number("晋市政办") is None
    True
    """
    match = NUMBER_RE.fullmatch(text.strip().translate(_FULLWIDTH).replace("\u3000", " "))
    if not match:
        return None
    return DocNumber(_code(match["code"]), int(match["year"]), int(match["serial"]))


def normalise(text: str) -> str | None:
    """The standard form of a 发文字号, or None when ``text`` is not one."""
    number = parse_number(text)
    return str(number) if number else None


def is_standard(text: str) -> bool:
    """True when the number is printed in the standard form, brackets 〔〕 included.

    >>> is_standard("沁政办发〔2022〕33号"), is_standard("沁政办发[2022]33号")
    (True, False)
    """
    return normalise(text) == re.sub(r"\s+", "", text)
