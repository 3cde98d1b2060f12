"""The one crawl function behind `newsarchive crawl` (and the settings `scrapy crawl feeds` uses)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive import Archive, ArchiveError
from archive.lock import crawl_lock

from .settings_check import check_settings
from .sources import SourcesError, sources_from_settings
from .summary import CrawlSummary


def crawl_settings(
    db: str | Path,
    sources: str | Path,
    *,
    recheck: str = "due",
    all_feeds: bool = False,
    only_sources: Sequence[str] = (),
    progress: bool = False,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    """Project settings plus this pass's options, at command-line priority."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.setdict(
        {
            "NEWSARCHIVE_DB": str(db),
            "NEWSARCHIVE_SOURCES": str(sources),
            "NEWSARCHIVE_RECHECK": recheck,
            "NEWSARCHIVE_ALL_FEEDS": all_feeds,
            "NEWSARCHIVE_ONLY_SOURCES": list(only_sources),
            "NEWSARCHIVE_PROGRESS": progress,
            **(overrides or {}),
        },
        priority="cmdline",
    )
    return settings


def crawl(settings: Settings) -> CrawlSummary:
    """Run one crawl pass with ``settings`` (see :func:`crawl_settings`) and return its summary.

    Raises :class:`~scraper.sources.ConfigError` (a bad setting or sources file) or
    :class:`archive.ArchiveError` before crawling when the configuration or the archive is unusable, :class:`archive.lock.ArchiveBusy` when another crawl holds the
    archive's lock. Starts the Twisted reactor: call once per process.
    """
    check_settings(settings)
    sources = sources_from_settings(settings)
    unknown = set(settings.getlist("NEWSARCHIVE_ONLY_SOURCES")) - {s.name for s in sources}
    if unknown:
        raise SourcesError(
            f"{settings.get('NEWSARCHIVE_SOURCES')}: no source named {sorted(unknown)[0]!r} (from --source)"
        )
    db = Path(settings.get("NEWSARCHIVE_DB"))
    if db.exists() and not os.access(db, os.W_OK):
        raise ArchiveError(f"{db}: archive is read-only (no write permission); check the file's permissions")
    with crawl_lock(db):
        Archive(db).close()  # create/migrate now, and fail early if unusable
        process = CrawlerProcess(settings)
        crawler = process.create_crawler("feeds")
        process.crawl(crawler)
        process.start()
    return CrawlSummary.from_stats(crawler.stats.get_stats())
