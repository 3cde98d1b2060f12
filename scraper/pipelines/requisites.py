"""Pipeline stage 0: store each fetched page requisite (stylesheet, image, font, script) once by its bytes.

Requisites are few and shared (a site's stylesheet serves every article), so each is stored in its own
write unit as it arrives; article pages pass through to extraction untouched.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy.crawler import Crawler

from archive import ArchiveError, Capture, requisites
from scraper.archive_handle import archive_for
from scraper.items import RequisitePage

logger = logging.getLogger(__name__)


class RequisitePipeline:
    """Stores :class:`RequisitePage` items; counts ``newsarchive/requisites/stored|unchanged|failed/<reason>``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequisitePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RequisitePage):
            return item
        capture = Capture(item.url, item.fetched_at, item.status, item.headers, item.body)
        try:
            stored = requisites.record_fetch(archive_for(self.crawler), item.url, capture, item.failure)
        except (ArchiveError, sqlite3.Error) as exc:
            logger.error("could not store requisite %s: %s", item.url, exc)
            self.stats.inc_value("newsarchive/requisites/errors")
            return item
        if item.failure is not None:
            self.stats.inc_value(f"newsarchive/requisites/failed/{item.failure}")
        else:
            self.stats.inc_value(f"newsarchive/requisites/{'stored' if stored else 'unchanged'}")
        return item
