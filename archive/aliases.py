"""``article_urls``: every URL an article was reached by (feed link, redirect, canonical, AMP…).

Runs inside the caller's write unit; the Archive is the only caller.
"""

from __future__ import annotations

import sqlite_utils

KINDS = ("feed", "sitemap", "page", "redirect", "canonical", "amp", "manual", "import")


def resolve(db: sqlite_utils.Database, url: str) -> int | None:
    """The id of the article ``url`` (canonicalised) belongs to, or None."""
    row = db.execute("select article_id from article_urls where url = ?", [url]).fetchone()
    if row is None:
        row = db.execute("select id from articles where url = ?", [url]).fetchone()
    return row[0] if row else None


def remember(db: sqlite_utils.Database, url: str, article_id: int, kind: str, now: str) -> None:
    """Record that ``url`` leads to ``article_id`` (the first mapping of a URL is kept)."""
    db.execute(
        "insert into article_urls (url, article_id, kind, first_seen_at) values (?, ?, ?, ?)"
        " on conflict(url) do nothing",
        [url, article_id, kind, now],
    )


def merge_into(db: sqlite_utils.Database, duplicate: int, article_id: int) -> None:
    """Fold an article that never had a version into the known article it turned out to be."""
    db.execute("update article_urls set article_id = ? where article_id = ?", [article_id, duplicate])
    db.execute("update captures set article_id = ? where article_id = ?", [article_id, duplicate])
    db.execute("delete from articles where id = ?", [duplicate])
