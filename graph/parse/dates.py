"""Dates as documents print them: 2022年8月24日, 2022-08-24 or 二〇二二年八月二十四日."""

from __future__ import annotations

import datetime as dt
import re

from .text import CN_DIGITS, cn_number

__all__ = ["parse_date"]

_DATE = re.compile(r"^(?P<y>\d{4})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?$")
_CN_DATE = re.compile(r"^(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月"
                      r"(?P<d>[一二三四五六七八九十]{1,3})日$")


def parse_date(text: str) -> dt.date | None:
    """The date a line prints, when the whole line is one.

    >>> parse_date("2019年1月12日"), parse_date(" 二〇二二年八月二十四日 ")
    (datetime.date(2019, 1, 12), datetime.date(2022, 8, 24))
    >>> parse_date("2019年1月12日起施行") is None
    True
    """
    text = re.sub(r"\s+", "", text)
    match = _DATE.match(text)
    try:
        if match:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        match = _CN_DATE.match(text)
        if match:
            year = int("".join(str(CN_DIGITS[c]) for c in match["y"]))
            return dt.date(year, cn_number(match["m"]), cn_number(match["d"]))
    except ValueError:
        return None
    return None
