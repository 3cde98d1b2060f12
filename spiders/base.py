"""Shared spider behaviour: reading the crawl's settings, conditional polls, fetching article pages into items."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from archive import Archive, ArchiveError, EntryHints
from archive.clock import now_iso
from archive.decide import NOT_ATTEMPTED_REASONS
from scraper.archive_handle import archive_for
from scraper.budget import HostBudget
from scraper.entries import DocumentError
from scraper.failures import failure_reason
from scraper.items import ArticlePage
from scraper.middlewares.retry import RETRY_AT
from scraper.settings_check import check_settings
from scraper.sources import Source, download_slots, sources_from_settings

from .rechecks import conditional_headers, fetch_aliases, fast_path

_ID_BATCH = 500  # article ids per frontier query (SQLite caps bound parameters)
Parsed = TypeVar("Parsed")


class ArchiveSpider(scrapy.Spider):
    """A spider that reads sources.toml and the archive named in its settings."""

    sources: list[Source]
    archive: Archive
    requested_ids: set[int]
    deferred_ids: set[int]

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        sources = sources_from_settings(settings)
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        for host, slot in download_slots(sources).items():
            slots.setdefault(host, slot)
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArchiveSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        check_settings(settings)  # `scrapy crawl` does not go through scraper.crawl.crawl
        only = set(settings.getlist("NEWSARCHIVE_ONLY_SOURCES"))
        spider.sources = [s for s in sources_from_settings(settings) if not only or s.name in only]
        unknown = only - {s.name for s in spider.sources}
        if unknown:
            raise ValueError(f"unknown source {sorted(unknown)[0]!r} in --source")
        spider.archive = archive_for(crawler)
        spider.requested_ids = set()  # articles requested in this pass (see article_requests)
        spider.deferred_ids = set()  # articles the host budget left for the next pass (counted once)
        spider.budget = HostBudget(settings.getint("NEWSARCHIVE_HOST_BUDGET"),
                                   settings.getfloat("NEWSARCHIVE_HOST_BUDGET_POLLS"))
        spider.archive.ladders.update({source.name: source.revisit for source in spider.sources})
        return spider

    def count(self, key: str, value: int = 1) -> None:
        """Increment a ``newsarchive/…`` stat."""
        self.crawler.stats.inc_value(f"newsarchive/{key}", value)

    # -- polled documents: feeds, sitemaps, section pages ----------------------------------

    def defer(self, kind: str, reason: str) -> None:
        """Count a feed/sitemap/page poll or an article left for the next pass (not requested, still due)."""
        self.count(f"{kind}s/deferred")
        self.count(f"deferred/{reason}")

    def poll_request(self, url: str, source: str, callback: Callable[..., Any], **cb_kwargs: Any) -> scrapy.Request | None:
        """A conditional GET of a feed, sitemap or section page, with the validators of its last poll;
        None (deferred) when the host's poll budget for this pass is spent."""
        kind = cb_kwargs.get("kind", "feed")
        if not self.budget.take(url, poll=True):
            self.defer(kind, "budget")
            return None
        headers = {}
        if state := self.archive.feed(url):
            if state.get("etag"):
                headers["If-None-Match"] = state["etag"]
            if state.get("last_modified"):
                headers["If-Modified-Since"] = state["last_modified"]
        return scrapy.Request(
            url,
            headers=headers,
            callback=callback,
            errback=self.poll_failed,
            cb_kwargs={"source": source, **cb_kwargs},
            meta={"handle_httpstatus_list": [304]},
            dont_filter=True,
            priority=10,
        )

    def record_not_modified(self, response: Response, source: str, kind: str) -> None:
        """A 304 poll: nothing new, validators kept (or refreshed), the poll interval grows."""
        self.count(f"{kind}s/polled")
        self.count(f"{kind}s/not_modified")
        url = configured_url(response.request)
        old = self.archive.feed(url) or {}
        validators = validators_of(response)
        self.archive.record_feed_poll(
            url, source, status=304, kind=kind,
            etag=validators["etag"] or old.get("etag"),
            last_modified=validators["last_modified"] or old.get("last_modified"),
        )

    def read_document(self, response: Response, source: str, kind: str, parse: Callable[[], Parsed]) -> Parsed | None:
        """``parse()`` of a polled document; when it raises, the poll is stored and counted as failed
        (``DocumentError.reason``, else ``parse-error``) and None is returned: a document no parser
        expected never leaves its feed without a ``feeds`` row or out of the summary."""
        try:
            return parse()
        except ArchiveError:
            raise
        except DocumentError as exc:
            reason, message = exc.reason, str(exc)
        except Exception as exc:  # one boundary per document, logged with its URL and the reason
            reason, message = "parse-error", f"parse-error: {type(exc).__name__}: {str(exc)[:200]}"
        self.poll_error(configured_url(response.request), source, response.status, reason, message, kind=kind)
        return None

    def count_skipped(self, kind: str, skipped: int) -> None:
        """Count the entries of a polled document that could not be read (``bad-entry``)."""
        if skipped:
            self.count(f"{kind}s/bad_entries", skipped)
            self.count("failed/bad-entry", skipped)

    def poll_failed(self, failure: Failure) -> None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        reason = failure_reason(failure)
        if reason in NOT_ATTEMPTED_REASONS:  # never sent: the poll stays due, nothing is stored
            self.defer(request.cb_kwargs.get("kind", "feed"), reason)
            return
        self.poll_error(
            configured_url(request), request.cb_kwargs["source"], response.status if response is not None else None,
            reason, f"{reason}: {failure.getErrorMessage()}", kind=request.cb_kwargs.get("kind", "feed"),
            retry_at=request.meta.get(RETRY_AT),
        )

    def poll_error(self, url: str, source: str, status: int | None, reason: str, message: str, *,
                   kind: str = "feed", retry_at: str | None = None) -> None:
        """Count and store a failed poll (its validators are kept; not polled again before ``retry_at``)."""
        self.count(f"{kind}s/failed")
        self.count(f"failed/{reason}")
        self.logger.warning("%s %s failed: %s", kind, url, message)
        self.archive.record_feed_poll(url, source, status=status, error=reason, kind=kind, not_before=retry_at)

    def fetch_articles(self, article_ids: list[int]) -> Iterator[scrapy.Request]:
        """Requests for the articles a poll listed that this pass should fetch (new, retried, due)."""
        if not article_ids:
            return
        recheck = self.settings.get("NEWSARCHIVE_RECHECK")
        for start in range(0, len(article_ids), _ID_BATCH):
            yield from self.article_requests(
                self.archive.articles_to_fetch(recheck=recheck, ids=article_ids[start:start + _ID_BATCH])
            )

    def article_requests(self, rows: Iterable[dict[str, Any]]) -> Iterator[scrapy.Request]:
        """Requests for the articles (rows of ``articles``) not yet requested in this pass: an article
        listed by two feeds, or due and listed, is fetched once. Keyed by article id, so Scrapy's URL
        duplicate filter (a canonicalised fingerprint per request) is not needed for articles."""
        for row in rows:
            if row["id"] in self.requested_ids:
                continue
            if not self.budget.take(row["url"], poll=False):
                if row["id"] not in self.deferred_ids:  # stays due; no capture is written for it
                    self.deferred_ids.add(row["id"])
                    self.defer("article", "budget")
                continue
            self.requested_ids.add(row["id"])
            yield self.article_request(row)

    # -- article pages -------------------------------------------------------------------

    def article_request(self, row: dict[str, Any], *, force: bool = False) -> scrapy.Request:
        """A request for one article of the frontier (a row of ``articles``), conditional when it was
        fetched before; ``force`` makes it a full fetch. Never filtered by Scrapy as a duplicate: callers
        go through :meth:`article_requests`."""
        hints = EntryHints(
            title=row.get("entry_title"),
            author=row.get("entry_author"),
            published_at=row.get("entry_published_at"),
            updated_at=row.get("entry_updated_at"),
            origin=row.get("entry_source") or "feed",
        )
        return scrapy.Request(
            row.get("fetch_url") or row["url"],  # the URL that last answered: a canonical may not
            headers=None if force else conditional_headers(row),
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={
                "article_id": row["id"], "source": row["source"], "hints": hints,
                "last_body_hash": None if force else row.get("last_body_hash"),
            },
            meta={"handle_httpstatus_list": [304]},
            dont_filter=True,
            priority=-1,  # feeds first: they refill the frontier
        )

    def parse_article(
        self, response: Response, article_id: int, source: str, hints: EntryHints, last_body_hash: str | None
    ) -> ArticlePage | list[Any]:
        # One item, returned rather than yielded: Scrapy parses a generator callback's source for
        # `return <value>` on every response (its cache keys on the bound method, which is new
        # each time), ~0.5 CPU-ms per article.
        unchanged, digest = fast_path(response, last_body_hash)
        if unchanged:
            self.count(f"articles/fast/{unchanged}")
        requested = configured_url(response.request)
        item = ArticlePage(
            article_id=article_id,
            source=source,
            url=response.url,
            fetched_at=now_iso(),
            status=response.status,
            headers=_headers(response),
            body=None if unchanged else response.body,
            hints=hints,
            unchanged=unchanged,
            body_hash=digest,
            aliases=fetch_aliases(response, requested),
            requested_url=requested,
        )
        requests = self.page_requisite_requests(response, article_id, source) if not unchanged else []
        return [item, *requests] if requests else item

    def page_requisite_requests(self, response: Response, article_id: int, source: str) -> list[scrapy.Request]:
        """Requests for the stylesheets, images… an article page needs (see :mod:`spiders.requisites`)."""
        return []

    def article_failed(self, failure: Failure) -> ArticlePage | None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        reason = failure_reason(failure)
        if reason in NOT_ATTEMPTED_REASONS:  # never sent: the article stays due, no capture
            self.defer("article", reason)
            return None
        return ArticlePage(
            article_id=request.cb_kwargs["article_id"],
            source=request.cb_kwargs["source"],
            url=request.url,
            fetched_at=now_iso(),
            status=response.status if response is not None else None,
            headers=_headers(response) if response is not None else {},
            hints=request.cb_kwargs["hints"],
            failure=reason,
            retry_at=request.meta.get(RETRY_AT),
        )


def validators_of(response: Response) -> dict[str, str | None]:
    """The ``ETag`` and ``Last-Modified`` of a response."""
    etag = response.headers.get("ETag")
    last_modified = response.headers.get("Last-Modified")
    return {
        "etag": etag.decode("latin-1") if etag else None,
        "last_modified": last_modified.decode("latin-1") if last_modified else None,
    }


def _headers(response: Response) -> dict[str, str]:
    return {
        key.decode("latin-1"): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }


def configured_url(request: scrapy.Request) -> str:
    """The feed/sitemap/page URL as sources.toml names it (a redirected request carries the chain in its meta)."""
    return request.meta.get("redirect_urls", [request.url])[0]
