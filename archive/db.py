"""Opening the archive's SQLite file and the write unit every change goes through."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from . import migrations
from .errors import ArchiveError, ArchiveLocked, ArchiveUnwritable, NotAnArchive

BUSY_TIMEOUT_MS = 30_000


def connect(path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, readonly: bool = False) -> sqlite_utils.Database:
    """Open (and create or upgrade, unless ``readonly``) the archive at ``path``."""
    path = Path(path)
    if readonly:
        if not path.exists():
            raise ArchiveError(f"{path}: no such archive; run `newsarchive crawl --db {path}` first")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    else:
        if not path.parent.exists():
            raise ArchiveError(f"{path}: directory {path.parent} does not exist; create it or choose another --db")
        try:
            conn = sqlite3.connect(path, isolation_level=None)
        except sqlite3.OperationalError as exc:
            raise ArchiveError(f"{path}: cannot open archive ({exc})") from exc
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db = sqlite_utils.Database(conn)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if migrations.pending(db):
                with write_unit(db):
                    migrations.apply(db)
        elif "_migrations" not in db.table_names():
            raise NotAnArchive(f"{path}: not a newsarchive archive (no _migrations table)")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _translate(exc, path) from exc
    return db


@contextlib.contextmanager
def write_unit(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One atomic write: ``BEGIN IMMEDIATE`` (waits up to the busy timeout for other writers), then COMMIT.

    A plain ``BEGIN`` would fail at once with "database is locked" when it later needs to write while
    another process writes; taking the write lock up front makes the busy timeout apply.

    A unit opened inside another joins it: the outer unit commits or rolls back both (batched writes).
    """
    if db.conn.in_transaction:
        yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _translate(exc, None) from exc
    try:
        yield db
    except sqlite3.OperationalError as exc:  # disk full, read-only, I/O error: name it for the CLI
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise _translate(exc, None) from exc
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise _translate(exc, None) from exc


def _translate(exc: sqlite3.DatabaseError, path: Path | None) -> ArchiveError:
    where = f"{path}: " if path else ""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return ArchiveLocked(f"{where}archive is locked by another writer (is another crawl running?)")
    if "not a database" in message or "malformed" in message:
        return NotAnArchive(f"{where}not a newsarchive archive or corrupt ({message})")
    if "readonly" in message or "read-only" in message:
        return ArchiveUnwritable(f"{where}archive is read-only ({message}); check the file's permissions")
    if "disk" in message and "full" in message:
        return ArchiveUnwritable(f"{where}disk full ({message}); free space and run again, nothing was lost")
    if "disk i/o error" in message.lower():
        return ArchiveUnwritable(f"{where}cannot write the archive ({message}: disk full or file size limit?); "
                            "free space and run again, nothing was lost")
    return ArchiveError(f"{where}{message}")
