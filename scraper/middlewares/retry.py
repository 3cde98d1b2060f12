"""Retries with backoff, honouring ``Retry-After`` on 429 and 503 (seconds or an HTTP date, capped).

Scrapy's own retry middleware re-queues at once and ignores ``Retry-After``; this one waits first:
the server's ``Retry-After`` when it sends one (never longer than ``NEWSARCHIVE_RETRY_AFTER_MAX``),
otherwise ``NEWSARCHIVE_RETRY_BACKOFF`` × 2^(attempt − 1), also capped. It replaces
``scrapy.downloadermiddlewares.retry.RetryMiddleware`` (same settings: ``RETRY_TIMES``, ``RETRY_HTTP_CODES``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

RETRY_AFTER_CODES = (429, 503)


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header value, or None when it is absent or invalid.

    >>> retry_after_seconds("120")
    120.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=timezone.utc))
    10.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware with a wait before each retry (counted in ``newsarchive/retry/…``)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = super().from_crawler(crawler)
        settings = crawler.settings
        middleware.backoff = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF", 2.0)
        middleware.backoff_max = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF_MAX", 30.0)
        middleware.retry_after_max = settings.getfloat("NEWSARCHIVE_RETRY_AFTER_MAX", 120.0)
        return middleware

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if isinstance(result, Request):
            wait = None
            if response.status in RETRY_AFTER_CODES:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None:
                self.crawler.stats.inc_value("newsarchive/retry/retry-after")
                wait = min(wait, self.retry_after_max)
            else:
                wait = self._backoff(result)
            await self._sleep(wait)
        return result

    async def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Request | Response | None:  # type: ignore[override]
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._sleep(self._backoff(result))
        return result

    def _backoff(self, retry: Request) -> float:
        attempt = max(1, int(retry.meta.get("retry_times", 1)))
        return min(self.backoff * 2 ** (attempt - 1), self.backoff_max)

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            from twisted.internet import reactor

            await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))
