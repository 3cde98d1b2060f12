"""What each page shows, assembled from archive/ functions (no SQL here). Each function runs in Datasette's SQL
thread on the archive's read connection, so the diffs are made there too, off the event loop."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from archive import Archive
from archive.changes import Edit, recent_edits
from archive.diffhtml import fields_html, inline_html, preview_html, side_by_side_html
from archive.queries import choose_versions, resolve_article, search_articles, source_names
from archive.timeline import article_timeline, capture_record
from archive.worddiff import WordDiff


def comparison(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Two versions side by side: their rows, word counts, changed fields and the diff, inline and side by side."""
    diff = WordDiff(old["text"], new["text"])
    added, removed = diff.counts
    return {
        "old": old,
        "new": new,
        "words_added": added,
        "words_removed": removed,
        "fields_html": fields_html(old, new),
        "inline_html": inline_html(old["text"], new["text"], diff=diff),
        "side_html": side_by_side_html(old["text"], new["text"], diff=diff),
    }


def article_page(db: sqlite_utils.Database, url: str, v1: int | None, v2: int | None) -> dict[str, Any]:
    """The article at ``url`` (any alias): its timeline, and the comparison of ``v1`` and ``v2`` (by default the
    previous and the latest version) when it has two versions or more."""
    article = resolve_article(db, url)
    page = article_timeline(db, article)
    versions = page["versions"]
    page["compare"] = None
    if len(versions) > 1 or v1 is not None or v2 is not None:
        old, new = choose_versions(versions, article["id"], v1, v2)
        page["compare"] = comparison(old, new)
    page["latest"] = versions[-1] if versions else None
    return page


def edits_page(db: sqlite_utils.Database, **filters: Any) -> dict[str, Any]:
    """Recent edits (:func:`archive.changes.recent_edits` ``filters``), each with a one-line diff preview, and
    the sources to filter by."""
    edits = recent_edits(db, **filters)
    return {
        "edits": [{"edit": edit, "preview_html": preview_html(edit.diff)} for edit in edits],
        "sources": source_names(db),
    }


def feed_edits(db: sqlite_utils.Database, url: str | None, **filters: Any) -> tuple[list[Edit], dict[str, Any] | None]:
    """The edits a feed holds (one article's when ``url`` is given: any alias of it) and that article's row."""
    article = resolve_article(db, url) if url else None
    if article is not None:
        filters["article_id"] = article["id"]
    return recent_edits(db, **filters), article


def search_page(db: sqlite_utils.Database, query: str | None, **filters: Any) -> dict[str, Any]:
    """Search results grouped by article (none without a query), and the sources to filter by."""
    return {
        "results": search_articles(db, query, **filters) if query else [],
        "sources": source_names(db),
    }


def archived_body(db: sqlite_utils.Database, capture_id: int) -> tuple[dict[str, Any], bytes | None]:
    """A capture's stored headers and raw body (None when it has none: a failure, a 304)."""
    return capture_record(db, capture_id)["headers"], Archive.on(db).capture_body(capture_id)
