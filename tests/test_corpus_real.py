"""Documents as published, against hand-made gold: real State Council texts and our own.

The real texts live beside the project (``shared/corpus/real``: six national 意见 and 通知 with
gold files made by careful reading, see its README); they are read from there when the folder
exists and never copied here. ``tests/fixtures/national`` holds fictional documents written in
our own words from the same conventions, so that every rule is tested inside the repository.
"""

from __future__ import annotations

import pytest

from plankg.graph.cli import main
from plankg.graph.parse import parse_file
from plankg.graph.validate import validate_plan
from tests.conftest import FIXTURES
from tests.gold import REAL_CORPUS, gold_pairs, load_gold, score, uncovered

REAL = gold_pairs(REAL_CORPUS) if REAL_CORPUS.is_dir() else []
OWN = gold_pairs(FIXTURES / "national")
CASES = [pytest.param(doc, gold, 0.95, id=f"real:{doc.stem}") for doc, gold in REAL] + [
    pytest.param(doc, gold, 1.0, id=f"own:{doc.stem}") for doc, gold in OWN]


def test_the_own_fixtures_are_there():
    assert len(OWN) >= 6


@pytest.mark.skipif(not REAL, reason="shared/corpus/real is not beside the project")
def test_the_real_corpus_is_all_read():
    assert len(REAL) == 6


@pytest.mark.parametrize(("doc", "gold", "f1"), CASES)
def test_measures_header_and_agencies_match_the_gold(doc, gold, f1):
    plan = parse_file(doc)
    result = score(plan, load_gold(gold), name=doc.name)
    assert result.measures_exact, result.mismatches
    assert result.framing_found == result.framing_gold
    assert result.header == dict.fromkeys(result.header, True)
    assert result.cites_exact
    assert result.f1 >= f1, result.mismatches
    assert result.notes_found == result.notes_gold


@pytest.mark.parametrize(("doc", "gold", "f1"), CASES)
def test_validation_finds_no_violation_the_gold_contradicts(doc, gold, f1):
    plan = parse_file(doc)
    report = validate_plan(plan)
    assert [(f.line, f.message_en) for f in report.violations] == []
    expected = load_gold(gold)["document"]
    assert report.kind["kind"] == "policy"
    assert report.kind["level"] == expected["level"]


@pytest.mark.parametrize(("doc", "gold", "f1"), CASES)
def test_every_character_after_the_title_block_is_kept(doc, gold, f1):
    plan = parse_file(doc)
    assert uncovered(plan, doc.read_text(encoding="utf-8")) == []
    assert plan.issuer in plan.signature.split()  # the signature is the document's, kept
    last = plan.tasks[-1]
    assert "此件" not in last.text and not (last.bracket or last.text).endswith(plan.issuer)


@pytest.mark.parametrize(("doc", "gold", "f1"), CASES)
def test_the_command_line_reads_it(doc, gold, f1, capsys):
    assert main(["validate", str(doc)]) == 0
    out = capsys.readouterr().out
    assert "validated as:" in out and "a document of measures" in out
