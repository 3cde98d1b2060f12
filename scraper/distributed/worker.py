"""Running one distributed worker: project settings plus the Redis scheduler, queue and stream pipeline."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scraper.settings_check import check_settings

from . import keys
from .connection import NotSeeded, connect
from .queue import slot_table
from .scheduler import worker_settings
from .spider import WorkerSpider


@dataclass(frozen=True)
class WorkerSummary:
    feeds_polled: int
    pages_fetched: int
    pages_failed: int
    requeued: int
    finish_reason: str | None

    @classmethod
    def from_stats(cls, stats: dict[str, Any]) -> WorkerSummary:
        return cls(
            feeds_polled=int(stats.get("newsarchive/feeds/polled", 0)),
            pages_fetched=int(stats.get("newsarchive/pages/fetched", 0)),
            pages_failed=int(stats.get("newsarchive/pages/failed", 0)),
            requeued=int(stats.get("newsarchive/distributed/requeued", 0)),
            finish_reason=stats.get("finish_reason"),
        )

    def line(self) -> str:
        """One human line, printed when the worker stops."""
        return (f"worker: {self.feeds_polled} feeds polled, {self.pages_fetched} pages fetched, "
                f"{self.pages_failed} failed; {self.requeued} requests requeued from dead workers "
                f"({self.finish_reason})")


def run_worker(redis_url: str, *, until_idle: float | None = None, lease_ttl: float = 10.0,
               overrides: dict[str, Any] | None = None) -> WorkerSummary:
    """Fetch from Redis until SIGTERM (in-flight requests finish first) or ``until_idle`` seconds of an empty
    queue. Raises :class:`~.connection.RedisUnavailable`. Starts the Twisted reactor: once per process."""
    server = connect(redis_url)
    sources_text = server.get(keys.SOURCES)
    if sources_text is None:
        raise NotSeeded(f"{redis_url}: no pass seeded yet; run `newsarchive crawl --distributed {redis_url}` first")
    slots = slot_table(server.hgetall(keys.SLOTS))
    with tempfile.TemporaryDirectory(prefix="newsarchive-worker-") as folder:
        sources = Path(folder) / "sources.toml"  # the seeder's: SSRF guard and resolver trust its hosts
        sources.write_bytes(sources_text)
        settings = Settings()
        settings.setmodule("scraper.settings", priority="project")
        settings.setdict(worker_settings(redis_url, slots, until_idle=until_idle, lease_ttl=lease_ttl), priority="cmdline")
        settings.set("NEWSARCHIVE_SOURCES", str(sources), priority="cmdline")
        settings.setdict(overrides or {}, priority="cmdline")
        check_settings(settings)
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(WorkerSpider)
        process.crawl(crawler)
        process.start()
    return WorkerSummary.from_stats(crawler.stats.get_stats())
