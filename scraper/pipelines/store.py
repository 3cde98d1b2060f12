"""Pipeline stage 2: store the capture (and a version when the content is new) in the archive.

Captures are written in batches, one write unit per batch (``NEWSARCHIVE_WRITE_BATCH_SIZE`` items or
``NEWSARCHIVE_WRITE_BATCH_SECONDS`` after the oldest, whichever comes first, and at the end of the
pass). A crash loses at most the batch not yet committed: those articles stay due and are fetched
again by the next pass; nothing committed is touched. Feed polls are not batched (the spider commits
each one at once, links before validators).
"""

from __future__ import annotations

import logging
import sqlite3
import time

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from archive import ArchiveError, ArchiveLocked, ArchiveUnwritable, ArticleCapture, Capture, NotAnArchive
from scraper.archive_handle import archive_for
from scraper.extensions.archive_errors import stop_crawl
from scraper.items import ArticlePage
from scraper.summary import decision_counts

logger = logging.getLogger(__name__)


class StorePipeline:
    """Batched write units of article pages; counts ``newsarchive/articles/<outcome>`` and failure reasons."""

    def __init__(self, crawler: Crawler, batch_size: int, batch_seconds: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = max(1, batch_size)
        self.batch_seconds = batch_seconds
        self.pending: list[ArticleCapture] = []
        self.oldest = 0.0
        self.timer = task.LoopingCall(self._flush_if_old)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(
            crawler,
            crawler.settings.getint("NEWSARCHIVE_WRITE_BATCH_SIZE"),
            crawler.settings.getfloat("NEWSARCHIVE_WRITE_BATCH_SECONDS"),
        )
        crawler.signals.connect(pipeline.flush, signal=signals.spider_idle)
        return pipeline

    def open_spider(self) -> None:
        if self.batch_size > 1 and self.batch_seconds > 0:
            self.timer.start(min(self.batch_seconds, 1.0), now=False)

    def close_spider(self) -> None:
        if self.timer.running:
            self.timer.stop()
        self.flush()

    def process_item(self, item: ArticlePage) -> ArticlePage:
        if not isinstance(item, ArticlePage):  # a page requisite: stored by its own pipeline
            return item
        capture = Capture(
            url=item.url,
            fetched_at=item.fetched_at,
            status=item.status,
            headers=item.headers,
            body=item.body,
            unchanged=item.unchanged,
            body_hash=item.body_hash,
            aliases=item.aliases,
            retry_at=item.retry_at,
        )
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending.append(ArticleCapture(item.article_id, capture, item.extraction, item.failure))
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        """Commit the pending captures in one write unit and count their outcomes."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            decisions = archive_for(self.crawler).record_captures(batch)
        except (ArchiveError, sqlite3.Error) as exc:
            # The batch rolled back whole: those articles stay due and the next pass fetches them again.
            logger.error("could not store %d captures (%s): %s", len(batch), batch[0].capture.url, exc)
            self.stats.inc_value("newsarchive/store/errors", len(batch))
            if isinstance(exc, (ArchiveUnwritable, ArchiveLocked, NotAnArchive)):
                stop_crawl(self.crawler, exc)  # every later write would fail the same way
            return
        self.stats.inc_value("newsarchive/store/batches")
        for decision in decisions:
            for key, value in decision_counts(decision).items():
                self.stats.inc_value(f"newsarchive/{key}", value)

    def _flush_if_old(self) -> None:
        if self.pending and time.monotonic() - self.oldest >= self.batch_seconds:
            self.flush()
