"""What one request may cost: rows in an answer, characters in a query, and queries running at
once for one client.

=========================  =========  ===============================  ======================
limit                      default    environment variable             over it
=========================  =========  ===============================  ======================
a request body             5 MB                                        413
rows of a SELECT answer    10,000     ``PLANKG_MAX_ROWS``              cut, and said so in
                                                                       ``X-PlanKG-Truncated``
characters of a query      100,000    ``PLANKG_MAX_QUERY_CHARS``       413
SPARQL requests at once    4          ``PLANKG_CLIENT_QUERIES``        wait, then 429
per client address                    (0: no limit)
waiting for a slot         10 s       ``PLANKG_CLIENT_WAIT``           429, ``Retry-After``
=========================  =========  ===============================  ======================

A client's request beyond its share waits (on the event loop, holding no thread) until one of
its own requests ends; at most :data:`WAITING_PER_SLOT` times the share may wait, the rest get
429 at once. The limits are read from the environment when an app first needs them; a test sets
``app.state.limits`` instead. Client slots live on the app too (no module-level state).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

import anyio

from .errors import problem

__all__ = ["MAX_BODY", "ClientSlots", "Limits", "limits_of", "read_body", "slots_of",
           "too_large", "within_client_limit"]

TRUNCATED = "X-PlanKG-Truncated"
MAX_BODY = 5 * 1024 * 1024
WAITING_PER_SLOT = 8


def _setting(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip().isdigit() else default


@dataclass(frozen=True)
class Limits:
    max_rows: int = 10_000
    max_query_chars: int = 100_000
    client_queries: int = 4
    client_wait: float = 10.0

    @classmethod
    def from_env(cls) -> Limits:
        return cls(_setting("PLANKG_MAX_ROWS", cls.max_rows),
                   _setting("PLANKG_MAX_QUERY_CHARS", cls.max_query_chars),
                   _setting("PLANKG_CLIENT_QUERIES", cls.client_queries),
                   _setting("PLANKG_CLIENT_WAIT", int(cls.client_wait)))


def limits_of(app) -> Limits:
    """The app's limits (from the environment, the first time)."""
    if getattr(app.state, "limits", None) is None:
        app.state.limits = Limits.from_env()
    return app.state.limits


class ClientSlots:
    """How many requests each client address has running (at most ``limit``; 0: no limit) and
    waiting. Locked, not asyncio: a test client may run several event loops in threads."""

    def __init__(self) -> None:
        self.running: dict[str, int] = {}
        self.waiting: dict[str, int] = {}
        self._lock = threading.Lock()

    def _take(self, client: str, limit: int) -> bool:
        with self._lock:
            if limit and self.running.get(client, 0) >= limit:
                return False
            self.running[client] = self.running.get(client, 0) + 1
            return True

    def _wait(self, client: str, step: int) -> int:
        with self._lock:
            self.waiting[client] = self.waiting.get(client, 0) + step
            if not self.waiting[client]:
                del self.waiting[client]
            return self.waiting.get(client, 0)

    async def take(self, client: str, limit: int, wait: float) -> bool:
        """Take a slot for ``client``, waiting at most ``wait`` seconds; False if none."""
        if self._take(client, limit):
            return True
        try:
            if self._wait(client, +1) > WAITING_PER_SLOT * limit:
                return False
            deadline, delay = time.monotonic() + wait, 0.01
            while time.monotonic() < deadline:
                await anyio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                delay = min(delay * 2, 0.2)
                if self._take(client, limit):
                    return True
            return False
        finally:
            self._wait(client, -1)

    def give(self, client: str) -> None:
        with self._lock:
            left = self.running.get(client, 1) - 1
            if left:
                self.running[client] = left
            else:
                self.running.pop(client, None)


def slots_of(app) -> ClientSlots:
    if getattr(app.state, "client_slots", None) is None:
        app.state.client_slots = ClientSlots()
    return app.state.client_slots


async def read_body(request, limit: int = MAX_BODY) -> bytes | None:
    """The request's body, or None when it is larger than ``limit`` (read in chunks: never
    much more than the limit is held, whatever the Content-Length says or does not say)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            return None
    return bytes(raw)


def too_large(limit: int = MAX_BODY):
    """413, naming the limit."""
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return problem(413, f"请求体超过 {size}", f"the request body is larger than {size}")


async def within_client_limit(request, handle):
    """Run ``handle(request)`` (an async function) when this client address gets a slot;
    429 with Retry-After when it does not (see the table above)."""
    limits = limits_of(request.app)
    limit = limits.client_queries
    slots = slots_of(request.app)
    client = request.client.host if request.client else ""
    if not await slots.take(client, limit, limits.client_wait):
        return problem(429, f"同一客户端最多同时进行 {limit} 个查询，请稍后再试",
                       f"at most {limit} queries of one client run at a time; try again later",
                       headers={"Retry-After": "1"})
    try:
        return await handle(request)
    finally:
        slots.give(client)
