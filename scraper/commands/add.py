"""`newsarchive add URL...`: capture the given article URLs now, through the crawl pipeline."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive import ArchiveError, canonical_url
from scraper.cli import EXIT_FATAL, EXIT_USAGE, db_option, fail
from scraper.crawl import crawl as run_crawl, crawl_settings
from scraper.sources import ConfigError


@click.command("add")
@db_option
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--source", default="manual", show_default=True, help="Source name recorded for new articles.")
@click.option("--sources", type=click.Path(dir_okay=False), default="sources.toml", show_default=True,
              help="Sources file, for the politeness and revisit settings of a named source (optional).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details (INFO) to stderr.")
def command(db: str, urls: tuple[str, ...], source: str, sources: str, verbose: bool) -> None:
    """Capture article URLs now (a new version if their content changed) and put them on the revisit ladder.

    \b
    Example:
        newsarchive add --db archive.db https://example.com/news/2024/05/budget-vote
    """
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            fail(f"{url!r} is not an http(s) URL; give full article URLs like https://example.com/news/1", EXIT_USAGE)
    settings = crawl_settings(
        db, sources if Path(sources).exists() else "", recheck="none",
        overrides={
            "LOG_LEVEL": "INFO" if verbose else "WARNING",
            "NEWSARCHIVE_ADD_URLS": [canonical_url(url) for url in urls],
            "NEWSARCHIVE_ADD_SOURCE": source,
        },
        progress=sys.stderr.isatty() and not verbose,
    )
    try:
        summary = run_crawl(settings)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except ArchiveError as exc:
        fail(str(exc), EXIT_FATAL)
    click.echo(summary.line())
    if summary.finish_reason != "finished":
        fail(f"add did not complete ({summary.finish_reason or 'failed to start; see the log above'})", EXIT_FATAL)
    if summary.articles_failed:
        fail(f"{summary.articles_failed} of {len(urls)} URL(s) could not be archived (see the reasons above)", EXIT_FATAL)
