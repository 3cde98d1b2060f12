"""Shared spider behaviour: reading the crawl's settings and fetching article pages into items."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from archive import Archive, EntryHints
from archive.clock import now_iso
from scraper.archive_handle import archive_for
from scraper.failures import failure_reason
from scraper.items import ArticlePage
from scraper.sources import Source, download_slots, load_sources


class ArchiveSpider(scrapy.Spider):
    """A spider that reads sources.toml and the archive named in its settings."""

    sources: list[Source]
    archive: Archive

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        sources = load_sources(settings.get("NEWSARCHIVE_SOURCES"))
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        for host, slot in download_slots(sources).items():
            slots.setdefault(host, slot)
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArchiveSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        only = set(settings.getlist("NEWSARCHIVE_ONLY_SOURCES"))
        spider.sources = [s for s in load_sources(settings.get("NEWSARCHIVE_SOURCES")) if not only or s.name in only]
        unknown = only - {s.name for s in spider.sources}
        if unknown:
            raise ValueError(f"unknown source {sorted(unknown)[0]!r} in --source")
        spider.archive = archive_for(crawler)
        return spider

    def count(self, key: str, value: int = 1) -> None:
        """Increment a ``newsarchive/…`` stat."""
        self.crawler.stats.inc_value(f"newsarchive/{key}", value)

    # -- article pages -------------------------------------------------------------------

    def article_request(self, row: dict[str, Any]) -> scrapy.Request:
        """A request for one article of the frontier (a row of ``articles``)."""
        hints = EntryHints(
            title=row.get("entry_title"),
            author=row.get("entry_author"),
            published_at=row.get("entry_published_at"),
            updated_at=row.get("entry_updated_at"),
        )
        return scrapy.Request(
            row["url"],
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"article_id": row["id"], "source": row["source"], "hints": hints},
            priority=-1,  # feeds first: they refill the frontier
        )

    def parse_article(self, response: Response, article_id: int, source: str, hints: EntryHints) -> Iterator[ArticlePage]:
        yield ArticlePage(
            article_id=article_id,
            source=source,
            url=response.url,
            fetched_at=now_iso(),
            status=response.status,
            headers=_headers(response),
            body=response.body,
            hints=hints,
        )

    def article_failed(self, failure: Failure) -> Iterator[ArticlePage]:
        request = failure.request
        response = getattr(failure.value, "response", None)
        yield ArticlePage(
            article_id=request.cb_kwargs["article_id"],
            source=request.cb_kwargs["source"],
            url=request.url,
            fetched_at=now_iso(),
            status=response.status if response is not None else None,
            headers=_headers(response) if response is not None else {},
            hints=request.cb_kwargs["hints"],
            failure=failure_reason(failure),
        )


def _headers(response: Response) -> dict[str, str]:
    return {
        key.decode("latin-1"): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }
