"""Other plans of the genre (fixtures written for the tests) against their hand-made tables."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from plankg.graph.parse import parse_file
from tests.conftest import FIXTURES

PLANS = FIXTURES / "plans"
STEMS = sorted(p.stem for p in PLANS.glob("*.md") if p.stem != "README")


def _table(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("stem", STEMS)
def test_tasks_match_the_table(stem):
    plan = parse_file(PLANS / f"{stem}.md")
    expected = _table(PLANS / f"{stem}.expected.tsv")
    got = [(t.section, t.number, t.heading, [(a.as_written, a.role) for a in t.assignments])
           for t in plan.tasks]
    want = [(int(r["section"]), int(r["number"]), r["heading"],
             [tuple(e.split(":")) for e in r["agencies"].split("|")]) for r in expected]
    assert got == want


@pytest.mark.parametrize("stem", STEMS)
def test_header_matches_the_table(stem):
    plan = parse_file(PLANS / f"{stem}.md")
    meta = {r["key"]: r["value"] for r in _table(PLANS / f"{stem}.meta.tsv")}
    assert str(plan.number) == meta["number"]
    assert plan.title == meta["title"]
    assert plan.issuer == meta["issuer"]
    assert plan.date.isoformat() == meta["date"]
    assert len(plan.tasks) == int(meta["tasks"])
    assert plan.numbering_restarts == (meta["restarts"] == "yes")
    indicator, value, unit = meta["goal"].split("|")
    assert [(g.indicator, g.value, g.unit) for g in plan.goals][:1] == [
        (indicator, Decimal(value), unit)]


@pytest.mark.parametrize("stem", STEMS)
def test_other_plans_conform(stem):
    from plankg.graph.validate import validate_file

    report = validate_file(PLANS / f"{stem}.md")
    assert report.conforms, [(f.line, f.message_en) for f in report.violations]
