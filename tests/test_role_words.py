"""Every place that takes a role takes the same words, through one resolver
(:func:`plankg.graph.names.resolve_role`); tables and CSV print a role as its words.

Regression: ``plankg tasks --role 配合`` was refused by argparse's choices, and ``/api/tasks?role=配合``
and the task page's filter answered "unknown role" (graph/tasks.py checked the English keys
alone), while ``plankg query tasks-by-agency -p role=配合`` took it. Query tables printed a role
as ``id/role/support``.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from plankg.graph.cli import main
from plankg.graph.publish import load_release
from plankg.graph.store import GraphStore
from plankg.service import create_app

ROLE_WORDS = [("lead", "牵头"), ("support", "配合"), ("responsible", "负责"),
              ("unspecified", "未写明")]
AGENCY = "县工信局"  # it takes every role in the seed plan


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(GraphStore.of(load_release())))


@pytest.fixture(autouse=True)
def _release(monkeypatch):
    monkeypatch.delenv("PLANKG_STORE", raising=False)  # the CLI reads the release


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _cli_tasks(capsys, *argv: str) -> list[int]:
    code, out, err = _cli(capsys, "tasks", *argv, "--format", "json")
    assert code == 0, err
    return [t["number"] for t in json.loads(out)]


def _page_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", html)]


@pytest.mark.parametrize("key, word", ROLE_WORDS)
def test_every_place_takes_the_same_role_words(capsys, client, key, word):
    expected = _cli_tasks(capsys, "--role", key)
    assert expected
    for spelled in (key, word):
        assert _cli_tasks(capsys, "--role", spelled) == expected
        response = client.get("/api/tasks", params={"role": spelled})
        assert response.status_code == 200, response.text
        assert [t["number"] for t in response.json()] == expected
        page = client.get("/tasks", params={"role": spelled})
        assert page.status_code == 200
        assert _page_numbers(page.text) == expected
        assert f'<option value="{key}" selected>' in page.text  # the filter shows the choice

    by_agency = _cli_tasks(capsys, "--agency", AGENCY, "--role", word)
    for spelled in (key, word):
        code, out, err = _cli(capsys, "query", "tasks-by-agency", "--param", f"agency={AGENCY}",
                              "--param", f"role={spelled}", "--format", "json")
        assert code == 0, err
        assert sorted({int(r["number"]) for r in json.loads(out)}) == by_agency
        response = client.get("/api/queries/tasks-by-agency",
                              params={"agency": AGENCY, "role": spelled})
        assert response.status_code == 200, response.text
        assert response.json() == json.loads(out)


def test_an_unknown_role_is_refused_alike_everywhere(capsys, client):
    code, _, err = _cli(capsys, "tasks", "--role", "boss")
    assert code == 2 and "未知角色：boss" in err and "unknown role: boss" in err
    code, _, err_query = _cli(capsys, "query", "tasks-by-agency", "--param", f"agency={AGENCY}",
                              "--param", "role=boss")
    assert code == 2 and err_query == err
    tasks = client.get("/api/tasks", params={"role": "boss"})
    query = client.get("/api/queries/tasks-by-agency", params={"agency": AGENCY, "role": "boss"})
    assert tasks.status_code == query.status_code == 404
    assert tasks.json() == query.json()
    assert tasks.json()["message_en"] == "unknown role: boss"
    assert client.get("/tasks", params={"role": "boss"}).status_code == 404


def test_an_empty_role_is_no_filter(capsys, client):
    every = _cli_tasks(capsys)
    assert [t["number"] for t in client.get("/api/tasks", params={"role": ""}).json()] == every


def test_tables_and_csv_print_a_role_as_its_words_and_json_keeps_the_iri(capsys):
    params = ("--param", f"agency={AGENCY}", "--param", "role=配合")
    code, out, _ = _cli(capsys, "query", "tasks-by-agency", *params)
    assert code == 0
    assert "配合 support" in out and "id/role" not in out
    code, out, _ = _cli(capsys, "query", "tasks-by-agency", *params, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["role"] for r in rows} == {"配合 support"}
    code, out, _ = _cli(capsys, "query", "tasks-by-agency", *params, "--format", "json")
    assert {r["role"] for r in json.loads(out)} == {"https://w3id.org/plankg/id/role/support"}


@pytest.mark.parametrize("key, word", ROLE_WORDS)
def test_the_words_a_table_prints_are_taken_back(capsys, key, word):
    """What a table prints for a role (``配合 support``) is two words ``--role`` takes."""
    from plankg.graph.tasks import role_label

    printed = role_label(key)
    assert printed == f"{word} {key}"
    assert {tuple(_cli_tasks(capsys, "--role", part)) for part in printed.split()} == \
        {tuple(_cli_tasks(capsys, "--role", key))}
