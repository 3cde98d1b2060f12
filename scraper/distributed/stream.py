"""The worker side of the results stream: push a result, then mark its request as no longer in flight."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from . import keys
from .connection import connect
from .coordinator import Coordinator
from .messages import Result, encode

_ATTRIBUTE = "_newsarchive_results"


class ResultStream:
    """Publishes results to ``newsarchive:results`` (shared by the spider and the stream pipeline)."""

    def __init__(self, crawler: Crawler, server: Any) -> None:
        self.crawler = crawler
        self.server = server

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> ResultStream:
        """The crawler's stream, connected on first use (``NEWSARCHIVE_REDIS_URL``)."""
        stream = getattr(crawler, _ATTRIBUTE, None)
        if stream is None:
            stream = cls(crawler, connect(crawler.settings.get("NEWSARCHIVE_REDIS_URL")))
            setattr(crawler, _ATTRIBUTE, stream)
        return stream

    def publish(self, result: Result) -> None:
        """Append ``result`` to the stream, then drop its task from this worker's in-flight set."""
        self.server.xadd(keys.RESULTS, encode(result))
        Coordinator.for_crawler(self.crawler, self.server).done(result.task)
        self.crawler.stats.inc_value("newsarchive/distributed/published")
