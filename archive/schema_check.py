"""A damaged schema is found when the archive is opened, not as a KeyError half-way through an export.

A flipped byte in a column's name leaves valid SQL (``discovered_via`` becomes ``discovered_vha``):
SQLite reads the file without complaint and the first query naming the column, or the first row read
by name, fails somewhere in the middle of a command. A fully migrated archive's tables must have at
least the columns the migrations create; they are computed once per process on an in-memory database.
Views are left out: SQLite reads a view's SQL when it is queried, and a damaged one fails there with an
error the CLI reports in one line.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import sqlite_utils

from . import migrations
from .errors import NotAnArchive


def expected_columns() -> dict[str, frozenset[str]]:
    """Every table the migrations create, with its columns (computed once per list of migrations)."""
    return _expected(tuple(name for name, _ in migrations.MIGRATIONS))


@functools.lru_cache(maxsize=4)
def _expected(names: tuple[str, ...]) -> dict[str, frozenset[str]]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("begin")
        migrations.apply(sqlite_utils.Database(conn))
        conn.execute("commit")
        return _columns(conn)
    finally:
        conn.close()


def check_columns(conn: sqlite3.Connection, path: str | Path) -> None:
    """Raise :class:`NotAnArchive` naming the first table that lacks a column it must have."""
    have = _columns(conn)
    for name, columns in expected_columns().items():
        missing = sorted(columns - have.get(name, frozenset()))
        if missing:
            what = f"has no column {missing[0]}" if name in have else "is missing"
            raise NotAnArchive(f"{path}: the archive's schema is damaged ({name} {what}); restore it from a backup,"
                               " or try `sqlite3 FILE .recover`")


def _columns(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    names = [row[0] for row in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")]
    return {name: frozenset(row[1] for row in conn.execute(f'pragma table_info("{name}")')) for name in names}
