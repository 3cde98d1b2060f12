"""JSON exports: one object per version (JSON Lines) or one object per article with its versions.

Field names are stable and documented in docs/archivist.md; they are the ``articles``/``versions`` column names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import sqlite_utils

from .queries import version_window

ARTICLE_FIELDS = ("article_id", "url", "source", "status", "article_first_seen_at", "discovered_via")
VERSION_FIELDS = (
    "version", "content_hash", "first_seen_at", "last_seen_at", "reverts_to", "title", "title_source", "author",
    "authors", "author_source", "description", "sitename", "language", "published_at", "published_source",
    "published_precision", "published_offset", "modified_at", "modified_source", "modified_precision",
    "modified_offset", "text",
)


def version_rows(
    db: sqlite_utils.Database, *, sources: Sequence[str] = (), since: str | None = None, until: str | None = None
) -> Iterator[dict[str, Any]]:
    """Article + version fields for every version first seen in the window, by article then version."""
    where, params = version_window(sources, since, until)
    fields = ", ".join(f"v.{name}" for name in VERSION_FIELDS)
    sql = (
        "select a.id as article_id, a.url, a.source, a.status, a.first_seen_at as article_first_seen_at,"
        f" a.discovered_via, {fields}"
        " from versions v join articles a on a.id = v.article_id"
        f" where {' and '.join(where) or '1 = 1'} order by a.id, v.version"
    )
    for row in db.query(sql, params):
        row["authors"] = json.loads(row["authors"]) if row["authors"] else []
        yield row


def write_jsonl(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    """One JSON object per line; returns how many were written."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_json(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    """A JSON array of articles, each with a ``versions`` array (streamed article by article); returns articles written."""
    count = 0
    current: dict[str, Any] | None = None
    out.write("[")
    for row in rows:
        if current is None or current["article_id"] != row["article_id"]:
            if current is not None:
                _write_article(out, current, count)
                count += 1
            current = {name: row[name] for name in ARTICLE_FIELDS} | {"versions": []}
        current["versions"].append({key: value for key, value in row.items() if key not in ARTICLE_FIELDS})
    if current is not None:
        _write_article(out, current, count)
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _write_article(out: TextIO, article: dict[str, Any], index: int) -> None:
    out.write(("," if index else "") + "\n" + json.dumps(article, ensure_ascii=False))
