"""`newsarchive search`: full-text search over every archived version."""

from __future__ import annotations

import re
from typing import Any

import click
from rich.text import Text

from archive.queries import SNIPPET_MARK, search
from scraper.cli import db_option
from scraper.output import emit, output_options, plain_cell
from scraper.reading import reading

COLUMNS = ("url", "source", "title", "version", "first_seen_at", "last_seen_at", "published_at", "snippet")
_MARKED = re.compile(re.escape(SNIPPET_MARK) + "(.*?)" + re.escape(SNIPPET_MARK))


def _cell(column: str, value: Any) -> str | Text:
    if column != "snippet" or not value:
        return plain_cell(column, value)
    text = Text()
    last = 0
    for match in _MARKED.finditer(value):
        text.append(value[last:match.start()])
        text.append(match.group(1), style="bold reverse")
        last = match.end()
    text.append(value[last:])
    return text


@click.command("search", short_help="Full-text search over every version.")
@click.argument("query")
@db_option
@click.option("--source", "sources", multiple=True, metavar="NAME", help="Only this source (repeatable).")
@click.option("--since", metavar="TIME", help="Only versions first seen at or after this ISO date/time.")
@click.option("--until", metavar="TIME", help="Only versions first seen before this ISO date/time.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many results.")
@output_options
def command(query: str, db: str, sources: tuple[str, ...], since: str | None, until: str | None, limit: int,
            fmt: str | None) -> None:
    """Search every version's title and text (SQLite FTS5 syntax: words, "phrases", AND/OR/NOT, prefix*).

    Best match first; matches in the snippet are marked **like this**.

    \b
    Example:
        newsarchive search 'budget AND "city council"' --since 2024-05-01 --db archive.db
    """
    with reading(db) as archive:
        rows = search(archive.db, query, sources=sources, since=since, until=until, limit=limit)
    emit(rows, fmt, columns=COLUMNS, caption=f"{len(rows)} result(s) for {query!r}", render=_cell)
