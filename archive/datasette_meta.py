"""Datasette metadata for an archive: table and column descriptions from docs/schema.md, and canned queries.

docs/schema.md is the one source of truth for what each table and column means. It is read with a real
Markdown parser (markdown-it-py, CommonMark + tables): each ``## `table` — description`` heading and the
``| `column` | meaning |`` rows of the table below it. A row naming several columns gives each the same
meaning, so the schema documents a column per row unless the meaning really is shared; a meaning that reads
"as in `other`" takes the other table's description of the same column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlite_utils
from markdown_it import MarkdownIt
from markdown_it.token import Token

SCHEMA_DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"

_INHERIT = re.compile(r"^as in (\w+)$")


def _plain(tokens: list[Token]) -> str:
    """The text of an inline token's children: code spans as their content, emphasis and links as their text."""
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _cells(tokens: list[Token], start: int) -> tuple[list[list[Token]], int]:
    """The inline children of each cell of the table row opened at ``tokens[start]``, and the index after it."""
    cells: list[list[Token]] = []
    index = start + 1
    while tokens[index].type != "tr_close":
        if tokens[index].type == "inline":
            cells.append(tokens[index].children or [])
        index += 1
    return cells, index + 1


def schema_descriptions(text: str) -> dict[str, dict[str, Any]]:
    """``{table: {"description": ..., "columns": {column: meaning}}}`` parsed from schema.md's text.

    >>> schema_descriptions("## `feeds` — every feed\\n| column | meaning |\\n|---|---|\\n| `url` | a `key` \\\\| b |\\n")
    {'feeds': {'description': 'every feed', 'columns': {'url': 'a key | b'}}}
    """
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.tag == "h2":
            children = tokens[index + 1].children or []
            current = None
            if children and children[0].type == "code_inline":
                description = _plain(children[1:]).lstrip("—– -").strip()
                current = tables.setdefault(children[0].content, {"description": description, "columns": {}})
        elif token.type == "tbody_open" and current is not None:
            index += 1
            while tokens[index].type == "tr_open":
                cells, index = _cells(tokens, index)
                if len(cells) >= 2:
                    meaning = _plain(cells[1])
                    for name in (t.content for t in cells[0] if t.type == "code_inline"):
                        current["columns"][name] = meaning
            continue
        index += 1
    for info in tables.values():
        for name, meaning in info["columns"].items():
            if (inherit := _INHERIT.match(meaning)) and inherit[1] in tables:
                info["columns"][name] = tables[inherit[1]]["columns"].get(name, meaning)
    return tables


def _short(column: str) -> str:
    return f"substr({column}, 1, 19)"  # 'sha256:' and 12 hex digits


def _article_id(url: str) -> str:
    """SQL for the id of the article at ``url`` as `newsarchive history` finds it: the URL as given, then
    canonicalised (``canonical_url()``, registered by the plugin), each through ``article_urls`` first."""
    return (
        f"coalesce(\n  (select article_id from article_urls where url = {url}),\n"
        f"  (select id from articles where url = {url}),\n"
        f"  (select article_id from article_urls where url = canonical_url({url})),\n"
        f"  (select id from articles where url = canonical_url({url}))\n)"
    )


def canned_queries() -> dict[str, dict[str, Any]]:
    """The archivist's four questions as Datasette canned queries (SQL laid out to be read on the page)."""
    return {
        "latest_versions": {
            "title": "Latest version of each article",
            "sql": (
                "select a.url, a.source, v.version, v.title, v.author, v.published_at, v.modified_at,\n"
                "  v.first_seen_at, v.last_seen_at\n"
                "from articles a join versions v on v.article_id = a.id and v.version = a.latest_version\n"
                "order by v.first_seen_at desc, a.id"
            ),
        },
        "changed_recently": {
            "title": "Articles changed in the last N days",
            "description": "Articles with a new version (not their first) first seen in the last :days days."
                           " The web view's /-/changes shows the same edits with their diffs.",
            "sql": (
                "select a.url, a.source, v.version, v.title, v.first_seen_at\n"
                "from versions v join articles a on a.id = v.article_id\n"
                "where v.version > 1\n"
                "  and v.first_seen_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || cast(:days as integer) || ' days')\n"
                "order by v.first_seen_at desc, a.id"
            ),
        },
        "search": {
            "title": "Search every version",
            "description": "SQLite FTS5 syntax: words, \"phrases\", AND/OR/NOT, prefix*."
                           " The web view's /-/search groups hits by article.",
            "sql": (
                "select a.url, a.source, v.version, v.title, v.first_seen_at,\n"
                "  snippet(versions_fts, -1, '**', '**', '…', 16) as snippet\n"
                "from versions_fts join versions v on v.id = versions_fts.rowid join articles a on a.id = v.article_id\n"
                "where versions_fts match :q\n"
                "order by versions_fts.rank, v.id limit 100"
            ),
        },
        "article_history": {
            "title": "An article's history",
            "description": "Every version of the article at :url: its canonical URL, an alias, or any spelling"
                           " of them (tracking parameters, case, fragment), as `newsarchive history` takes it.",
            "sql": (
                "select v.version, v.first_seen_at, v.last_seen_at, v.published_at, v.modified_at, v.title,\n"
                f"  v.author, v.reverts_to, length(v.text) as characters, {_short('v.content_hash')} as content_hash\n"
                f"from versions v\nwhere v.article_id = {_article_id(':url')}\norder by v.version"
            ),
        },
    }


def metadata(db: sqlite_utils.Database, name: str, schema_doc: Path = SCHEMA_DOC) -> dict[str, Any]:
    """The Datasette metadata for the archive served as database ``name``."""
    described = schema_descriptions(schema_doc.read_text(encoding="utf-8")) if schema_doc.exists() else {}
    names = set(db.table_names()) | set(db.view_names())
    tables = {table: info for table, info in described.items() if table in names}
    return {
        "title": "newsarchive",
        "description": "Every version of every archived article. Read-only.",
        "databases": {name: {"tables": tables, "queries": canned_queries()}},
    }
