"""`newsarchive reextract`: run the current extractor again over stored pages."""

from __future__ import annotations

from pathlib import Path

import click

from archive import Archive, ArchiveError
from archive.queries import InvalidTime
from archive.reextract import reextract
from scraper.cli import EXIT_FATAL, EXIT_USAGE, db_option, fail


@click.command("reextract", short_help="Re-run extraction on stored pages.")
@db_option
@click.option("--source", "sources", multiple=True, metavar="NAME", help="Only this source (repeatable).")
@click.option("--since", metavar="TIME", help="Only articles whose newest stored page was fetched at or after this.")
@click.option("--dry-run", is_flag=True, help="Count what would change; write nothing.")
def command(db: str, sources: tuple[str, ...], since: str | None, dry_run: bool) -> None:
    """Re-extract each article's newest stored page (after a trafilatura upgrade or an extraction fix) and add
    a version where the content now differs. Earlier versions are never rewritten; the new version is dated by
    the fetch it was extracted from (and recorded with a capture row repeating that fetch).

    \b
    Example:
        newsarchive reextract --source daily --since 2024-05-01 --db archive.db
    """
    if not Path(db).exists():
        fail(f"{db}: no such archive; run `newsarchive crawl --db {db}` first", EXIT_USAGE)
    from scraper.extraction import extract_article  # trafilatura: slow to import, only needed here

    try:
        with Archive(db) as archive:
            report = reextract(archive, extract_article, sources=sources, since=since, dry_run=dry_run)
    except InvalidTime as exc:
        fail(str(exc), EXIT_USAGE)
    except ArchiveError as exc:
        fail(str(exc), EXIT_FATAL)
    click.echo(report.line(dry_run))
