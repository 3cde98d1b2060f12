"""One article as an archivist reads it: its URLs, its versions on a timeline, its captures; one capture in full.

The web view's article and capture pages read these; `history` and `diff` read the same versions
(:mod:`archive.queries`).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from .errors import UnknownArticle
from .queries import history_of, versions_of

# the declared and extracted fields a timeline row shows besides history()'s
_VERSION_FIELDS = ("published_at", "published_precision", "modified_source", "content_hash", "text", "description")


def aliases_of(db: sqlite_utils.Database, article: dict[str, Any]) -> list[dict[str, Any]]:
    """The other URLs that lead to ``article`` (``article_urls``), first seen first."""
    return list(db.query(
        "select url, kind, first_seen_at from article_urls where article_id = ? and url != ?"
        " order by first_seen_at, url", [article["id"], article["url"]],
    ))


def captures_of(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """Every capture of an article, oldest first: id, fetched_at, URL, status, error, the version it showed
    (``version``, null for a failure) and ``has_body`` (its page can be shown as archived)."""
    return list(db.query(
        "select c.id, c.fetched_at, c.url, c.status, c.error, v.version, c.body_hash is not null as has_body"
        " from captures_full c left join versions v on v.id = c.version_id"
        " where c.article_id = ? order by c.fetched_at, c.id", [article_id],
    ))


def article_timeline(db: sqlite_utils.Database, article: dict[str, Any]) -> dict[str, Any]:
    """Everything the article page shows: ``article`` (its row), ``aliases``, ``captures`` and ``versions``,
    one row per version: :func:`archive.queries.history`'s columns plus its declared dates, hash, text,
    ``captures`` (how many fetches showed it) and ``capture_id`` (its first fetch with a body)."""
    versions = versions_of(db, article["id"])
    captures = captures_of(db, article["id"])
    by_version: dict[int, list[dict[str, Any]]] = {}
    for capture in captures:
        by_version.setdefault(capture["version"], []).append(capture)
    rows = []
    for version, row in zip(versions, history_of(versions)):
        shown = by_version.get(version["version"], [])
        rows.append({
            **row,
            **{name: version.get(name) for name in _VERSION_FIELDS},
            "captures": len(shown),
            "capture_id": next((c["id"] for c in shown if c["has_body"]), None),
        })
    return {"article": article, "aliases": aliases_of(db, article), "versions": rows, "captures": captures}


def capture_record(db: sqlite_utils.Database, capture_id: int) -> dict[str, Any]:
    """One capture with its headers in full (a JSON object), its article's URL and source, the version it
    showed, and the ids of the article's previous and next captures (``previous_id``/``next_id``, or None)."""
    row = next(db.query(
        "select c.id, c.article_id, c.fetched_at, c.url, c.status, c.error, c.headers, c.body_hash,"
        " v.version, v.title, a.url as article_url, a.source,"
        " (select max(o.id) from captures o where o.article_id = c.article_id and o.id < c.id) as previous_id,"
        " (select min(o.id) from captures o where o.article_id = c.article_id and o.id > c.id) as next_id"
        " from captures_full c join articles a on a.id = c.article_id left join versions v on v.id = c.version_id"
        " where c.id = ?", [capture_id],
    ), None)
    if row is None:
        raise UnknownArticle(f"no capture with id {capture_id} in this archive")
    row["headers"] = json.loads(row["headers"] or "{}")
    return row
