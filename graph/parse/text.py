"""Source text with positions: line lookup, and joined runs that remember where each character came from.

A page break in the PDF-derived sources splits a sentence across lines and blank lines. A
:class:`Run` joins such lines back into one string, and keeps, for every character, its offset in
the source, so that spans stay exact after the repair. Nothing but line breaks and the blanks
around them is dropped.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..model import Span

__all__ = ["CN_DIGITS", "Run", "SourceText", "cn_number"]

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "两": 2}


def cn_number(text: str) -> int:
    """Value of a Chinese numeral up to 99.

    >>> [cn_number(s) for s in ("一", "十", "十四", "二十", "二十三")]
    [1, 10, 14, 20, 23]
    """
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS[ch]
        return value
    tens, _, units = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


class SourceText:
    """The whole source, with 1-based line numbers for any offset."""

    def __init__(self, text: str, *, file: str) -> None:
        self.text = text
        self.file = file
        self._starts = [0]
        at = text.find("\n")
        while at != -1:
            self._starts.append(at + 1)
            at = text.find("\n", at + 1)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets of a 1-based line, without its line break."""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return start, end

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, line=self.line_of(start))


@dataclass
class Run:
    """A joined string; ``offsets[i]`` is the source offset of ``text[i]``."""

    text: str
    offsets: list[int]

    @classmethod
    def empty(cls) -> Run:
        return cls("", [])

    def append(self, chars: str, start: int) -> None:
        self.text += chars
        self.offsets.extend(range(start, start + len(chars)))

    def extend(self, other: Run) -> None:
        self.text += other.text
        self.offsets.extend(other.offsets)

    def slice(self, start: int, end: int) -> Run:
        return Run(self.text[start:end], self.offsets[start:end])

    def strip(self) -> Run:
        stripped = self.text.strip()
        if not stripped:
            return Run.empty()
        lead = len(self.text) - len(self.text.lstrip())
        return self.slice(lead, lead + len(stripped))

    def span(self, source: SourceText, start: int = 0, end: int | None = None) -> Span:
        """The source span of ``text[start:end]`` (the whole run by default)."""
        end = len(self.text) if end is None else end
        if end <= start:
            at = self.offsets[start] if start < len(self.offsets) else (
                self.offsets[-1] + 1 if self.offsets else 0)
            return source.span(at, at)
        return source.span(self.offsets[start], self.offsets[end - 1] + 1)
