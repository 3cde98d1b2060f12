"""A site-wide "Last update: …" line is not an article's update time; it shows on every page of a source.

The extractor sees one page at a time, so the rule lives here, at store time, where the source's other
pages are known: a visible-text (``modified_source = 'text'``) update time that other articles of the same
source already carry is the site's, not the article's. It is dropped from the new version, cleared on the
versions that carry it (their other metadata and content are untouched; no version is created) and
remembered in ``sitewide_updates`` so that later pages showing it are recognised at once.
"""

from __future__ import annotations

import sqlite_utils

# A shared minute is no coincidence; a shared day can be (two articles updated the same day).
_OTHER_ARTICLES_NEEDED = {"second": 1, "minute": 1, "day": 2}
_SITEWIDE_SOURCES = ("text",)


def sitewide_update(
    db: sqlite_utils.Database, article_id: int, modified_at: str, modified_source: str | None, precision: str | None
) -> list[int] | None:
    """None when this update time may be the article's own; else the ids of the source's other versions
    carrying it (possibly none, when it is already known to be site-wide)."""
    if modified_source not in _SITEWIDE_SOURCES:
        return None
    params = {"article": article_id, "source": modified_source, "modified": modified_at}
    known = db.execute(
        "select 1 from sitewide_updates where source = (select source from articles where id = :article)"
        " and modified_at = :modified",
        params,
    ).fetchone()
    rows = list(
        db.query(
            "select v.id, v.article_id from versions v join articles a on a.id = v.article_id"
            " where a.source = (select source from articles where id = :article) and v.article_id != :article"
            " and v.modified_source = :source and v.modified_at = :modified",
            params,
        )
    )
    if not known and len({row["article_id"] for row in rows}) < _OTHER_ARTICLES_NEEDED.get(precision or "day", 2):
        return None
    return [row["id"] for row in rows]


def record(db: sqlite_utils.Database, article_id: int, modified_at: str, version_ids: list[int], now: str) -> None:
    """Remember a site-wide update time of the article's source and forget it on these versions."""
    db.execute(
        "insert into sitewide_updates (source, modified_at, found_at)"
        " select source, ?, ? from articles where id = ? on conflict do nothing",
        [modified_at, now, article_id],
    )
    if version_ids:
        marks = ", ".join("?" for _ in version_ids)
        db.execute(
            "update versions set modified_at = null, modified_source = null, modified_precision = null,"
            f" modified_offset = null where id in ({marks})",
            version_ids,
        )
