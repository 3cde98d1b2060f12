"""Pipeline stage 1: extract the article from each fetched page, in the worker pool."""

from __future__ import annotations

import asyncio
import logging

from scrapy.crawler import Crawler

from scraper.extraction import ExtractionResult, extract_article
from scraper.extraction.worker import ExtractionPool, bound_exceeded
from scraper.canonical import with_declared
from scraper.items import ArticlePage

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


class ExtractPipeline:
    """Fills ``extraction`` or ``failure`` on each :class:`ArticlePage` (``NEWSARCHIVE_EXTRACT_*`` settings)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        workers = settings.getint("NEWSARCHIVE_EXTRACT_WORKERS")
        self.pool = None
        if workers >= 0:
            self.pool = ExtractionPool(
                workers,
                timeout=settings.getfloat("NEWSARCHIVE_EXTRACT_TIMEOUT"),
                memory_mb=settings.getint("NEWSARCHIVE_EXTRACT_MEMORY_MB"),
                max_tasks=settings.getint("NEWSARCHIVE_EXTRACT_MAX_TASKS"),
            )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()

    async def process_item(self, item: ArticlePage) -> ArticlePage:
        if not isinstance(item, ArticlePage) or item.failure is not None or item.body is None:
            return item
        content_type = item.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in _HTML_TYPES:
            item.failure = "not-html"
            return item
        result = await self._extract(item)
        item.extraction, item.failure = result.extraction, result.failure
        item.aliases = with_declared(item.aliases, result.aliases, item.requested_url)
        return item

    async def _extract(self, item: ArticlePage) -> ExtractionResult:
        last_modified = item.headers.get("Last-Modified")
        if self.pool is None:
            return extract_article(item.body, item.url, last_modified=last_modified, hints=item.hints)
        future = self.pool.submit(item.body, item.url, last_modified, item.hints)
        try:
            return await asyncio.wrap_future(future)
        except Exception as exc:  # one boundary: a bad page must never stop the crawl
            if (reason := bound_exceeded(exc)) is None:
                logger.warning("extraction failed for %s: %r", item.url, exc)
                reason = "parse-error"
        logger.warning("extraction of %s failed: %s", item.url, reason)
        return ExtractionResult(None, reason)
