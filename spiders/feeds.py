"""The crawl pass: poll every feed, then fetch every article not yet archived (and rechecks)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.failures import failure_reason
from scraper.feeds import FeedError, parse_feed

from .base import ArchiveSpider


class FeedsSpider(ArchiveSpider):
    """Poll RSS/Atom/JSON feeds (conditional GET), store their links, fetch the articles."""

    name = "feeds"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            for url in source.feeds:
                yield self.feed_request(url, source.name)
        recheck = self.settings.get("NEWSARCHIVE_RECHECK")
        for row in self.archive.articles_to_fetch([s.name for s in self.sources], recheck=recheck):
            yield self.article_request(row)

    def feed_request(self, url: str, source: str) -> scrapy.Request:
        headers = {}
        if state := self.archive.feed(url):
            if state.get("etag"):
                headers["If-None-Match"] = state["etag"]
            if state.get("last_modified"):
                headers["If-Modified-Since"] = state["last_modified"]
        return scrapy.Request(
            url,
            headers=headers,
            callback=self.parse_feed,
            errback=self.feed_failed,
            cb_kwargs={"source": source},
            meta={"handle_httpstatus_list": [304]},
            dont_filter=True,
            priority=10,
        )

    def parse_feed(self, response: Response, source: str) -> Iterator[scrapy.Request]:
        if response.status == 304:
            self.count("feeds/polled")
            self.count("feeds/not_modified")
            old = self.archive.feed(_configured_url(response.request)) or {}
            validators = self._validators(response)
            self.archive.record_feed_poll(
                _configured_url(response.request), source, status=304, links=(),
                etag=validators["etag"] or old.get("etag"),
                last_modified=validators["last_modified"] or old.get("last_modified"),
            )
            return
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        feed_url = _configured_url(response.request)  # keep the configured URL even after a redirect
        try:
            links = parse_feed(response.body, response.url, content_type)
        except FeedError as exc:
            self._feed_error(feed_url, source, response.status, exc.reason, str(exc))
            return
        new_ids = set(self.archive.record_feed_poll(
            feed_url, source, status=response.status, links=links, **self._validators(response)
        ))
        self.count("feeds/polled")
        self.count("feeds/entries", len(links))
        for link in links:
            row = self.archive.article_by_url(link.url)
            if row and (row["id"] in new_ids or row["versions"] == 0):
                yield self.article_request(row)

    def feed_failed(self, failure: Failure) -> None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        reason = failure_reason(failure)
        self._feed_error(
            _configured_url(request), request.cb_kwargs["source"], response.status if response is not None else None,
            reason, f"{reason}: {failure.getErrorMessage()}",
        )

    def _feed_error(self, url: str, source: str, status: int | None, reason: str, message: str) -> None:
        self.count("feeds/failed")
        self.count(f"failed/{reason}")
        self.logger.warning("feed %s failed: %s", url, message)
        self.archive.record_feed_poll(url, source, status=status, error=reason)

    @staticmethod
    def _validators(response: Response) -> dict[str, Any]:
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        return {
            "etag": etag.decode("latin-1") if etag else None,
            "last_modified": last_modified.decode("latin-1") if last_modified else None,
        }


def _configured_url(request: scrapy.Request) -> str:
    """The feed URL as sources.toml names it (a redirected request carries the chain in its meta)."""
    return request.meta.get("redirect_urls", [request.url])[0]
