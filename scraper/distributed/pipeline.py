"""Pipeline stage 2 on a worker: push the extracted page to the results stream (the writer stores it)."""

from __future__ import annotations

from scrapy.crawler import Crawler

from .items import RemoteArticlePage
from .messages import ArticleResult
from .stream import ResultStream


class StreamPipeline:
    """Replaces the store pipeline on workers: one stream entry per page; counts ``newsarchive/pages/...``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StreamPipeline:
        return cls(crawler)

    def process_item(self, item: RemoteArticlePage) -> RemoteArticlePage:
        ResultStream.for_crawler(self.crawler).publish(ArticleResult(
            task=item.task, link=item.link, source=item.source, url=item.url, fetched_at=item.fetched_at,
            status=item.status, headers=item.headers, body=item.body, extraction=item.extraction,
            failure=item.failure, article_id=item.article_id, discovered_via=item.discovered_via,
            unchanged=item.unchanged, body_hash=item.body_hash, aliases=item.aliases,
        ))
        self.crawler.stats.inc_value("newsarchive/pages/fetched" if item.failure is None else "newsarchive/pages/failed")
        return item
