"""Helpers for the fault tests: start a crawl as its own process group, kill it, check the archive."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from .conftest import REPO


def start_crawl(db: Path, sources: Path, *args: str, now: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`newsarchive crawl` in its own session (so a kill reaches its extraction workers too)."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_NOW": now, **(env or {})}
    full_env.pop("NEWSARCHIVE_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "scraper", "crawl", "--db", str(db), "--sources", str(sources), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env, cwd=REPO, start_new_session=True,
    )


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the crawl and every process it started, then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate(timeout=30)


def health(db: Path) -> dict[str, object]:
    """What a crash must never break: integrity, foreign keys, orphans, the full-text index."""
    conn = sqlite3.connect(db)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        if "_migrations" not in tables:  # killed while creating the schema: it is all or nothing
            return {**HEALTHY, "integrity": one("pragma integrity_check"), "foreign_key_errors": len(tables)}
        conn.execute("insert into versions_fts(versions_fts) values ('integrity-check')")
        return {
            "integrity": one("pragma integrity_check"),
            "foreign_key_errors": len(conn.execute("pragma foreign_key_check").fetchall()),
            "orphan_versions": one("select count(*) from versions where article_id not in (select id from articles)"),
            "orphan_captures": one(
                "select count(*) from captures where article_id not in (select id from articles)"
                " or (version_id is not null and version_id not in (select id from versions))"),
            "fts_rows_missing": one("select (select count(*) from versions) - (select count(*) from versions_fts)"),
            "articles_without_their_versions": one(
                "select count(*) from articles a where a.versions != (select count(*) from versions v where v.article_id = a.id)"),
        }
    finally:
        conn.close()


HEALTHY = {"integrity": "ok", "foreign_key_errors": 0, "orphan_versions": 0, "orphan_captures": 0,
           "fts_rows_missing": 0, "articles_without_their_versions": 0}


def snapshot(db: Path) -> tuple[set[tuple], set[str]]:
    """(committed versions as (url, version, hash), known article URLs)."""
    if not db.exists():
        return set(), set()
    conn = sqlite3.connect(db)
    try:
        versions = set(conn.execute(
            "select a.url, v.version, v.content_hash from versions v join articles a on a.id = v.article_id"))
        urls = {row[0] for row in conn.execute("select url from articles")}
    except sqlite3.OperationalError:  # killed before the schema was committed
        return set(), set()
    finally:
        conn.close()
    return versions, urls
