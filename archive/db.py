"""Opening the archive's SQLite file and the write unit every change goes through."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from . import migrations
from .schema_check import check_columns
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
        if not readonly:
            refuse_foreign(conn, path)  # before anything is written: WAL mode, our tables
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
        if not migrations.pending(db):  # an older archive opened read-only lacks what it has not migrated to
            check_columns(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _translate(exc, path) from exc
    return db


def refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Raise :class:`NotAnArchive` when the file holds another application's tables (an archive has
    ``_migrations``; a new or empty database has no tables at all), before it is changed in any way."""
    names = [row[0] for row in conn.execute(
        "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' order by name")]
    if not names or ("_migrations" in names and _is_ours(conn)):
        return
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    raise NotAnArchive(f"{path}: not a newsarchive archive (it holds another application's tables: {shown}); "
                       "nothing was changed: choose another --db")


def _is_ours(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute("select 1 from _migrations where name = ?", [migrations.MIGRATIONS[0][0]]).fetchone() is not None
    except sqlite3.OperationalError:  # a _migrations table of another shape
        return False


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
    except sqlite3.DatabaseError as exc:
        # disk full, read-only, I/O error, a corrupt file: name it for the CLI (constraint violations are
        # programming errors, not the archive's state: they stay what they are)
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.IntegrityError):
            raise
        raise _translate(exc, _file_of(db)) from exc
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


def _file_of(db: sqlite_utils.Database) -> str | None:
    """The file of the connection's main database, to name it in an error."""
    try:
        return next((row[2] for row in db.conn.execute("pragma database_list") if row[1] == "main"), None) or None
    except sqlite3.Error:
        return None


def translate(exc: sqlite3.DatabaseError, path: str | Path | None) -> ArchiveError:
    """The archive error an SQLite error means (locked, corrupt, read-only, disk full…), with its fix."""
    return _translate(exc, path)


def _translate(exc: sqlite3.DatabaseError, path: str | Path | None) -> ArchiveError:
    where = f"{path}: " if path else ""
    message = " ".join(str(exc).split())[:300]  # SQLite quotes the damaged SQL, newlines and all
    if "locked" in message or "busy" in message:
        return ArchiveLocked(f"{where}archive is locked by another writer (is another crawl running?)")
    if message.startswith(("no such column", "no such table", "no such function", "no such module")):
        return NotAnArchive(f"{where}the archive's schema is damaged or not newsarchive's ({message}); "
                            "restore it from a backup, or try `sqlite3 FILE .recover`")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return NotAnArchive(f"{where}not a newsarchive archive or corrupt ({message}); "
                            "restore it from a backup, or try `sqlite3 FILE .recover`")
    if "readonly" in message or "read-only" in message:
        return ArchiveUnwritable(f"{where}archive is read-only ({message}); check the file's permissions")
    if "disk" in message and "full" in message:
        return ArchiveUnwritable(f"{where}disk full ({message}); free space and run again, nothing was lost")
    if "disk i/o error" in message.lower():
        return ArchiveUnwritable(f"{where}cannot write the archive ({message}: disk full or file size limit?); "
                            "free space and run again, nothing was lost")
    return ArchiveError(f"{where}{message}")
