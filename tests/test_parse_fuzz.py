"""The plan parser on arbitrary text: it returns a plan or raises SourceParseError, nothing else
(no IndexError, no ValueError, no hang). Hypothesis, derandomised: the same examples each run.

Two sources of text: anything (weighted towards what plans are made of: CJK, full-width
brackets, numbering, digits, dates, 〔〕 document numbers), and the seed plan mutated: lines
deleted, duplicated, shuffled, truncated, and brackets and numbers dropped in at random.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plankg.graph.errors import SourceParseError
from plankg.graph.model import Plan
from plankg.graph.parse import parse_plan
from plankg.graph.registry import load_registry
from tests.conftest import SEED

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
PIECES = ["一、", "二、", "（一）", "（二）", "1.", "2.", "10.", "１．", "(1)", "①", "〔2022〕",
          "〔", "〕", "（", "）", "(", ")", "【", "】", "[", "]", "《", "》", "牵头", "配合", "负责",
          "县发改局", "县工信局", "沁政办发〔2022〕33号", "晋政办发〔", "号", "年", "月", "日",
          "2022年12月31日", "2025年底前", "%", "万元", "个", "达到", "不低于", "。", "、", "；",
          "：", "\n", "\n\n", " ", "\t", "#", "**", "---", "0", "9" * 30, "-1", "1e999", "\u3000",
          "\ufeff", "\r", "\u2028", "\ud7ff", "\U0001f600"]


def _check(text: str, registry) -> None:
    try:
        plan = parse_plan(text, source_file="fuzz.md", registry=registry)
    except SourceParseError as exc:
        assert exc.zh and exc.en and exc.file == "fuzz.md"
        return
    assert isinstance(plan, Plan) and plan.tasks


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


plan_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)),
                     max_size=120).map("".join)


@FUZZ
@given(text=st.one_of(st.text(max_size=2000), plan_like))
def test_any_text_parses_or_raises_source_parse_error(registry, text):
    _check(text, registry)


@st.composite
def mutated(draw, lines: list[str]) -> str:
    lines = list(lines)
    for _ in range(draw(st.integers(1, 12))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "insert",
                                       "blank"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "truncate":
            lines[i] = lines[i][:draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        elif action == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(PIECES)) + lines[i][at:]
        else:
            lines[i] = ""
    if draw(st.booleans()):
        lines = draw(st.permutations(lines))
    return "\n".join(lines)


def test_the_seed_parses(registry, seed_lines):
    plan = parse_plan("\n".join(seed_lines), source_file="seed.md", registry=registry)
    assert len(plan.tasks) == 66


@FUZZ
@given(data=st.data())
def test_a_mutated_seed_parses_or_raises_source_parse_error(registry, seed_lines, data):
    _check(data.draw(mutated(seed_lines)), registry)
