"""`newsarchive history`: every version of one article and how much each changed."""

from __future__ import annotations

import click

from archive.queries import history, resolve_article
from scraper.cli import db_option
from scraper.output import emit, output_options
from scraper.reading import reading


@click.command("history", short_help="Every version of an article and what changed.")
@click.argument("url")
@db_option
@output_options
def command(url: str, db: str, fmt: str | None) -> None:
    """List every version of the article at URL (any alias of it): when it was seen, its declared update time,
    and the words added/removed and title/author changes since the version before.

    \b
    Example:
        newsarchive history https://example.com/news/story --db archive.db
    """
    with reading(db) as archive:
        article = resolve_article(archive.db, url)
        rows = history(archive.db, article["id"])
    emit(rows, fmt, title=article["url"], caption=f"{len(rows)} version(s)")
