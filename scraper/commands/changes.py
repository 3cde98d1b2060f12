"""`newsarchive changes`: edits across the archive, newest first, as a table, JSON or an Atom feed."""

from __future__ import annotations

import click

from archive.atom import changes_feed, feed_scope, feed_title
from archive.changes import recent_edits
from archive.queries import resolve_article
from scraper.cli import db_option
from scraper.output import emit, output_options, resolve_format
from scraper.reading import reading

COLUMNS = ("first_seen_at", "source", "versions", "title", "summary", "url")
CSV_COLUMNS = ("first_seen_at", "source", "url", "previous_version", "version", "title", "previous_title",
               "words_added", "words_removed", "reverts_to", "summary", "id")


@click.command("changes", short_help="Edits across the archive, newest first (table, JSON, Atom).")
@db_option
@click.option("--source", "sources", multiple=True, metavar="NAME", help="Only this source (repeatable).")
@click.option("--since", metavar="TIME", help="Only edits first seen at or after this ISO date/time.")
@click.option("--until", metavar="TIME", help="Only edits first seen before this ISO date/time.")
@click.option("--url", metavar="URL", help="Only this article's edits (any alias of it).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many edits.")
@output_options
@click.option("--atom", "fmt", flag_value="atom", help="An Atom feed, one entry per edit with its diff as HTML.")
@click.option("--format", "format_name", type=click.Choice(["table", "json", "nl", "csv", "atom"]),
              help="The output format by name (the same as --table, --json, --nl, --csv, --atom).")
def command(db: str, sources: tuple[str, ...], since: str | None, until: str | None, url: str | None, limit: int,
            fmt: str | None, format_name: str | None) -> None:
    """List edits (every version after an article's first), newest first: when the new version was first
    seen, what changed (title, author, dates, words added/removed, a return to an earlier version) and, in
    JSON, the changes themselves as `newsarchive diff --json` lists them. --atom writes the feed the web view
    serves at /-/changes.atom (same entry ids). Home pages and feeds are never listed.

    \b
    Example:
        newsarchive changes --since 2024-05-01 --source daily --db archive.db
        newsarchive changes --format atom --db archive.db > changes.atom
    """
    fmt = format_name or fmt
    with reading(db) as archive:
        article = resolve_article(archive.db, url) if url else None
        edits = recent_edits(archive.db, sources=sources, since=since, until=until,
                             article_id=article["id"] if article else None, limit=limit)
        if fmt == "atom":
            article_url = article["url"] if article else None
            feed = changes_feed(edits, title=feed_title(sources, article_url),
                                scope=feed_scope(sources, since, until, article_url))
            click.echo(feed.decode("utf-8"), nl=False)
            return
        rows = [edit.record() for edit in edits]
    fmt = resolve_format(fmt)
    if fmt == "table":
        for row in rows:
            row["versions"] = f"v{row['previous_version']} → v{row['version']}"
    emit(rows, fmt, columns=COLUMNS if fmt == "table" else CSV_COLUMNS if fmt == "csv" else None,
         caption=f"{len(rows)} edit(s), newest first")
