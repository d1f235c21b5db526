"""Nothing a user passes in runs unbounded or is damaged in silence (one test a case of the
issue "nothing corrupts the store, nothing runs unbounded"; timings are in bench, not here)."""

from __future__ import annotations

import os
import zipfile

import pytest

from plankg.graph.cli import main
from plankg.graph.errors import SourceParseError
from plankg.graph.parse import parse_file, parse_plan
from plankg.graph.parse.reading import decode_text
from plankg.graph.parse.targets import find_targets
from plankg.graph.parse.text import Run, SourceText
from tests.conftest import SEED

HEAD = SEED.read_text(encoding="utf-8").split("## 一、工作目标")[0]


def _plan(tasks: int) -> str:
    return HEAD + "\n\n## 一、工作目标\n\n到年底增速9%。\n\n## 二、主要任务\n\n" + "\n\n".join(
        f"{i}. 推进示例工作{i}。加强示例保障。（县工信局牵头，县财政局配合）"
        for i in range(1, tasks + 1))


def test_task_numbers_past_999_are_tasks_not_text_of_task_999():
    plan = parse_plan(_plan(1200), source_file="big.md")
    assert [t.number for t in plan.tasks] == list(range(1, 1201))
    assert plan.tasks[998].text == "推进示例工作999。加强示例保障。"


def test_thousands_of_targets_in_one_sentence_are_all_read():
    text = "推进工作。" + "，".join(f"新建基站{i}个" for i in range(16_000)) + "。"
    targets = find_targets(Run(text, list(range(len(text)))), SourceText(text, file="x"),
                           plan_year=2022)
    assert len(targets) == 16_000 and targets[-1].value == 15_999


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(tmp_path, capsys):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/document.xml", "w") as part:  # 60 MB of spaces, a few KB zipped
        chunk = b" " * (1 << 20)
        for _ in range(60):
            part.write(chunk)
    assert bomb.stat().st_size < 200_000
    assert main(["validate", str(bomb)]) == 2
    assert "inflates to too much" in capsys.readouterr().err


def test_devices_and_pipes_are_not_read(tmp_path, capsys):
    assert main(["validate", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    fifo = tmp_path / "plan.md"
    os.mkfifo(fifo)
    assert main(["validate", str(fifo)]) == 2  # would wait for a writer for ever
    assert "not a regular file" in capsys.readouterr().err


def test_a_file_past_the_size_limit_is_refused(tmp_path, monkeypatch):
    from plankg.graph.parse import reading
    path = tmp_path / "plan.md"
    path.write_text(_plan(5), encoding="utf-8")
    monkeypatch.setattr(reading, "MAX_INPUT_BYTES", 100)
    with pytest.raises(SourceParseError, match="too large"):
        reading.read_bounded(path, limit=reading.MAX_INPUT_BYTES)


def test_gb18030_text_is_read_and_said(tmp_path, capsys):
    path = tmp_path / "gbk-plan.md"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    assert len(parse_file(path).tasks) == 66
    assert main(["validate", str(path)]) == 0
    assert "encoding: GB18030" in capsys.readouterr().out
    with pytest.raises(SourceParseError, match="neither UTF-8 nor GB18030"):
        decode_text("Grüße, naïve café".encode("latin-1"), file="latin.txt")


def test_gb18030_html_saved_from_a_site(tmp_path):
    html = "<html><body><p>1. 示例任务。推进示例。</p></body></html>"
    assert decode_text(html.encode("gbk"), file="x.html")[1] == "gb18030"
