"""Header facts of a document: title, genre, number, issuer, date, recipients and metadata.

Two layouts are read. A plan issued with a notice (关于印发《X》的通知) takes its title from the
notice, and its issuer and date from the masthead, the metadata block or the notice's signature.
An 意见 or 通知 printed on its own has its title at the top, over one or more lines, then its
number and recipients (各省、自治区、直辖市人民政府…：); its issuer and date are the signature at
the end (国务院 / 2019年1月12日).
"""

from __future__ import annotations

import datetime as dt
import re

from ..model import GENRE_KEYS
from .dates import parse_date
from .docnumber import parse_number
from .layout import Line
from .text import SourceText

__all__ = ["Header", "find_title", "genre_of", "issuer_in_title", "top_title"]

_NOTICE = re.compile(r"关于印发(?P<title>.+?)的通知")
_META = re.compile(r"^(?P<key>索引号|发文字号|文号|成文时间|成文日期|发布机构|发文机关|发布日期|主题词|主题分类|标题|名称)"
                   r"\s*[:：]\s*(?P<value>.*)$")
_MASTHEAD = re.compile(r"^(\S{2,30}?(?:人民政府|办公室|办公厅|委员会|局|厅|部|委))文件$")
_SIGNATURE = re.compile(r"(?:国务院|人民政府|办公室|办公厅|委员会|局|厅|部|署|委)$")
_COMMENT = re.compile(r"^\s*<!--(?P<body>.*)-->\s*$")
_URL = re.compile(r"(?:source|来源)\s*[:：]\s*(?P<url>https?://[^\s<>\"{}|\\^`]+)")
_GENRE = re.compile("(" + "|".join(sorted(GENRE_KEYS, key=len, reverse=True)) + ")$")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|"
                       r"\d{1,3}\s*[.．、])")
_TITLE_LINE_MAX = 60


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _clean(line: str) -> str:
    return _nospace(line.strip("#* \u3000"))


def find_title(lines: list[str]) -> str | None:
    """The plan's title, from the notice (关于印发《X》的通知 and 《X》) or a metadata line."""
    notice = None
    for line in lines:
        body = _clean(line)
        meta = _META.match(body)
        if meta and meta["key"] in ("标题", "名称"):
            found = _NOTICE.search(meta["value"])
            return found["title"] if found else meta["value"]
        found = _NOTICE.search(body)
        if found and notice is None:
            notice = found["title"].strip("《》")
        for quoted in re.findall(r"《([^《》]+)》", body):
            if notice and _nospace(quoted) == notice:
                return notice
    return notice


def genre_of(title: str | None) -> str | None:
    """The kind of document a title names, by its last words.

    >>> genre_of("国务院关于促进综合保税区高水平开放高质量发展的若干意见")
    '若干意见'
    >>> genre_of("沁水县推进服务业提质增效2022年行动计划"), genre_of("某某规划（2021—2025年）")
    ('行动计划', '规划')
    """
    if not title:
        return None
    found = _GENRE.search(re.sub(r"[（(][^（）()]*[）)]$", "", title))
    return found[1] if found else None


def top_title(lines: list[str]) -> tuple[str | None, int | None]:
    """The title printed at the top of an 意见 or 通知 with no 印发 notice (its lines joined),
    and the first line of the body (after the number and the recipients), both 1-based."""
    index, parts = 0, []
    while index < len(lines):
        body = _clean(lines[index])
        if not body or _COMMENT.match(lines[index]) or _META.match(body) or _MASTHEAD.match(body) \
                or (parse_number(body) and not parts):
            index += 1
            continue
        if (parse_number(body) or body.endswith(("：", ":")) or "。" in body
                or _NUMBERED.match(body) or len(body) > _TITLE_LINE_MAX):
            break
        parts.append(body)
        index += 1
    title, genre = "".join(parts), genre_of("".join(parts))
    if not parts or not ("关于" in title or (genre and len(title) >= len(genre) + 4)):
        return None, None  # a bare 通知 is no title
    return title, _body_start(lines, index)


def _body_start(lines: list[str], index: int) -> int:
    """The 1-based line after the number and the recipients line that follow the title."""
    last = index
    for i in range(index, min(len(lines), index + 8)):
        body = _clean(lines[i])
        if not body:
            continue
        if parse_number(body) or (body.endswith(("：", ":")) and "。" not in body):
            last = i + 1
            continue
        break
    return last + 1


def issuer_in_title(title: str) -> str | None:
    """The issuing body a title names before 关于 (the first one of a joint document).

    >>> issuer_in_title("国务院办公厅转发国家地震局关于…的通知"), issuer_in_title("关于…的意见")
    ('国务院办公厅', None)
    """
    found = re.match(r"^(?P<who>.+?)(?:关于|转发|印发)", title)
    if not found:
        return None
    first = re.split(r"[、，,\s]", found["who"])[0]
    return first if 2 <= len(first) <= 30 and _SIGNATURE.search(first) else None


def _signed_by(lines: list[Line], issuer: str) -> dt.date | None:
    """The date printed under the issuer's own signature anywhere in the document (a notice
    that forwards a report is signed before the report, which has its own signature)."""
    bodies = [line.body for line in lines if line.body]
    for index, body in enumerate(bodies[:-1]):
        if _nospace(body).startswith(issuer) and len(body) <= 40 and "。" not in body:
            date = parse_date(bodies[index + 1])
            if date:
                return date
    return None


class Header:
    """Facts of the header (number, issuer, date, recipients, metadata), completed by the
    signature at the end of the document."""

    def __init__(self, lines: list[Line], *, signature: list[Line] = (),
                 comments: list[Line] = (), title: str | None = None,
                 body: list[Line] = ()) -> None:
        self.metadata: dict[str, str] = {}
        self.number_line: Line | None = None
        self.issuer: str | None = None
        self.date: dt.date | None = None
        self.recipients: str | None = None
        self._read(lines)
        self.issuer = self.metadata.get("发布机构") or self.metadata.get("发文机关") or self.issuer
        for key in ("成文时间", "成文日期"):
            if key in self.metadata and parse_date(self.metadata[key]):
                self.date = parse_date(self.metadata[key])
        if self.issuer is None and title:
            self.issuer = issuer_in_title(title)
        if self.date is None and self.issuer is not None:
            self.date = _signed_by(body, self.issuer)
        self._sign(signature)
        for line in comments:
            url = _URL.search(line.body)
            if url:
                self.metadata.setdefault("source", url["url"])

    def _read(self, lines: list[Line]) -> None:
        notice_seen, previous = False, ""
        for line in lines:
            body = line.body.strip()
            meta = _META.match(body)
            if meta:
                self.metadata[meta["key"]] = meta["value"].strip()
                continue
            if self.number_line is None and parse_number(body):
                self.number_line = line
            elif (masthead := _MASTHEAD.match(_nospace(body))) and self.issuer is None:
                self.issuer = masthead[1]
            elif _NOTICE.search(_nospace(body)):
                notice_seen = True
            elif (notice_seen or self.number_line is not None) and self.recipients is None \
                    and body.endswith(("：", ":")) and "。" not in body:
                self.recipients = body[:-1]
            elif parse_date(body) and self.date is None:
                self.date = parse_date(body)
                if self.issuer is None and _SIGNATURE.search(previous):
                    self.issuer = _nospace(previous)  # the signature above the date
            previous = body

    def _sign(self, signature: list[Line]) -> None:
        """Issuer and date from the signature at the end, where the header gave none."""
        dated = [line for line in signature if parse_date(line.body)]
        if not dated:
            return
        if self.date is None:
            self.date = parse_date(dated[0].body)
        names = [line.body for line in signature if line.number < dated[0].number]
        if self.issuer is None and names and _SIGNATURE.search(names[0].split()[0]):
            self.issuer = names[0].split()[0]

    def number_span(self, source: SourceText) -> object:
        """Where the number is printed (its line in the header), if it is."""
        line = self.number_line
        return source.span(line.body_start, line.body_start + len(line.body)) if line else None

    def number(self) -> tuple[str | None, object]:
        raw = self.metadata.get("发文字号") or self.metadata.get("文号")
        if raw is None and self.number_line is not None:
            raw = self.number_line.body.strip()
        return (raw, parse_number(raw) if raw else None)
