"""Stop the crawl at the first archive write that fails (disk full, read-only file, I/O error).

Scrapy logs an exception raised in a callback or a pipeline and carries on, so without this a full
disk would make every remaining article fail one by one and the run would still exit 0. The first
:class:`archive.ArchiveError` closes the spider with reason ``archive-error`` and keeps its message
in the stats (``newsarchive/fatal``); the CLI prints it as one line and exits non-zero. Nothing
committed is lost: the failed write unit rolled back, and the next run picks the work up again.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from archive import ArchiveError
from archive.db import translate

logger = logging.getLogger("newsarchive")

REASON = "archive-error"


class StopOnArchiveError:
    """Closes the spider when a callback or pipeline raises :class:`archive.ArchiveError`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopOnArchiveError:
        extension = cls(crawler)
        crawler.signals.connect(extension.failed, signal=signals.spider_error)
        crawler.signals.connect(extension.failed, signal=signals.item_error)
        return extension

    def failed(self, failure: Failure, **kwargs: Any) -> None:
        if failure.check(ArchiveError):
            stop_crawl(self.crawler, failure.value)
        elif failure.check(sqlite3.DatabaseError):  # a read outside a write unit found the file damaged
            stop_crawl(self.crawler, translate(failure.value, self.crawler.settings.get("NEWSARCHIVE_DB")))


def stop_crawl(crawler: Crawler, error: ArchiveError) -> None:
    """Close the spider with reason ``archive-error``, keeping the first error's message in the stats."""
    if crawler.stats.get_value("newsarchive/fatal"):
        return
    message = str(error)
    crawler.stats.set_value("newsarchive/fatal", message)
    logger.error("stopping the crawl: %s", message)
    assert crawler.engine is not None
    deferred_from_coro(crawler.engine.close_spider_async(reason=REASON))
