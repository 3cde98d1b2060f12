"""Pipeline stage 2: store the capture (and a version when the content is new) in the archive."""

from __future__ import annotations

from scrapy.crawler import Crawler

from archive import Capture, Outcome
from scraper.archive_handle import archive_for
from scraper.items import ArticlePage


class StorePipeline:
    """One write unit per article page; counts ``newsarchive/articles/<outcome>`` and failure reasons."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: ArticlePage) -> ArticlePage:
        archive = archive_for(self.crawler)
        capture = Capture(
            url=item.url,
            fetched_at=item.fetched_at,
            status=item.status,
            headers=item.headers,
            body=item.body,
            unchanged=item.unchanged,
            body_hash=item.body_hash,
            aliases=item.aliases,
        )
        decision = archive.record_capture(item.article_id, capture, item.extraction, item.failure)
        self.stats.inc_value(f"newsarchive/articles/{decision.outcome.value}")
        if decision.outcome is Outcome.FAILED:
            self.stats.inc_value(f"newsarchive/failed/{decision.reason}")
        if decision.reverts_to is not None:
            self.stats.inc_value("newsarchive/articles/reverted")
        return item
