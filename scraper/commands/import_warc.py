"""`newsarchive import`: HTML responses of WARC files become captures and versions."""

from __future__ import annotations

import click

from archive import Archive, ArchiveError
from archive.warc_import import DEFAULT_SOURCE, import_warcs
from scraper.cli import EXIT_FATAL, db_option, fail


@click.command("import", short_help="Import the HTML pages of WARC files.")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--source", metavar="NAME",
              help=f"Source name for new articles (default: the one in newsarchive's metadata records, else '{DEFAULT_SOURCE}').")
def command(files: tuple[str, ...], db: str, source: str | None) -> None:
    """Import the HTML `response` (and `revisit`) records of WARC files (ours, wget, Browsertrix, Common Crawl)
    as captures at their WARC-Date, extracted and versioned like crawled ones. Other records are counted and
    skipped; a broken file is reported where it broke and what was read before is kept (exit status 1).

    \b
    Example:
        newsarchive import crawl-2024-05.warc.gz --db archive.db
    """
    from scraper.extraction import extract_article  # trafilatura: slow to import, only needed here

    try:
        with Archive(db) as archive:
            report = import_warcs(archive, files, extract_article, source=source)
    except ArchiveError as exc:
        fail(str(exc), EXIT_FATAL)
    click.echo(report.line())
    for problem in report.broken:
        click.echo(f"Warning: {problem}", err=True)
    if report.broken:
        fail(f"{len(report.broken)} file(s) broken; their records before the break were imported", EXIT_FATAL)
