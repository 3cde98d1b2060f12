"""The crawl pass: poll due feeds, sitemaps and section pages, then fetch new and due articles."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.http import Response

from scraper.feeds import parse_feed_document

from .base import ArchiveSpider, configured_url, validators_of
from .pages import PagePolling
from .requisites import RequisiteFetching
from .sitemaps import SitemapPolling

_YIELD_EVERY = 32  # start requests between two turns of the event loop


class FeedsSpider(RequisiteFetching, SitemapPolling, PagePolling, ArchiveSpider):
    """Poll RSS/Atom/JSON feeds, sitemaps and section pages (conditional GET), store their links,
    fetch the articles (and, for sources that keep them, their page requisites); then recheck the articles
    that are due (``NEWSARCHIVE_RECHECK``) and the requisites due for their own recheck."""

    name = "feeds"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        added = self.settings.getlist("NEWSARCHIVE_ADD_URLS")
        if added:
            for row in self.archive_added(added):
                yield self.article_request(row, force=True)
            return
        every = self.settings.getbool("NEWSARCHIVE_ALL_FEEDS")
        for source in self.sources:
            for url in source.feeds:
                if every or self.archive.feed_is_due(url):
                    if request := self.feed_request(url, source.name):
                        yield request
                else:
                    self.count("feeds/not_due")
            for url in source.sitemaps:  # every pass: they are conditional, and indexes fan out
                if request := self.sitemap_request(url, source.name):
                    yield request
            for url in source.pages:
                if (every or self.archive.feed_is_due(url)) and (request := self.page_request(url, source.name)):
                    yield request
        for request in self.due_requisite_requests():
            yield request
        recheck = self.settings.get("NEWSARCHIVE_RECHECK")
        due = self.archive.articles_to_fetch([s.name for s in self.sources], recheck=recheck)
        for count, request in enumerate(self.article_requests(due), 1):  # no `yield from` in an async generator
            yield request
            if count % _YIELD_EVERY == 0:
                # Scrapy reads start() without returning to the event loop while its downloader is full, so
                # robots.txt and the first responses waited for all of it (0.35 s of a 2,000-article recheck).
                await asyncio.sleep(0)

    def archive_added(self, urls: list[str]) -> list[dict]:
        """`newsarchive add`: the given URLs join the frontier (source ``NEWSARCHIVE_ADD_SOURCE``)."""
        source = self.settings.get("NEWSARCHIVE_ADD_SOURCE") or "manual"
        ids = [self.archive.add_article(url, source) for url in urls]
        return self.archive.articles_to_fetch(recheck="all", ids=ids)

    def feed_request(self, url: str, source: str) -> scrapy.Request | None:
        return self.poll_request(url, source, self.parse_feed)

    def parse_feed(self, response: Response, source: str) -> Iterator[scrapy.Request]:
        if response.status == 304:
            self.record_not_modified(response, source, "feed")
            return
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        feed_url = configured_url(response.request)
        document = self.read_document(
            response, source, "feed", lambda: parse_feed_document(response.body, response.url, content_type)
        )
        if document is None:
            return
        update = self.archive.record_feed_poll(
            feed_url, source, status=response.status, links=document.links,
            declared_period=document.period, **validators_of(response),
        )
        self.count("feeds/polled")
        self.count("feeds/entries", len(document.links))
        self.count_skipped("feed", document.skipped)
        self.count("articles/triggered", len(update.triggered_ids))
        yield from self.fetch_articles(update.article_ids)
