"""Scrapy's log formatter without the per-response DEBUG lines when the log level is above DEBUG.

Scrapy builds a "Crawled (200) <GET …>" and a "Scraped from …" record for every response and leaves it
to the handler to drop them at ``LOG_LEVEL = "INFO"``; building them cost ~0.15 CPU-ms per article.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.logformatter import LogFormatter, LogFormatterResult


class QuietLogFormatter(LogFormatter):
    """Skips the ``crawled`` and ``scraped`` messages unless ``LOG_LEVEL`` is DEBUG."""

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietLogFormatter:
        level = crawler.settings.get("LOG_LEVEL")
        number = logging.getLevelName(level.upper()) if isinstance(level, str) else level
        return cls(isinstance(number, int) and number <= logging.DEBUG)

    def crawled(self, *args: Any, **kwargs: Any) -> LogFormatterResult | None:  # type: ignore[override]
        return super().crawled(*args, **kwargs) if self.debug else None

    def scraped(self, *args: Any, **kwargs: Any) -> LogFormatterResult | None:  # type: ignore[override]
        return super().scraped(*args, **kwargs) if self.debug else None
