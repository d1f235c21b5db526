"""``plankg serve``'s numbers, from options or the environment: a bad one is a bilingual error
that names where it came from, never a traceback (the option's default is read from the
environment when the parser is made)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from plankg.service.cli import main


@pytest.mark.parametrize(("variable", "value", "option"), [
    ("PLANKG_PROCESSES", "two", "--processes"),
    ("PLANKG_PROCESSES", "0", "--processes"),
    ("PLANKG_CACHE_MB", "-1", "--cache-mb"),
    ("PLANKG_MAX_AGE", "1.5", "--max-age"),
    ("PLANKG_QUERY_TIMEOUT", "nan", "--timeout"),
    ("PLANKG_QUERY_TIMEOUT", "0", "--timeout")])
def test_a_bad_number_in_the_environment(monkeypatch, capsys, variable, value, option):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "1"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}:" in err and variable in err and repr(value) in err
    assert "须为" in err and "must be" in err


@pytest.mark.parametrize("argv", [["--workers", "-1"], ["--wait", "soon"], ["--port", "x"]])
def test_a_bad_number_given_as_an_option(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", *argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "须为" in err and "must be" in err and "environment" not in err


def test_no_traceback():
    run = subprocess.run([sys.executable, "-m", "plankg.service.cli", "serve"],
                         capture_output=True, text=True, timeout=60, check=False,
                         env={"PLANKG_CACHE_MB": "lots", "PATH": ""})
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "PLANKG_CACHE_MB" in run.stderr
