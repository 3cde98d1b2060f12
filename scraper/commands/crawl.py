"""`newsarchive crawl`: one crawl pass (what cron runs)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from archive import ArchiveError
from archive.lock import ArchiveBusy
from scraper.cli import EXIT_BUSY, EXIT_FATAL, EXIT_USAGE, db_option, fail
from scraper.crawl import crawl as run_crawl, crawl_settings
from scraper.sources import ConfigError, SourcesError


@click.command("crawl")
@db_option
@click.option("--sources", type=click.Path(dir_okay=False), default="sources.toml", show_default=True,
              help="Sources file (TOML).")
@click.option("--source", "only_sources", multiple=True, metavar="NAME",
              help="Crawl only this source (repeatable).")
@click.option("--recheck", type=click.Choice(["due", "all", "none"]), default="due", show_default=True,
              help="Recheck articles whose revisit time has come ('due'), every known one ('all'), or none.")
@click.option("--all-feeds", is_flag=True, help="Poll every feed and section page, not only the due ones.")
@click.option("--distributed", "redis_url", metavar="REDIS_URL",
              help="Seed this pass into Redis for `newsarchive worker`s and exit (e.g. redis://HOST:6379/0).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details (INFO) to stderr.")
@click.option("-q", "--quiet", is_flag=True,
              help="Print nothing when the pass went well (warnings and errors still go to stderr): for cron.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also write the INFO log (with the summary) here.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=0.")
def command(db: str, sources: str, only_sources: tuple[str, ...], recheck: str, all_feeds: bool,
          redis_url: str | None, verbose: bool, quiet: bool, log_file: str | None, overrides: tuple[str, ...]) -> None:
    """Run one crawl pass: poll due feeds, sitemaps and pages, fetch new and due articles, print a summary.

    \b
    With --distributed, only seed Redis (feeds and the articles to fetch) for workers, then exit.

    \b
    With --quiet, a pass that went well prints nothing, so cron mails only when something went wrong: the
    summary then goes to stderr with the error.

    \b
    Example:
        newsarchive crawl --db archive.db --sources sources.toml --quiet
    """
    if verbose and quiet:
        raise click.UsageError("--verbose and --quiet cannot be used together")
    if redis_url:
        _seed(db, sources, only_sources, recheck, all_feeds, redis_url, quiet)
        return
    interactive = sys.stderr.isatty()
    settings_overrides: dict[str, Any] = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    if log_file:
        settings_overrides.update(LOG_FILE=log_file, LOG_LEVEL="INFO")
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--set")
        settings_overrides[name] = value
    settings = crawl_settings(
        db, sources, recheck=recheck, all_feeds=all_feeds, only_sources=only_sources,
        progress=interactive and not verbose and not quiet, overrides=settings_overrides,
    )
    try:
        summary = run_crawl(settings)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except ArchiveBusy as exc:
        fail(str(exc), EXIT_BUSY)
    except ArchiveError as exc:
        fail(str(exc), EXIT_FATAL)
    went_well = not summary.fatal and summary.finish_reason == "finished"
    if not quiet or not went_well:
        click.echo(summary.line(), err=quiet)
    if summary.fatal:
        fail(f"{summary.fatal} (crawl stopped)", EXIT_FATAL)
    if summary.finish_reason != "finished":
        fail(f"crawl did not complete ({summary.finish_reason or 'failed to start; see the log above'})", EXIT_FATAL)


def _seed(db: str, sources: str, only_sources: tuple[str, ...], recheck: str, all_feeds: bool, redis_url: str,
          quiet: bool) -> None:
    from archive import Archive
    from scraper.distributed.connection import RedisUnavailable, connect
    from scraper.distributed.seed import seed
    from scraper.sources import load_sources

    try:
        chosen = load_sources(sources)
        unknown = set(only_sources) - {s.name for s in chosen}
        if unknown:
            raise SourcesError(f"{sources}: no source named {sorted(unknown)[0]!r} (from --source)")
        chosen = [s for s in chosen if not only_sources or s.name in only_sources]
        server = connect(redis_url)
        with Archive(db) as archive:
            result = seed(server, archive, chosen, recheck=recheck, all_feeds=all_feeds,
                          sources_text=Path(sources).read_text(encoding="utf-8"))
    except SourcesError as exc:
        fail(str(exc), EXIT_USAGE)
    except (ArchiveError, RedisUnavailable) as exc:
        fail(str(exc), EXIT_FATAL)
    if not quiet:
        click.echo(result.line())
