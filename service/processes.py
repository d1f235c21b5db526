"""``plankg serve --processes N``: N server processes on one listening socket (pre-fork).

The parent binds the socket, then forks N children, and only watches them: it never opens the
store, so it holds no thread when it forks (Oxigraph's RocksDB starts threads of its own that a
forked child would lack). Each child opens the same store read-only (a persistent Oxigraph
store: the generation that is current; a store in memory: the same release), makes its own
killable query workers and answer cache, and accepts connections from the shared socket; the
kernel hands each new connection to one of them. The store is made ready (the release loaded if
need be) once, before the children start, by the caller.

A child that dies is started again (after a second), unless it died within
:data:`SETTLING` seconds of its start three times running: then the whole server stops, with
status 2. SIGTERM or SIGINT stops every child (each closes its workers) and the parent returns 0.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable

__all__ = ["serve_processes"]

SETTLING = 10.0  # a child that dies sooner than this after its start failed to start
FAILED_STARTS = 3


def _fork(run: Callable[[int], int], index: int) -> int:
    """Fork a child that runs ``run(index)`` and exits with its status."""
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        status = run(index)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - a child must never return into the parent's code
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return 0  # not reached


def serve_processes(run: Callable[[int], int], *, processes: int) -> int:
    """Run ``run(index)`` in ``processes`` forked children (each serves the socket it was given
    by the caller, through the closure), start again those that die, stop them all on SIGTERM or
    SIGINT. 0 when stopped, 2 when the children kept failing at start-up."""
    if threading.active_count() > 1:  # a forked child would lack the other threads
        raise RuntimeError("serve_processes must be called before any thread is started")
    children: dict[int, tuple[int, float]] = {}  # pid: (index, started)
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    failures = 0
    try:
        for index in range(processes):
            children[_fork(run, index)] = (index, time.monotonic())
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            if pid not in children:
                continue  # not one of ours (a helper a library started)
            index, started = children.pop(pid)
            if stopping:
                continue
            failures = failures + 1 if time.monotonic() - started < SETTLING else 0
            print(f"plankg: server process {index} (pid {pid}) exited with status "
                  f"{os.waitstatus_to_exitcode(status)}", file=sys.stderr, flush=True)
            if failures >= FAILED_STARTS:
                stop(signal.SIGTERM, None)
                _reap(children)
                return 2
            time.sleep(1.0)
            if not stopping:
                children[_fork(run, index)] = (index, time.monotonic())
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _reap(children: dict) -> None:
    deadline = time.monotonic() + 20
    while children and time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            children.pop(pid, None)
        else:
            time.sleep(0.1)


def listen(config) -> socket.socket:
    """The listening socket of a uvicorn ``config`` (its host and port), made by uvicorn, so a
    port in use ends the command as uvicorn ends it (status 3)."""
    sock = config.bind_socket()
    sock.listen(config.backlog)
    return sock
