"""The load benchmarks' HTTP client (bench/lean_http.py) keeps its connection open when the
server does, and opens a new one when the server closes it: a client that reconnected for
every request measured connection set-up (and filled the machine with TIME_WAIT sockets)."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "lean_http", Path(__file__).resolve().parent.parent / "bench" / "lean_http.py")
lean_http = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(lean_http)


async def _serve_and_ask(answer: bytes, requests: int) -> tuple[list[int], int]:
    """A server answering ``answer`` to every request; the statuses the client read and the
    connections the server accepted."""
    accepted = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted
        accepted += 1
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(answer)
                await writer.drain()
                if b"connection: close" in answer.lower():
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    connection = lean_http.Connection("127.0.0.1", port)
    try:
        statuses = [await connection.get("/x") for _ in range(requests)]
    finally:
        await connection.close()
        server.close()
        await server.wait_closed()
    return statuses, accepted


@pytest.mark.parametrize(("headers", "connections"), [
    (b"content-length: 2\r\n", 1),
    (b"content-length: 2\r\nconnection: close\r\n", 5)])
def test_one_connection_while_the_server_keeps_it(headers, connections):
    answer = b"HTTP/1.1 200 OK\r\n" + headers + b"\r\n[]"
    statuses, accepted = asyncio.run(_serve_and_ask(answer, 5))
    assert statuses == [200] * 5
    assert accepted == connections


def test_one_connection_to_plankg(server, monkeypatch):
    host, port = server.removeprefix("http://").split(":")
    opened = 0
    real = asyncio.open_connection

    async def counting(*args, **kwargs):
        nonlocal opened
        opened += 1
        return await real(*args, **kwargs)

    async def ask() -> list[int]:
        connection = lean_http.Connection(host, int(port))
        try:
            return [await connection.get("/api/plans", "application/json") for _ in range(5)]
        finally:
            await connection.close()

    monkeypatch.setattr(asyncio, "open_connection", counting)
    assert asyncio.run(ask()) == [200] * 5
    assert opened == 1
