"""A lean HTTP/1.1 client for the load benchmarks: one keep-alive connection from a local
address, requests written by hand, answers read with httptools (as uvicorn reads requests).

httpx spends about a millisecond of CPU on each request; at several hundred requests a second
the load generator then took a whole core of the two it shares with the servers it measures,
and its own queue was what got measured. This client spends a few tens of microseconds.
Only what the benchmarks send: GET, and POST with a body; the status is all that is kept.
:func:`run` runs a coroutine on uvloop when it is installed (as uvicorn does).
"""

from __future__ import annotations

import asyncio

import httptools

__all__ = ["Connection", "run"]


def run(coroutine):
    """``asyncio.run``, on uvloop's event loop when it is installed."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


class _Reply:
    def __init__(self) -> None:
        self.done = False
        self.keep_alive = False
        self.parser: httptools.HttpResponseParser | None = None

    def on_headers_complete(self) -> None:
        # asked here: once the message is complete, httptools 0.9 answers False whatever the
        # headers said, and every request then cost a new connection (and a TIME_WAIT socket)
        self.keep_alive = self.parser.should_keep_alive()

    def on_message_complete(self) -> None:
        self.done = True


class Connection:
    """One keep-alive connection to ``host:port`` from ``local`` (an address of this machine);
    it connects again when the server closes it, and a request that found it closed is sent
    once more."""

    def __init__(self, host: str, port: int, local: str | None = None,
                 timeout: float = 30.0) -> None:
        self.host, self.port, self.local, self.timeout = host, port, local, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str, accept: str = "*/*") -> int:
        return await self.request("GET", target, accept=accept)

    async def request(self, method: str, target: str, *, accept: str = "*/*",
                      body: bytes = b"", content_type: str = "") -> int:
        head = (f"{method} {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Accept: {accept}\r\n")
        if method == "POST":
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        message = (head + "\r\n").encode() + body
        for attempt in range(2):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.wait_for(asyncio.open_connection(
                    self.host, self.port, local_addr=(self.local, 0) if self.local else None),
                    self.timeout)
            try:
                self.writer.write(message)
                async with asyncio.timeout(self.timeout):  # no task of its own, as wait_for
                    return await self._read()
            except (ConnectionError, httptools.HttpParserError):
                await self.close()
                if attempt or fresh:
                    raise
            except TimeoutError:
                await self.close()
                raise
        return 0

    async def _read(self) -> int:
        reply = _Reply()
        parser = reply.parser = httptools.HttpResponseParser(reply)
        while not reply.done:
            data = await self.reader.read(65536)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)
        if not reply.keep_alive:
            await self.close()
        return parser.get_status_code()

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
