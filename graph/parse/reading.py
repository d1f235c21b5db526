"""Reading a user's file: bounded, and in the encodings Chinese government sites use.

- Only regular files are read (a device such as ``/dev/zero`` or a FIFO never ends), and at most
  :data:`MAX_INPUT_BYTES` of them: a larger file is refused, not read.
- Text is UTF-8 (with or without a byte-order mark) or, failing that, GB18030, the superset of
  GBK and GB2312 in which many pages and files saved from government sites come; the encoding
  used is said.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import SourceParseError

__all__ = ["MAX_INPUT_BYTES", "decode_text", "read_bounded"]

MAX_INPUT_BYTES = 20 * 1024 * 1024  # a plan is a few hundred KB; the largest seen, 5 MB


def read_bounded(path: Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is refused."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise SourceParseError("不是普通文件（设备、管道或目录），不读取",
                                   "not a regular file (a device, a pipe or a folder): not read",
                                   file=str(path))
        if info.st_size > limit:
            raise SourceParseError(
                f"文件过大（{info.st_size:,} 字节，上限 {limit:,}）",
                f"the file is too large ({info.st_size:,} bytes; the limit is {limit:,})",
                file=str(path))
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise SourceParseError(f"无法读取文件（{exc.strerror}）",
                               f"cannot read the file ({exc.strerror})", file=str(path)) from None
    if len(data) > limit:  # grew while being read
        raise SourceParseError(f"文件过大（上限 {limit:,} 字节）",
                               f"the file is too large (the limit is {limit:,} bytes)",
                               file=str(path))
    return data


def _chinese(text: str) -> bool:
    """Whether text decoded as GB18030 reads as Chinese: most of what is not ASCII is CJK."""
    wide = [c for c in text if ord(c) > 0x7F]
    cjk = sum(1 for c in wide if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return bool(wide) and cjk >= 0.8 * len(wide)


def decode_text(data: bytes, *, file: str) -> tuple[str, str]:
    """The text of ``data`` with its line breaks made ``\\n``, and the encoding it was in.

    >>> decode_text("规划".encode("gb18030"), file="x.txt")
    ('规划', 'gb18030')
    >>> decode_text("\\ufeff规划\\r\\n".encode("utf-8"), file="x.txt")
    ('规划\\n', 'utf-8')
    """
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceParseError("不是文本文件", "not a text file (binary content)", file=file,
                               line=data[:data.index(b"\x00")].count(b"\n") + 1)
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        try:
            text, encoding = data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            text = ""
        if not _chinese(text):
            raise SourceParseError(
                "文件既不是 UTF-8 也不是 GB18030（GBK）编码的中文文本",
                "the file is neither UTF-8 nor GB18030 (GBK) Chinese text", file=file,
                line=data[:exc.start].count(b"\n") + 1) from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
