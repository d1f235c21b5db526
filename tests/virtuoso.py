"""A throwaway Virtuoso open-source 7 (Debian's package) on loopback, for tests and benchmarks.

The packaged ``virtuoso.ini`` is copied into a temporary folder, its database paths pointed
there, both ports bound to 127.0.0.1 on free ports, the result cap raised (Virtuoso silently cuts
results at 10,000 rows by default), the query cost estimate turned off (it refuses property-path
queries it guesses at minutes, that run in milliseconds), and the server started in the foreground; it is online when
``/sparql?query=ASK{}`` answers. The database is deleted afterwards.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["Virtuoso", "available", "throwaway_virtuoso"]

PACKAGED_INI = Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")  # Debian's path


@dataclass(frozen=True)
class Virtuoso:
    http_port: int
    sql_port: int
    folder: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def spec(self) -> str:
        """The ``--store`` value for this server (queries, SPARQL Update and the GSP)."""
        return (f"sparql:{self.base}/sparql;update={self.base}/sparql-auth;"
                f"gsp={self.base}/sparql-graph-crud-auth;user=dba;password=dba")


def available() -> bool:
    return shutil.which("virtuoso-t") is not None and PACKAGED_INI.exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _configure(text: str, *, folder: Path, http_port: int, sql_port: int, max_rows: int) -> str:
    section = ""
    out = []
    for line in text.splitlines():
        head = re.match(r"^\[(.+)\]", line)
        if head:
            section = head.group(1)
        key = line.split("=", 1)[0].strip() if "=" in line and not line.startswith(";") else ""
        value = None
        if section in ("Database", "TempDatabase") and key in (
                "DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile",
                "xa_persistent_file"):
            value = str(folder / Path(line.split("=", 1)[1].strip()).name)
        elif section == "Parameters" and key == "ServerPort":
            value = f"127.0.0.1:{sql_port}"
        elif section == "Parameters" and key == "DirsAllowed":
            value = f"., {folder}, /usr/share/virtuoso-opensource-7/vad"
        elif section == "Parameters" and key in ("NumberOfBuffers", "MaxDirtyBuffers"):
            value = "170000" if key == "NumberOfBuffers" else "130000"  # the 2 GB row
        elif section == "HTTPServer" and key == "ServerPort":
            value = f"127.0.0.1:{http_port}"
        elif section == "SPARQL" and key == "ResultSetMaxRows":
            value = str(max_rows)
        elif section == "SPARQL" and key == "MaxQueryCostEstimationTime":
            value = "0"  # off: its estimate refuses task-lineage on a 10⁴-triple corpus
        out.append(f"{key} = {value}" if value is not None else line)
    return "\n".join(out) + "\n"


@contextmanager
def throwaway_virtuoso(*, timeout: float = 60.0, max_rows: int = 1_000_000) -> Iterator[Virtuoso]:
    """Start a fresh Virtuoso, yield it, then stop it and delete its database. ``max_rows`` is
    its result cap (``ResultSetMaxRows``)."""
    folder = Path(tempfile.mkdtemp(prefix="plankg-virtuoso-"))
    server = Virtuoso(_free_port(), _free_port(), folder)
    ini = folder / "virtuoso.ini"
    ini.write_text(_configure(PACKAGED_INI.read_text(encoding="utf-8"), folder=folder,
                              http_port=server.http_port, sql_port=server.sql_port,
                              max_rows=max_rows),
                   encoding="utf-8")
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(["virtuoso-t", "+configfile", str(ini), "+foreground"],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {(folder / 'virtuoso.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{server.base}/sparql", params={"query": "ASK {}"},
                             timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("virtuoso-t did not come online")
            time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
