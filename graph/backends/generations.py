"""A persistent Oxigraph store as a folder of generations, one writer at a time.

Every write makes a new generation: a checkpoint of the current one (hard links to its files,
instant whatever the size), opened for writing, changed, flushed, then made current by the
atomic rename of the ``CURRENT`` pointer. A write killed half-way leaves the pointer on the
old generation, which stays whole.

- **One writer.** A writer holds an exclusive lock on ``WRITER`` for the whole write; a second
  writer is refused at once with a clear error (it would otherwise delete a generation the first
  is still writing).
- **Readers keep their generation.** A process that reads a generation registers in
  ``readers/`` (a file it holds a shared lock on while it lives); an old generation is deleted
  only when no live reader holds it, so a server keeps answering from the generation it opened
  while loads come and go.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError

__all__ = ["Generations"]

POINTER = "CURRENT"
WRITER = "WRITER"
READERS = "readers"


class Generations:
    """The generations of the store at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reader: tuple[Path, int] | None = None

    def current(self) -> str | None:
        pointer = self.path / POINTER
        if not pointer.exists():
            return None
        name = pointer.read_text(encoding="utf-8").strip()
        return name if (self.path / name).is_dir() else None

    # -- readers ---------------------------------------------------------------------------
    def register(self, generation: str) -> None:
        """Hold ``generation`` for this process until :meth:`release` (or its exit)."""
        self.release()
        folder = self.path / READERS
        folder.mkdir(exist_ok=True)
        path = folder / f"{os.getpid()}-{id(self)}.{generation}"
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)
        self._reader = (path, fd)

    def release(self) -> None:
        if self._reader is not None:
            path, fd = self._reader
            self._reader = None
            os.close(fd)
            path.unlink(missing_ok=True)

    def _held(self) -> set[str]:
        """The generations a live reader other than this one holds (the writer moves on to
        the new one); files of dead readers are removed."""
        held = set()
        folder = self.path / READERS
        own = self._reader[0].name if self._reader is not None else None
        for entry in folder.iterdir() if folder.is_dir() else ():
            if entry.name == own:
                continue
            generation = entry.name.rsplit(".", 1)[-1]
            fd = os.open(entry, os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                held.add(generation)  # a live reader holds it
            else:
                entry.unlink(missing_ok=True)  # its reader is gone
            finally:
                os.close(fd)
        return held

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """The exclusive right to write; refused at once when another process has it."""
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / WRITER, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise StoreError(
                f"另一个进程（{holder}）正在写入存储 {self.path}；请等它结束后再试",
                f"another process (pid {holder}) is writing the store at {self.path}; try "
                "again when it has finished") from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def next(self, current_store: ox.Store | None) -> tuple[str, ox.Store]:
        """A new generation, a checkpoint of the current store (or empty), open for writing."""
        current = self.current()
        number = int(current.split("-")[1]) + 1 if current else 1
        name = f"gen-{number:06d}"
        folder = self.path / name
        if folder.exists():  # left by a write that was killed
            shutil.rmtree(folder)
        if current_store is not None and current is not None:
            current_store.backup(str(folder))
        return name, ox.Store(str(folder))

    def switch(self, name: str, store: ox.Store) -> None:
        """Make ``name`` current, then delete the generations nobody reads any more."""
        store.flush()
        pointer = self.path / (POINTER + ".tmp")
        pointer.write_text(name, encoding="utf-8")
        os.replace(pointer, self.path / POINTER)  # the atomic step
        keep = self._held() | {name}
        for entry in self.path.iterdir():
            stem = entry.name.removesuffix(".json")
            if entry.name.startswith("gen-") and stem not in keep:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
