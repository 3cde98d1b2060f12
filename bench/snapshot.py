"""An archive's state as a round trip must keep it, field by field (the web-archive tests and bench compare two)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archive import Archive


def snapshot(db: Path, *, since: str | None = None, until: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Everything a round trip must keep, field by field (captures fetched in [since, until) only)."""
    window = " and ".join(f"c.fetched_at {op} '{value}'" for op, value in ((">=", since), ("<", until)) if value) or "1 = 1"
    with Archive(db, readonly=True) as archive:
        query = archive.db.query
        captures = []
        for row in query(
            "select c.id, a.url as article, c.url, c.fetched_at, c.status, c.headers, c.error, c.body_hash,"
            " v.version, v.content_hash from captures_full c left join articles a on a.id = c.article_id"
            f" left join versions v on v.id = c.version_id where {window} order by c.fetched_at, c.id"
        ):
            row["headers"] = json.loads(row["headers"] or "{}")
            capture_id = row.pop("id")
            row["body"] = archive.capture_body(capture_id) if row["body_hash"] else None
            captures.append(row)
        articles = list(query(
            "select url, source, status, first_seen_at, discovered_via, entry_title, entry_author, entry_published_at,"
            " entry_updated_at, entry_source, last_checked_at, next_check_at, latest_version, versions, last_error,"
            " gone_at, missing_checks, etag, last_modified from articles where id in (select article_id from captures)"
            " order by url"))
        versions = [{k: v for k, v in row.items() if k not in ("id", "article_id")} for row in query(
            "select a.url as article, v.* from versions v join articles a on a.id = v.article_id order by a.url, v.version")]
        aliases = list(query(
            "select u.url, a.url as article, u.kind, u.first_seen_at from article_urls u join articles a on"
            " a.id = u.article_id where a.id in (select article_id from captures) order by u.url"))
        requisites = list(query(
            "select r.url, r.source, p.url as parent, r.first_seen_at from requisites r"
            " left join requisites p on p.id = r.parent_id order by r.url"))
        links = list(query(
            "select a.url as article, r.url from article_requisites ar join articles a on a.id = ar.article_id"
            " join requisites r on r.id = ar.requisite_id order by a.url, r.url"))
    return {"captures": captures, "articles": articles, "versions": versions, "aliases": aliases,
            "requisites": requisites, "article_requisites": links}
