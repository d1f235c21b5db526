"""Administrative divisions (GB/T 2260 codes) and the level of government they stand for."""

from __future__ import annotations

__all__ = ["UNRESOLVED", "level_of"]

UNRESOLVED = "unresolved"


def level_of(division: str | None) -> str | None:
    """The administrative level of a GB/T 2260 division code.

    >>> [level_of(d) for d in ("cn", "140000", "140500", "140521", None)]
    ['national', 'province', 'city', 'county', None]
    """
    if not division or division == UNRESOLVED:
        return None
    if division == "cn":
        return "national"
    if division.endswith("0000"):
        return "province"
    return "city" if division.endswith("00") else "county"
