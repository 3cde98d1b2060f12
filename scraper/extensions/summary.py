"""Logs the crawl summary when the spider closes."""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from scraper.summary import CrawlSummary

logger = logging.getLogger("newsarchive")


class CrawlSummaryLogger:
    """Writes :meth:`CrawlSummary.line` to the log at the end of every pass."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummaryLogger:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        summary = CrawlSummary.from_stats(self.crawler.stats.get_stats())
        logger.info("crawl summary: %s", summary.line())
