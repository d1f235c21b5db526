"""HTTP caching and the answer cache: the served graph does not change while it is served, so an
answer, once computed, is the answer to every identical request of the same generation.

:class:`CachingMiddleware` (pure ASGI, inside CORS) does three things for every ``GET`` (a
``HEAD`` reaches it as one: see :mod:`plankg.service.app`) and safe ``POST`` (``/sparql``,
validation) except ``/healthz``:

- **ETag.** A request's key is a hash of the *validator seed* (the software's version, a token
  made once per ``plankg serve``, the store's generation and the limits) and of the request:
  method, scheme, Host, path, query string, ``Accept``, and for a POST its
  ``Content-Type`` and the SHA-256 of its body. A 200 carries ``ETag: W/"key"`` and
  ``Cache-Control`` (``public, no-cache`` by default: keep it, but ask first; ``public,
  max-age=N`` with ``serve --max-age N``); negotiated answers (``/sparql``, our IRIs, ``/def``)
  carry ``Vary: Accept``. The key is known before the answer, so a GET whose ``If-None-Match``
  names it gets ``304 Not Modified`` at once, with nothing run.
- **Answer cache.** Answers of status 200, 400, 403, 404, 406 are kept by key in an
  :class:`AnswerCache` (LRU, bounded in bytes, ``serve --cache-mb``, 0 turns it off); 429 and
  503 (load, timeouts, memory limits) and every other status never are. The generation is part
  of the key, so an answer of an earlier generation is never served after a reload (and the
  cache is emptied when the generation changes).
- **One computation per key.** Identical requests that arrive while the first is computed wait
  for it, then take its answer from the cache (or compute their own when it was not kept).

A route whose answer must never be kept sets ``Cache-Control`` itself (``no-store``): the
middleware then leaves its answer alone.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from .limits import limits_of

__all__ = ["AnswerCache", "CacheSettings", "CachingMiddleware", "HitsFirst", "Stored"]

KEPT_STATUSES = frozenset({200, 400, 403, 404, 406})  # fixed by the request and the generation
SAFE_POSTS = frozenset({"/sparql", "/api/validate", "/validate"})  # POSTs that change nothing
NEGOTIATED = frozenset({"/sparql", "/def"})  # answers chosen by Accept, and our IRIs' paths:
NEGOTIATED_UNDER = ("/eli/", "/id/", "/graph/")
UNCACHED = frozenset({"/healthz"})
MAX_POST_BODY = 5 * 1024 * 1024  # larger bodies pass through, and the route refuses them
ENTRY_OVERHEAD = 256  # bytes counted for an entry besides its body and headers


@dataclass(frozen=True)
class Stored:
    """One kept answer: status, headers (as the route gave them) and body; ``outer``: the
    headers it left the application with for a request without ``Origin`` (what the middleware
    outside the cache added: CORS's), once such a request has been answered, so that
    :class:`HitsFirst` can send it again as it is."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    outer: tuple[tuple[bytes, bytes], ...] | None = None

    @property
    def size(self) -> int:
        headers = self.headers + (self.outer or ())
        return len(self.body) + sum(len(k) + len(v) for k, v in headers) + ENTRY_OVERHEAD


class AnswerCache:
    """Answers by key, at most ``capacity`` bytes; the least recently used go first. An answer
    larger than ``capacity // 8`` is not kept (a download would push out everything else).

    >>> cache = AnswerCache(1000)
    >>> cache.put("a", Stored(200, (), b"x" * 300))
    True
    >>> cache.put("b", Stored(200, (), b"y" * 300)), cache.get("a") is None, len(cache)
    (True, True, 1)
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[str, Stored] = OrderedDict()
        self._lock = threading.Lock()  # a test client may run event loops in several threads

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Stored | None:
        return self._take(key, outer=False)

    def ready(self, key: str) -> Stored | None:
        """The answer kept under ``key`` when it can be sent as it is (it has its ``outer``
        headers); counted as a hit then, and as nothing otherwise (the request goes on to
        :meth:`get`)."""
        return self._take(key, outer=True)

    def _take(self, key: str, *, outer: bool) -> Stored | None:
        with self._lock:
            stored = self._entries.get(key)
            if stored is None or (outer and stored.outer is None):
                if not outer:  # a miss is counted once, by get
                    self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return stored

    def note_outer(self, key: str, status: int, outer: tuple[tuple[bytes, bytes], ...]) -> None:
        """Record the headers the answer kept under ``key`` left the application with."""
        with self._lock:
            stored = self._entries.get(key)
            if stored is None or stored.outer is not None or stored.status != status:
                return
            noted = replace(stored, outer=outer)
            self._entries[key] = noted
            self.size += noted.size - stored.size

    def put(self, key: str, stored: Stored) -> bool:
        """Keep ``stored`` under ``key``; False when it is too large to keep."""
        size = stored.size
        if size > self.capacity // 8:
            return False
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old.size
            self._entries[key] = stored
            self.size += size
            while self.size > self.capacity:
                _, dropped = self._entries.popitem(last=False)
                self.size -= dropped.size
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0

    def state(self) -> dict:
        return {"entries": len(self._entries), "bytes": self.size, "capacity": self.capacity,
                "hits": self.hits, "misses": self.misses}


@dataclass
class CacheSettings:
    """How answers are cached: ``capacity`` bytes of answers (0: none kept), ``max_age``
    seconds of freshness given to browsers and proxies (0: ``no-cache``, revalidate each
    time), and the token that makes this server's validators its own (the same in each of its
    processes, new at each start: a new version of the software changes every ETag)."""

    capacity: int = 256 * 1024 * 1024
    max_age: int = 0
    token: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    @property
    def cache_control(self) -> bytes:
        if self.max_age > 0:
            return f"public, max-age={self.max_age}".encode()
        return b"public, no-cache"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("plankg")
    except PackageNotFoundError:
        return "0"


class Keys:
    """Requests' keys (their ETags) for one application: a hash of the validator seed and of
    the request (see the module's text)."""

    def __init__(self, settings: CacheSettings, cache: AnswerCache | None) -> None:
        self.settings = settings
        self.cache = cache
        self._version = _version()
        self._served: tuple = (None, None)  # the generation and limits the seed is of
        self._seed = b""

    def seed(self, app) -> bytes:
        """The validator seed of what ``app`` serves now (its store's generation, its limits);
        a new generation empties the cache."""
        store = app.state.store
        generation = getattr(store, "generation", None) or f"object-{id(store):x}"
        limits = limits_of(app)
        if (generation, limits) != self._served:
            self._seed = "\0".join((self._version, self.settings.token, generation,
                                    repr(limits))).encode()
            if self.cache is not None and self._served[0] not in (None, generation):
                self.cache.clear()
            self._served = (generation, limits)
        return self._seed

    def key(self, scope, body: bytes | None) -> str:
        headers = dict(scope["headers"])
        h = hashlib.blake2b(self.seed(scope["app"]), digest_size=16)
        for part in (scope["method"], scope.get("scheme", "http"), scope.get("root_path", ""),
                     scope["path"]):
            h.update(b"\0" + part.encode("utf-8", "surrogateescape"))
        for part in (scope.get("query_string", b""), headers.get(b"host", b""),
                     headers.get(b"accept", b"").strip()):
            h.update(b"\0" + part)
        if body is not None:
            h.update(b"\0" + headers.get(b"content-type", b"") + b"\0"
                     + hashlib.sha256(body).digest())
        return h.hexdigest()


class HitsFirst:
    """The first thing a request meets: a ``GET`` whose answer is kept, asked without
    ``Origin`` or ``If-None-Match``, is sent at once as it left the application the first
    time, without going through the application's middleware (FastAPI's own, CORS,
    :class:`CachingMiddleware`: together about a third of a kept answer's cost). Every other
    request goes on to ``app``; for a ``GET`` without ``Origin``, the headers its answer leaves
    with are noted beside the kept answer. ``app`` is called as ``app(scope, receive, send)``."""

    def __init__(self, keys: Keys) -> None:
        self.keys = keys

    def eligible(self, scope) -> bool:
        if (self.keys.cache is None or scope["type"] != "http" or scope["method"] != "GET"
                or scope["path"] in UNCACHED):
            return False
        return all(name not in (b"origin", b"if-none-match") for name, _ in scope["headers"])

    async def __call__(self, app, scope, receive, send) -> None:
        key = self.keys.key(scope, None)
        stored = self.keys.cache.ready(key)
        if stored is not None:
            return await _send(send, stored, stored.outer)
        start: dict = {}

        async def noting(message) -> None:
            if message["type"] == "http.response.start":
                start.update(status=message["status"],
                             headers=tuple(message.get("headers", ())))
            await send(message)

        await app(scope, receive, noting)
        if start:
            self.keys.cache.note_outer(key, start["status"], start["headers"])


class CachingMiddleware:
    """ETags, 304s and the answer cache (see the module's text)."""

    def __init__(self, app, *, keys: Keys) -> None:
        self.app = app
        self.keys = keys
        self._pending: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] in UNCACHED:
            return await self.app(scope, receive, send)
        method = scope["method"]
        if method == "POST" and scope["path"] in SAFE_POSTS:
            messages, body = await _read_body(receive)
            receive = _replay(messages, receive)
            if body is None:  # too large, or the client left: the route deals with it
                return await self.app(scope, receive, send)
        elif method == "GET":
            body = None
        else:
            return await self.app(scope, receive, send)
        key = self.keys.key(scope, body)
        etag = f'W/"{key}"'.encode()
        if body is None and _matches(scope, etag):
            return await _send(send, self._not_modified(scope, etag))
        await self._answer(scope, receive, send, key, etag)

    async def _answer(self, scope, receive, send, key: str, etag: bytes) -> None:
        cache = self.keys.cache
        if cache is not None:
            stored = cache.get(key)
            if stored is None and (waited := self._pending.get(key)) is not None:
                loop, event = waited
                if loop is asyncio.get_running_loop():
                    await event.wait()
                    stored = cache.get(key)
            if stored is not None:
                return await _send(send, stored)
        event = None
        if cache is not None and key not in self._pending:
            event = asyncio.Event()
            self._pending[key] = (asyncio.get_running_loop(), event)
        try:
            await self._compute(scope, receive, send, key, etag, cache)
        finally:
            if event is not None:
                del self._pending[key]
                event.set()

    async def _compute(self, scope, receive, send, key: str, etag: bytes, cache) -> None:
        start: dict = {}
        chunks: list[bytes] = []
        state = {"keep": False}

        async def capture(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                ours = b"cache-control" not in names  # the route did not decide for itself
                status = message["status"]
                if ours:
                    headers += self._validators(scope, etag, status, names)
                state["keep"] = ours and status in KEPT_STATUSES and cache is not None
                # kept as the route answered: what the middleware outside adds (CORS's Vary
                # and Allow-Origin, which depend on the request) it adds again to each answer,
                # to a copy, as it changes the headers it is given in place
                start.update(message, headers=tuple(headers))
                await send({**message, "headers": headers})
                return
            if state["keep"]:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > cache.capacity // 8:  # too large to keep
                    state["keep"] = False
                    chunks.clear()
            await send(message)
            if state["keep"] and not message.get("more_body", False):
                cache.put(key, Stored(start["status"], start["headers"], b"".join(chunks)))

        await self.app(scope, receive, capture)

    def _validators(self, scope, etag: bytes, status: int, names: set[bytes]
                    ) -> list[tuple[bytes, bytes]]:
        if status != 200:  # a 304 stands for a 200 only; errors are asked again
            return [(b"cache-control", b"no-store")]
        headers = [(b"cache-control", self.keys.settings.cache_control)]
        if b"etag" not in names:
            headers.append((b"etag", etag))
        if _negotiated(scope["path"]) and b"vary" not in names:
            headers.append((b"vary", b"Accept"))
        return headers

    def _not_modified(self, scope, etag: bytes) -> Stored:
        headers = [(b"etag", etag), (b"cache-control", self.keys.settings.cache_control)]
        if _negotiated(scope["path"]):
            headers.append((b"vary", b"Accept"))
        return Stored(304, tuple(headers), b"")


async def _send(send, stored: Stored, headers=None) -> None:
    """Send a kept answer, with its route's headers or with ``headers``."""
    await send({"type": "http.response.start", "status": stored.status,
                "headers": list(stored.headers if headers is None else headers)})
    await send({"type": "http.response.body", "body": stored.body})


def _negotiated(path: str) -> bool:
    return path in NEGOTIATED or path.startswith(NEGOTIATED_UNDER)


def _matches(scope, etag: bytes) -> bool:
    """Whether the request's If-None-Match names ``etag`` (weak comparison)."""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
            if etag.removeprefix(b"W/") in tags:
                return True
    return False


async def _read_body(receive) -> tuple[list[dict], bytes | None]:
    """The request's messages as read, and its whole body (None when it is larger than
    :data:`MAX_POST_BODY`, or the client left)."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        size += len(message.get("body", b""))
        if size > MAX_POST_BODY:
            return messages, None
        if not message.get("more_body", False):
            return messages, b"".join(m.get("body", b"") for m in messages)


def _replay(messages: list[dict], receive):
    """A ``receive`` that gives ``messages`` again, then what ``receive`` gives."""
    pending = list(messages)

    async def replayed() -> dict:
        return pending.pop(0) if pending else await receive()
    return replayed
