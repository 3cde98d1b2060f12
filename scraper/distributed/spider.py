"""The worker's spider: everything it fetches comes from Redis; feed polls and pages go to the results stream.

It never opens the archive. A feed poll is pushed to the stream *before* its links are requested, so the
writer stores the links (with the feed's new validators, in one unit) before any page found through them.
Links already in the shared seen-set (archived, or fetched by any worker) are not requested again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from archive.clock import now_iso
from archive.model import EntryHints
from scraper.failures import failure_reason
from scraper.entries import DocumentError
from scraper.feeds import parse_feed_document
from spiders.base import _headers, configured_url, validators_of
from spiders.rechecks import conditional_headers, fast_path, fetch_aliases

from .items import RemoteArticlePage
from .messages import FeedResult
from .queue import TASK
from .stream import ResultStream

NAME = "newsarchive-worker"


class WorkerSpider(scrapy.Spider):
    """Fetches feeds and article pages handed out by the Redis scheduler."""

    name = NAME

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # Requests come from Redis (seeded by `crawl --distributed`), never from here.
        return
        yield

    @property
    def stream(self) -> ResultStream:
        return ResultStream.for_crawler(self.crawler)

    # -- requests (built here, by the seeder and by parse_feed) -------------------------------------

    def feed_request(self, url: str, source: str, task: str, validators: dict[str, Any] | None = None) -> scrapy.Request:
        """A conditional request for a feed."""
        headers = {}
        if validators and validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators and validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        return scrapy.Request(
            url, headers=headers, callback=self.parse_feed, errback=self.feed_failed,
            cb_kwargs={"source": source}, meta={"handle_httpstatus_list": [304], TASK: task},
            dont_filter=True, priority=10,
        )

    def article_request(
        self, url: str, source: str, task: str, *, article_id: int = 0, hints: EntryHints | None = None,
        discovered_via: str | None = None, recheck: bool = False, headers: dict[str, str] | None = None,
        last_body_hash: str | None = None,
    ) -> scrapy.Request:
        """A request for an article page; ``recheck`` bypasses the seen-set (the archive chose it)."""
        hints = hints or EntryHints()
        return scrapy.Request(
            url, headers=headers, callback=self.parse_article, errback=self.article_failed,
            cb_kwargs={"article_id": article_id, "source": source, "link": url, "discovered_via": discovered_via,
                       "hints": hints.__dict__, "last_body_hash": last_body_hash},
            meta={TASK: task, "handle_httpstatus_list": [304]}, dont_filter=recheck, priority=-1,
        )

    def frontier_request(self, row: dict[str, Any], task: str) -> scrapy.Request:
        """A request for an article the archive chose (a row of ``articles_to_fetch``), conditional when it
        was fetched before, as the single-machine crawl makes it."""
        hints = EntryHints(
            title=row.get("entry_title"), author=row.get("entry_author"),
            published_at=row.get("entry_published_at"), updated_at=row.get("entry_updated_at"),
            origin=row.get("entry_source") or "feed",
        )
        return self.article_request(
            row.get("fetch_url") or row["url"], row["source"], task, article_id=row["id"], hints=hints, recheck=True,
            headers=conditional_headers(row), last_body_hash=row.get("last_body_hash"),
        )

    # -- callbacks -------------------------------------------------------------------------------

    def parse_feed(self, response: Response, source: str) -> Iterator[scrapy.Request]:
        task = response.meta[TASK]
        feed_url = response.request.url  # keep the configured URL even after a redirect
        validators = validators_of(response)
        if response.status == 304:
            self.stream.publish(FeedResult(task, feed_url, source, 304, **validators))
            self.crawler.stats.inc_value("newsarchive/feeds/polled")
            return
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        try:
            document = parse_feed_document(response.body, response.url, content_type)
        except Exception as exc:  # one boundary per feed: it is reported failed, never lost
            reason = exc.reason if isinstance(exc, DocumentError) else "parse-error"
            self.logger.warning("feed %s failed: %s: %s", feed_url, reason, exc)
            self.stream.publish(FeedResult(task, feed_url, source, response.status, error=reason))
            return
        period = document.period.total_seconds() if document.period else None
        self.stream.publish(FeedResult(task, feed_url, source, response.status, links=tuple(document.links),
                                       period=period, **validators))
        self.crawler.stats.inc_value("newsarchive/feeds/polled")
        for link in document.links:
            yield self.article_request(link.url, source, f"{task}|{link.url}", hints=link.hints, discovered_via=feed_url)

    def feed_failed(self, failure: Failure) -> None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        reason = failure_reason(failure)
        self.logger.warning("feed %s failed: %s", request.url, reason)
        self.stream.publish(FeedResult(
            request.meta[TASK], request.url, request.cb_kwargs["source"],
            response.status if response is not None else None, error=reason,
        ))

    def parse_article(self, response: Response, **kwargs: Any) -> RemoteArticlePage:  # returned: see spiders.base
        unchanged, digest = fast_path(response, kwargs["last_body_hash"])
        if unchanged:
            self.crawler.stats.inc_value(f"newsarchive/articles/fast/{unchanged}")
        requested = configured_url(response.request)
        return self._page(response.request, kwargs, url=response.url, status=response.status,
                         headers=_headers(response), body=None if unchanged else response.body,
                         unchanged=unchanged, body_hash=digest, aliases=fetch_aliases(response, requested),
                         requested_url=requested)

    def article_failed(self, failure: Failure) -> RemoteArticlePage:
        request = failure.request
        response = getattr(failure.value, "response", None)
        return self._page(request, request.cb_kwargs, url=request.url,
                         status=response.status if response is not None else None,
                         headers=_headers(response) if response is not None else {},
                         failure=failure_reason(failure))

    def _page(self, request: scrapy.Request, kwargs: dict[str, Any], **fields: Any) -> RemoteArticlePage:
        return RemoteArticlePage(
            article_id=kwargs["article_id"], source=kwargs["source"], fetched_at=now_iso(),
            hints=EntryHints(**kwargs["hints"]), task=request.meta.get(TASK, ""), link=kwargs["link"],
            discovered_via=kwargs["discovered_via"], **fields,
        )
