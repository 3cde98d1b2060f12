"""Page requisites: the stylesheets, images, fonts and scripts article pages reference, each stored once.

A requisite is a row of ``requisites`` (its URL, the source that first used it, the stylesheet that
referenced it if any, its validators and its own recheck schedule) and, for each distinct body it had, a
capture without an article. ``article_requisites`` says which articles referenced it. A check that finds the
same bytes (a 304, or the same digest) moves only the requisite's ``last_checked_at``: its body is not stored
again however many articles use it. Rechecks follow a slow schedule of their own: after as long as the
requisite has been unchanged, between :data:`MIN_INTERVAL` and :data:`MAX_INTERVAL`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlite_utils

from .clock import iso, now_iso, parse_iso
from .codec import body_hash
from .db import write_unit
from .model import Capture
from .store import Archive

MIN_INTERVAL = timedelta(days=1)
MAX_INTERVAL = timedelta(days=30)
_BATCH = 500  # URLs per query (SQLite caps bound parameters)


def link(archive: Archive, article_id: int | None, urls: Sequence[str], source: str, *, parent: str | None = None,
         now: str | None = None) -> None:
    """Remember that an article (or, with ``parent``, a stylesheet) references ``urls``; new ones are due now."""
    if not urls:
        return
    now = now or now_iso()
    db = archive.db
    with write_unit(db):
        parent_id = _id(db, parent) if parent else None
        for url in dict.fromkeys(urls):
            db.execute("insert into requisites (url, source, parent_id, first_seen_at) values (?, ?, ?, ?)"
                       " on conflict(url) do nothing", [url, source, parent_id, now])
            if article_id is not None:
                db.execute("insert into article_requisites (article_id, requisite_id, first_seen_at)"
                           " select ?, id, ? from requisites where url = ? on conflict do nothing", [article_id, now, url])


def due(archive: Archive, urls: Sequence[str], *, now: str | None = None) -> list[dict[str, Any]]:
    """Of ``urls``, the requisites never fetched or whose recheck time has come (rows with their validators)."""
    now = now or now_iso()
    found: list[dict[str, Any]] = []
    urls = list(dict.fromkeys(urls))
    for start in range(0, len(urls), _BATCH):
        batch = urls[start:start + _BATCH]
        found += archive.db.query(
            f"select * from requisites where url in ({', '.join('?' for _ in batch)})"
            " and (last_checked_at is null or next_check_at <= ?) order by id", [*batch, now])
    return found


def due_for_sources(archive: Archive, sources: Sequence[str], *, now: str | None = None) -> list[dict[str, Any]]:
    """The requisites of ``sources`` whose recheck time has come."""
    if not sources:
        return []
    marks = ", ".join("?" for _ in sources)
    return list(archive.db.query(
        f"select * from requisites where source in ({marks}) and next_check_at <= ? order by next_check_at, id",
        [*sources, now or now_iso()]))


def conditional_headers(row: dict[str, Any]) -> dict[str, str]:
    """``If-None-Match``/``If-Modified-Since`` from a requisite's last stored response."""
    headers = {}
    if row.get("etag"):
        headers["If-None-Match"] = row["etag"]
    if row.get("last_modified"):
        headers["If-Modified-Since"] = row["last_modified"]
    return headers


def record_fetch(archive: Archive, url: str, capture: Capture, error: str | None = None) -> bool:
    """Store one fetch of a requisite (one write unit); return True when its bytes were new and stored."""
    db = archive.db
    with write_unit(db):
        row = next(db.query("select * from requisites where url = ?", [url]), None)
        if row is None:
            return False
        checked = capture.fetched_at
        ok = error is None and capture.status is not None and (capture.status == 304 or 200 <= capture.status < 300)
        stored = False
        if ok and capture.status != 304 and capture.body is not None:
            digest = body_hash(capture.body)
            if digest != latest_digest(db, url):
                archive.record_capture_without_article(capture)
                stored = True
        changed = row["last_changed_at"] if not stored and row["last_changed_at"] else checked
        headers = {name.lower(): value for name, value in capture.headers.items()}
        fresh = ok and capture.status != 304
        db.execute(
            "update requisites set last_checked_at = ?, last_status = ?, last_error = ?, last_changed_at = ?,"
            " next_check_at = ?, etag = case when ? then ? else etag end,"
            " last_modified = case when ? then ? else last_modified end where id = ?",
            [checked, capture.status, error, changed, next_check(changed, checked),
             fresh, headers.get("etag"), fresh, headers.get("last-modified"), row["id"]],
        )
    return stored


def next_check(last_changed: str, checked: str) -> str:
    """When to look again: after as long as the requisite has been unchanged, within the bounds."""
    unchanged_for = parse_iso(checked) - parse_iso(last_changed)
    return iso(parse_iso(checked) + min(max(unchanged_for, MIN_INTERVAL), MAX_INTERVAL))


def latest_digest(db: sqlite_utils.Database, url: str) -> str | None:
    """The ``body_hash`` of the latest stored capture of a requisite's URL."""
    row = db.execute("select body_hash from captures where article_id is null and url = ? order by id desc limit 1",
                     [url]).fetchone()
    return row[0] if row else None


def restore(archive: Archive, url: str, source: str, first_seen_at: str, parent: str | None, fetched_at: str) -> None:
    """An imported requisite capture's row, as the crawl would have left it (used by ``import``)."""
    link(archive, None, [url], source, parent=parent, now=first_seen_at)
    with write_unit(archive.db):
        row = next(archive.db.query("select last_checked_at from requisites where url = ?", [url]))
        if row["last_checked_at"] is None or row["last_checked_at"] < fetched_at:
            archive.db.execute(
                "update requisites set last_checked_at = ?, last_changed_at = ?, last_status = 200, next_check_at = ?"
                " where url = ?", [fetched_at, fetched_at, next_check(fetched_at, fetched_at), url])


def _id(db: sqlite_utils.Database, url: str) -> int | None:
    row = db.execute("select id from requisites where url = ?", [url]).fetchone()
    return row[0] if row else None
