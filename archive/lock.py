"""The archive's crawl lock: one crawl pass per archive at a time (an OS lock, freed even by ``kill -9``).

SQLite already serialises writes, but two overlapping cron runs would still fetch and decide the
same articles twice. ``fcntl.flock`` on ``<db>.lock`` is held for the whole pass; the kernel drops
it when the process dies however it dies, so a crashed run never blocks the next one.

The lock is re-entrant within a process: `newsarchive crawl` takes it before Scrapy starts, and the
crawl's archive handle takes it again (which `scrapy crawl feeds`, starting there, needs).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import ArchiveError

_held: dict[Path, int] = {}  # lock files this process holds -> how many holders

class ArchiveBusy(ArchiveError):
    """Another process holds the archive's crawl lock."""


def lock_path(db: str | Path) -> Path:
    """The lock file next to the archive: ``archive.db`` → ``archive.db.lock``."""
    db = Path(db)
    return db.with_name(db.name + ".lock")


@contextlib.contextmanager
def crawl_lock(db: str | Path) -> Iterator[Path]:
    """Hold the crawl lock of ``db`` or raise :class:`ArchiveBusy` at once (never waits). Re-entrant."""
    path = lock_path(db)
    key = path.resolve()
    if key in _held:  # this process holds it already
        _held[key] += 1
        try:
            yield path
        finally:
            _held[key] -= 1
        return
    if not path.parent.exists():
        raise ArchiveError(f"{db}: directory {path.parent} does not exist; create it or choose another --db")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(f"{db}: cannot create lock file {path} ({exc.strerror}); check the directory's permissions") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise ArchiveBusy(
                f"{db}: another crawl is running on this archive (pid {holder} holds {path}); "
                "this run did nothing, the next one will catch up"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[key] = 1
        try:
            yield path
        finally:
            del _held[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
