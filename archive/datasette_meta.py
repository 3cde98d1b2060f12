"""Datasette metadata for an archive: table and column descriptions from docs/schema.md, and canned queries.

docs/schema.md is the one source of truth for what each table and column means; this module reads its
``## `table` — description`` sections and their ``| column | meaning |`` tables.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlite_utils

SCHEMA_DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"

_SECTION = re.compile(r"^## `(?P<table>\w+)`(?:\s+—\s+(?P<description>.*))?$")
_ROW = re.compile(r"^\|\s*(?P<columns>`[^|]*)\|\s*(?P<meaning>.*?)\s*\|$")
_NAME = re.compile(r"`(\w+)`")


def _plain(markdown: str) -> str:
    return markdown.replace("`", "").strip()


def schema_descriptions(text: str) -> dict[str, dict[str, Any]]:
    """``{table: {"description": ..., "columns": {column: meaning}}}`` parsed from schema.md's text.

    >>> schema_descriptions("## `feeds` — every feed\\n| column | meaning |\\n|---|---|\\n| `url`, `etag` | a `key` |\\n")
    {'feeds': {'description': 'every feed', 'columns': {'url': 'a key', 'etag': 'a key'}}}
    """
    tables: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            match = _SECTION.match(line.strip())
            current = None
            if match:
                current = tables.setdefault(match["table"], {"description": _plain(match["description"] or ""), "columns": {}})
            continue
        row = _ROW.match(line.strip())
        if current is not None and row:
            for name in _NAME.findall(row["columns"]):
                current["columns"][name] = _plain(row["meaning"])
    return tables


def canned_queries(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """The archivist's four questions as Datasette canned queries (aliases included when the archive has them)."""
    by_url = "a.url = :url"
    if "article_urls" in db.table_names():
        by_url += " or a.id in (select article_id from article_urls where url = :url)"
    return {
        "latest_versions": {
            "title": "Latest version of each article",
            "sql": (
                "select a.url, a.source, v.version, v.title, v.author, v.published_at, v.modified_at,"
                " v.first_seen_at, v.last_seen_at from articles a"
                " join versions v on v.article_id = a.id and v.version = a.latest_version"
                " order by v.first_seen_at desc, a.id"
            ),
        },
        "changed_recently": {
            "title": "Articles changed in the last N days",
            "description": "Articles with a new version (not their first) first seen in the last :days days.",
            "sql": (
                "select a.url, a.source, v.version, v.title, v.first_seen_at from versions v"
                " join articles a on a.id = v.article_id where v.version > 1"
                " and v.first_seen_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || cast(:days as integer) || ' days')"
                " order by v.first_seen_at desc, a.id"
            ),
        },
        "search": {
            "title": "Search every version",
            "description": "SQLite FTS5 syntax: words, \"phrases\", AND/OR/NOT, prefix*.",
            "sql": (
                "select a.url, a.source, v.version, v.title, v.first_seen_at,"
                " snippet(versions_fts, -1, '**', '**', '…', 16) as snippet"
                " from versions_fts join versions v on v.id = versions_fts.rowid join articles a on a.id = v.article_id"
                " where versions_fts match :q order by versions_fts.rank, v.id limit 100"
            ),
        },
        "article_history": {
            "title": "An article's history",
            "description": "Every version of the article at :url (its canonical URL or an alias).",
            "sql": (
                "select v.version, v.first_seen_at, v.last_seen_at, v.modified_at, v.title, v.author,"
                " length(v.text) as characters, v.content_hash from versions v join articles a on a.id = v.article_id"
                f" where {by_url} order by v.version"
            ),
        },
    }


def metadata(db: sqlite_utils.Database, name: str, schema_doc: Path = SCHEMA_DOC) -> dict[str, Any]:
    """The Datasette ``metadata.json`` content for the archive served as database ``name``."""
    described = schema_descriptions(schema_doc.read_text(encoding="utf-8")) if schema_doc.exists() else {}
    tables = {
        table: info for table, info in described.items() if table in db.table_names()
    }
    return {
        "title": "newsarchive",
        "description": "Every version of every archived article. Read-only.",
        "databases": {name: {"tables": tables, "queries": canned_queries(db)}},
    }
