"""Regression: stopping ``plankg serve`` with SIGTERM killed it with status 143 before it closed
its query workers, and each worker printed an ``EOFError`` traceback as its pipe broke. Now a
SIGTERM (as from systemd or ``docker stop``) or a SIGINT (Ctrl-C) stops it quietly with 0."""

from __future__ import annotations

import signal
import urllib.parse
import urllib.request

import pytest

from tests.conftest import serving


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_cleanly_on_a_signal(tmp_path, sig):
    with serving(tmp_path) as (process, base):
        query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        with urllib.request.urlopen(f"{base}/sparql?{query}", timeout=30) as answer:
            assert answer.status == 200  # a worker process has answered
        process.send_signal(sig)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err, err
