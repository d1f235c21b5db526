"""Killable query workers: a user's SPARQL query runs in a worker process, and a query that
runs past the time limit is stopped by killing its worker.

Neither rdflib nor pyoxigraph can stop a query once it runs, and a thread cannot be killed, so
the only way to free the machine from a runaway query is a process. A :class:`QueryPool` keeps
``size`` workers, each with its own view of the same store (a persistent Oxigraph store opened
read-only, or an in-memory store filled from the same release file). A request takes an idle
worker (waiting at most the time limit), sends it the query, and waits at most the time limit for
the answer; past it, the worker is killed and a fresh one is started in the background, and the
caller gets :class:`~plankg.graph.errors.QueryTimeoutError`. Queries are inspected (SERVICE, unknown
graphs) in the caller before they reach a worker.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import PlanKGError, QueryArgumentError, QueryTimeoutError, StoreError

__all__ = ["QueryPool", "WorkerSpec"]

_CONTEXT = multiprocessing.get_context("spawn")  # never fork a process that holds threads


@dataclass(frozen=True)
class WorkerSpec:
    """How a worker opens its store: a ``--store`` value, and the file (TriG or N-Quads: the
    release) to load into it when it is held in memory."""

    store: str
    release: Path | None = None


MEMORY_LIMIT_MB = 2048  # a worker's resident memory; ``PLANKG_WORKER_MEMORY_MB`` (0: none)
_WATCH = 0.05  # seconds between two looks at a busy worker's memory


def memory_limit() -> int:
    """The resident memory a worker may use, in bytes (0: no limit)."""
    value = os.environ.get("PLANKG_WORKER_MEMORY_MB", "")
    return (int(value) if value.strip().isdigit() else MEMORY_LIMIT_MB) * 1024 * 1024


def resident(pid: int) -> int:
    """A process's resident memory in bytes (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _validate(conn, body: bytes, suffix: str) -> None:
    import json

    from .validate.upload import TooLargeToValidate, validate_upload
    try:
        conn.send(("ok", json.dumps(validate_upload(body, suffix), ensure_ascii=False).encode()))
    except TooLargeToValidate as exc:
        conn.send(("error", "too-large", exc.zh, exc.en))
    except PlanKGError as exc:
        conn.send(("error", "query", exc.zh, exc.en))
    except MemoryError:
        conn.send(("error", "store", "校验超出内存上限", "the validation ran out of its memory"))


def _rows(conn, store, text: str, media: str, defaults, named, max_rows: int,
          base_iri: str | None) -> None:
    """A user's SELECT, answered in the client's format and cut to ``max_rows``: the server
    passes the bytes on as they are."""
    import pyoxigraph as ox

    from .store import inspect_query
    try:
        body = store.serialize_rows(text, inspect_query(text),
                                    fmt=ox.QueryResultsFormat.from_media_type(media),
                                    max_rows=max_rows, default_graph_uris=tuple(defaults),
                                    named_graph_uris=tuple(named), base_iri=base_iri)
        conn.send(("ok", body))
    except PlanKGError as exc:
        conn.send(("error", "store" if isinstance(exc, StoreError) else "query", exc.zh, exc.en))


def _serve(conn, spec: WorkerSpec) -> None:  # runs in the worker process
    """Answer the parent's messages until it sends None or is gone. A Ctrl-C in a terminal
    reaches every process of the group: the worker leaves it to the parent, which closes it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _answer_messages(conn, spec)
    except (EOFError, BrokenPipeError):
        pass  # the parent exited without closing the pool (killed): nothing to tell anyone


def _answer_messages(conn, spec: WorkerSpec) -> None:
    import json

    import pyoxigraph as ox

    from .backends import open_store
    from .load import load_files
    from .store import GraphStore, inspect_query

    backend = open_store(spec.store)
    if spec.release is not None:
        load_files(backend, [spec.release])
    store = GraphStore(backend)
    conn.send(("ready",))
    while True:
        message = conn.recv()
        if message is None:
            return
        if message[0] == "validate":
            _validate(conn, message[1], message[2])
            continue
        if message[0] == "rows":
            _rows(conn, store, *message[1:])
            continue
        text, media, defaults, named, bindings, max_rows, base_iri = message
        try:
            if bindings is not None:  # one of our own SELECTs, bound as the engine binds
                rows = store.select_records(text, substitutions=bindings)
                conn.send(("ok", json.dumps(rows, ensure_ascii=False).encode()))
                continue
            plan = inspect_query(text)
            graph_form = plan.form in ("CONSTRUCT", "DESCRIBE")
            fmt = (ox.RdfFormat if graph_form else ox.QueryResultsFormat).from_media_type(media)
            body = store.serialize(text, plan, fmt=fmt, default_graph_uris=tuple(defaults),
                                   named_graph_uris=tuple(named), max_rows=max_rows,
                                   base_iri=base_iri)
            conn.send(("ok", body))
        except PlanKGError as exc:
            conn.send(("error", "store" if isinstance(exc, StoreError) else "query", exc.zh,
                       exc.en))


class _Worker:
    def __init__(self, spec: WorkerSpec, *, start_timeout: float) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, spec), daemon=True)
        self.process.start()
        child.close()
        try:
            ready = self.conn.poll(start_timeout) and self.conn.recv() == ("ready",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise StoreError("查询进程未能启动", "a query worker did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """``size`` worker processes answering users' queries, each within ``timeout`` seconds."""

    def __init__(self, spec: WorkerSpec, *, size: int = 2, timeout: float = 10.0,
                 start_timeout: float = 120.0) -> None:
        self.spec = spec
        self.start_timeout = start_timeout
        self.size = size
        self.timeout = timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.spec, start_timeout=self.start_timeout)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.remove(worker)
        threading.Thread(target=self._add, daemon=True).start()

    def serialize(self, text: str, *, media: str, default_graph_uris=(),
                  named_graph_uris=(), bindings: dict | None = None,
                  max_rows: int | None = None, base_iri: str | None = None) -> bytes:
        """Answer a user's query (already inspected) in ``media``, within the time limit and at
        most ``max_rows + 1`` rows of a SELECT, its relative IRIs resolved against
        ``base_iri``; or, with ``bindings``, one of our own SELECTs, as JSON records."""
        return self._ask((text, media, list(default_graph_uris), list(named_graph_uris),
                          bindings, max_rows, base_iri))

    def serialize_rows(self, text: str, *, media: str, max_rows: int, default_graph_uris=(),
                       named_graph_uris=(), base_iri: str | None = None) -> tuple[bytes, bool]:
        """A user's SELECT (already inspected), its answer in ``media`` cut to ``max_rows``
        rows, and whether it was cut; within the time limit."""
        return self._ask(("rows", text, media, list(default_graph_uris),
                          list(named_graph_uris), max_rows, base_iri))

    def validate(self, body: bytes, suffix: str) -> bytes:
        """The validation report (JSON) of an upload, within the time limit."""
        return self._ask(("validate", body, suffix))

    def state(self) -> dict:
        """How many workers there are and how many are idle (for the health check)."""
        with self._lock:
            return {"size": self.size, "idle": self._idle.qsize(), "alive": sum(
                w.process.is_alive() for w in self._all)}

    def _ask(self, message: tuple) -> bytes:
        from .validate.upload import TooLargeToValidate
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeoutError(
                f"所有查询进程都忙（{self.timeout:g} 秒内无空闲），请稍后再试",
                f"every query worker stayed busy for {self.timeout:g} s; try again later"
                ) from None
        try:
            worker.conn.send(message)
            over = self._wait(worker)
            if over:
                self._replace(worker)
                worker = None
                raise over
            answer = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            worker = None
            raise StoreError("查询进程意外退出（可能超出内存上限或引擎崩溃），已重启",
                             "the worker exited unexpectedly (out of its memory limit, or the "
                             "engine crashed); it was restarted") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if answer[0] == "ok":
            return answer[1]
        error = {"store": StoreError, "too-large": TooLargeToValidate}.get(answer[1],
                                                                         QueryArgumentError)
        raise error(answer[2], answer[3])

    def _wait(self, worker: _Worker) -> PlanKGError | None:
        """Wait for the worker's answer, watching its memory: the error to raise when it runs
        past the time limit or the memory limit (it is then killed), else None."""
        deadline, limit = time.monotonic() + self.timeout, memory_limit()
        while not worker.conn.poll(_WATCH):
            if limit and resident(worker.process.pid) > limit:
                return StoreError(
                    f"查询或校验超出内存上限（{limit // 2**20} MB），已被终止",
                    f"the query or validation ran past the memory limit of {limit // 2**20} MB "
                    "and was stopped")
            if time.monotonic() > deadline:
                return QueryTimeoutError(
                    f"查询超过 {self.timeout:g} 秒的时限，已被终止",
                    f"the query ran past the {self.timeout:g} s limit and was stopped")
        return None

    def wait_ready(self, timeout: float) -> bool:
        """Wait until ``size`` workers are idle again (after a kill, a new one is starting)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                ready = self._idle.qsize() >= self.size
            if ready:
                return True
            time.sleep(0.1)
        return False

    def close(self) -> None:
        """Tell every worker to exit, give them a moment, then kill those still running (a
        query may be under way)."""
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 2.0
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            worker.kill()
