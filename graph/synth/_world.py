"""The synthetic world: divisions (provinces → cities → counties), their agencies, and the
national documents the plans cite. Its facts go to the curated graph, shaped as
:mod:`plankg.graph.build.curated` shapes the registries.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

from .. import iris
from . import _vocab as V
from ._terms import XSD_, C, T, iri, lit, typed, zh

__all__ = ["Agency", "Division", "DocRef", "National", "PlanSummary", "divisions"]

LEVEL_EN = {"county": "County", "city": "Municipal", "province": "Provincial"}
LEVEL_INDEX = {"county": 0, "city": 1, "province": 2}


@dataclass(frozen=True)
class Agency:
    iri: str        # <…>
    printed: str    # as the plans print it: 县财政局


@dataclass(frozen=True)
class DocRef:
    """A document as another one cites it."""

    iri: str
    number: str
    series_code: str
    year: int
    serial: int
    title: str


@dataclass(frozen=True)
class PlanSummary:
    """What the plans below, and next year's plan, need to know of a plan."""

    ref: DocRef
    tasks: dict[str | None, list[str]]  # sector key → task IRIs (for measure-level links)


@dataclass
class Division:
    code: str
    place: str      # 青川
    level: str      # province, city or county
    parent: Division | None
    theme: str
    agencies: dict[str, Agency] = field(default_factory=dict)
    towns: list[Agency] = field(default_factory=list)
    plans: dict[int, PlanSummary] = field(default_factory=dict)  # year → plan

    @property
    def name(self) -> str:
        return self.place + V.LEVEL_PLACE[self.level]

    @property
    def series_code(self) -> str:
        return self.place + ("市政办" if self.level == "city" else "政办发")


class _Curated:
    """Triples of the curated graph, with the source every registry row carries."""

    def __init__(self, source: str) -> None:
        self.source = lit(source)
        self.triples: list[str] = []

    def agency(self, node: str, *, ref: tuple[str, str], zh_name: str, en_name: str,
               kind: str, parent: str | None, printed: str | None = None) -> None:
        add = self.triples.append
        add(f"{node} {T.type} {T.Organization}")
        add(f"{node} {T.prefLabel} {zh(zh_name)}")
        add(f"{node} {T.prefLabel} {lit(en_name, lang='en')}")
        if printed and printed != zh_name:
            add(f"{node} {T.altLabel} {zh(printed)}")
        add(f"{node} {T.classification} {iri(iris.concept('agency-kind', kind))}")
        if parent:
            add(f"{node} {T.subOrganizationOf} {parent}")
        add(f"{node} {T.divisionCode} {lit(ref[0])}")
        add(f"{node} {T.identifier} {lit('/'.join(ref))}")
        add(f"{node} {T.source} {self.source}")


class National:
    """National bodies and the documents they issue, one set per year."""

    def __init__(self, rng: random.Random, *, years: range, source: str) -> None:
        self.curated = _Curated(source)
        self.agencies = {}
        for key, (name, en, kind, _series) in V.NATIONAL_AGENCIES.items():
            node = iri(iris.agency(division="cn", key=key))
            self.agencies[key] = node
            self.curated.agency(node, ref=("cn", key), zh_name=name, en_name=en, kind=kind,
                                parent=None)
        issuing = [(key, code) for key, row in V.NATIONAL_AGENCIES.items() for code in row[3]]
        self.documents: dict[int, list[DocRef]] = {}
        for year in years:
            self.documents[year] = [self._document(rng, year, key, code)
                                    for key, code in rng.sample(issuing, 6)]

    def _document(self, rng: random.Random, year: int, issuer: str, code: str) -> DocRef:
        serial = rng.randint(10, 480)
        title = (f"关于{rng.choice(V.NATIONAL_VERBS)}{rng.choice(V.NATIONAL_TOPICS)}的"
                 f"{rng.choice(V.NATIONAL_KINDS)}")
        node = iri(iris.document(division="cn", year=year, series_key=iris.series_key(code),
                                 serial=serial))
        doc = DocRef(node, f"{code}〔{year}〕{serial}号", code, year, serial, title)
        add = self.curated.triples.append
        add(f"{node} {T.type} {T.LegalResource}")
        add(f"{node} {T.id_local} {lit(doc.number)}")
        add(f"{node} {T.issuerCode} {lit(code)}")
        add(f"{node} {T.year} {typed(year, XSD_.gYear)}")
        add(f"{node} {T.serial} {typed(serial, XSD_.integer)}")
        add(f"{node} {T.divisionCode} {lit('cn')}")
        add(f"{node} {T.title} {zh(title)}")
        add(f"{node} {T.passed_by} {self.agencies[issuer]}")
        add(f"{node} {T.level} {C.level['national']}")
        add(f"{node} {T.type_document} {C.departmental}")
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        add(f"{node} {T.date_document} {typed(date, XSD_.date)}")
        add(f"{node} {T.source} {self.curated.source}")
        return doc

    def pick(self, rng: random.Random, year: int, k: int = 1) -> list[DocRef]:
        """``k`` documents a plan of ``year`` may cite: of that year or the one before."""
        pool = self.documents.get(year, []) + self.documents.get(year - 1, [])
        return rng.sample(pool, k)


def _places(rng: random.Random) -> Iterator[str]:
    """Distinct place names of two characters (three once two run short)."""
    chars = list(dict.fromkeys(V.PLACE_CHARS))
    used: set[str] = set()
    while True:
        size = 2 if len(used) < len(chars) ** 2 // 2 else 3
        name = "".join(rng.choice(chars) for _ in range(size))
        if name not in used and len(set(name)) == len(name):
            used.add(name)
            yield name


def divisions(rng: random.Random, national: National, *, source: str
              ) -> Iterator[tuple[Division, list[str]]]:
    """Divisions in the order their plans are written (a province, then each city and its
    counties), each with the curated triples of its agencies."""
    places = _places(rng)
    for p in range(11, 100):
        province = Division(f"{p:02d}0000", next(places), "province", None,
                            rng.choice(V.THEMES))
        yield province, _staff(rng, province, national, source)
        for c in range(1, rng.randint(3, 6) + 1):
            city = Division(f"{p:02d}{c:02d}00", next(places), "city", province, province.theme)
            yield city, _staff(rng, city, national, source)
            for k in range(1, rng.randint(4, 8) + 1):
                county = Division(f"{p:02d}{c:02d}{k:02d}", next(places), "county", city,
                                  city.theme)
                yield county, _staff(rng, county, national, source)
    raise ValueError("too many plans for the synthetic divisions (at most 89 provinces)")


def _pinyin(place: str) -> str:
    return "".join(lazy_pinyin(place)).capitalize()


def _staff(rng: random.Random, d: Division, national: National, source: str) -> list[str]:
    """Give ``d`` its agencies; returns their curated triples."""
    curated = _Curated(source)
    level, py = d.level, _pinyin(d.place)

    def add(key: str, printed: str, en: str, kind: str, parent: str | None) -> None:
        node = iri(iris.agency(division=d.code, key=key))
        head = V.LEVEL_PLACE[level]
        full = d.name + printed[1:] if printed.startswith(head) else printed
        curated.agency(node, ref=(d.code, key), zh_name=full, en_name=en, kind=kind,
                       parent=parent, printed=printed)
        d.agencies[key] = Agency(node, printed)

    up = d.parent.agencies if d.parent else {}
    place_en = f"{py} {LEVEL_EN[level]}"
    government_en = (f"People's Government of {py} Province" if level == "province"
                     else f"{place_en} People's Government")
    add("government", d.name + "人民政府", government_en, "government",
        up["government"].iri if up else None)
    office = "人民政府办公厅" if level == "province" else "人民政府办公室"
    add("government-office", d.name + office, f"General Office of the {government_en}",
        "government-office", d.agencies["government"].iri)
    government = d.agencies["government"].iri
    i = LEVEL_INDEX[level]
    for key, (printed, en) in V.DEPARTMENTS.items():
        if key in V.CORE_DEPARTMENTS or rng.random() < 0.7:
            add(key, printed[i], f"{place_en} {en[i]}", V.DEPARTMENT_KIND[level], government)
    for key, (printed, kinds, parent_rule, national_key) in V.OTHER_BODIES.items():
        if key not in ("tax", "pboc") and rng.random() < 0.35:
            continue
        if parent_rule == "government":
            parent = government
        elif parent_rule == "up" and key in up:
            parent = up[key].iri
        else:
            parent = national.agencies.get(national_key, government)
        add(key, printed[i].format(place=d.name), f"{place_en} {V.OTHER_EN[key]}", kinds[i],
            parent)
    if level == "county":
        for t in range(1, rng.randint(2, 5) + 1):
            town = rng.choice(V.PLACE_CHARS) + rng.choice("庄口店坪城关河桥") + "镇"
            add(f"town-{t}", town, f"{_pinyin(town[:-1])} Town", "township", government)
            d.towns.append(d.agencies.pop(f"town-{t}"))
    return curated.triples
