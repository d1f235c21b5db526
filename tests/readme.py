"""The README's examples, read as a user reads them.

A ```` ```console ```` block is a transcript: a line ``$ COMMAND`` is run (by bash, in the
checkout, with the environment of the README's setup active), and the lines after it, up to the
next ``$`` line, are what it prints. A line ``…`` stands for any number of lines, and a line
ending in ``…`` for any line that starts with the rest of it. A block of
``sh`` or ``python`` code is run as it is, and must succeed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Example", "Transcript", "code_blocks", "matches", "transcripts"]

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Transcript:
    command: str
    expected: tuple[str, ...]
    line: int  # of the command in the README


@dataclass(frozen=True)
class Example:
    language: str
    text: str
    line: int


def _blocks(readme: Path) -> list[tuple[str, str, int]]:
    text = readme.read_text(encoding="utf-8")
    return [(m[1], m[2], text.count("\n", 0, m.start(2)) + 1) for m in _FENCE.finditer(text)]


def transcripts(readme: Path) -> list[Transcript]:
    """Every ``$ command`` of the console blocks, with the lines it is said to print."""
    found: list[Transcript] = []
    for language, body, first in _blocks(readme):
        if language != "console":
            continue
        command, expected, at = None, [], first
        for offset, line in enumerate(body.splitlines()):
            if line.startswith("$ "):
                if command is not None:
                    found.append(Transcript(command, tuple(expected), at))
                command, expected, at = line[2:], [], first + offset
            elif command is not None:
                expected.append(line)
        if command is not None:
            found.append(Transcript(command, tuple(expected), at))
    return found


def code_blocks(readme: Path, language: str) -> list[Example]:
    return [Example(lang, body, line) for lang, body, line in _blocks(readme) if lang == language]


def matches(expected: tuple[str, ...], printed: list[str]) -> bool:
    """Whether ``printed`` is ``expected`` line by line, a ``…`` line standing for any lines and
    a line ending in ``…`` for the rest of a line (trailing spaces ignored)."""
    want = [line.rstrip() for line in expected]
    got = [line.rstrip() for line in printed]
    while want and not want[-1]:
        want.pop()
    while got and not got[-1]:
        got.pop()

    @functools.cache
    def at(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(got)
        if want[i] == "…":
            return any(at(i + 1, k) for k in range(j, len(got) + 1))
        same = got[j] == want[i] if j < len(got) else False
        if not same and j < len(got) and want[i].endswith("…"):  # the rest of the line left out
            same = got[j].startswith(want[i][:-1])
        return same and at(i + 1, j + 1)

    return at(0, 0)
