"""Retries with backoff, honouring ``Retry-After`` on 429 and 503 (seconds or an HTTP date).

Scrapy's own retry middleware re-queues at once and ignores ``Retry-After``; this one waits first:
the server's ``Retry-After`` when it sends one, otherwise ``NEWSARCHIVE_RETRY_BACKOFF`` × 2^(attempt − 1),
at most ``NEWSARCHIVE_RETRY_BACKOFF_MAX``. It replaces ``scrapy.downloadermiddlewares.retry.RetryMiddleware``
(same settings: ``RETRY_TIMES``, ``RETRY_HTTP_CODES``).

A ``Retry-After`` longer than the pass can afford (``NEWSARCHIVE_RETRY_AFTER_MAX``) is not shortened:
the URL is not retried in this pass, its failure carries the date the server gave (``meta[RETRY_AT]``,
at most :data:`DEFER_MAX` ahead) and the archive schedules its next check or poll no earlier, so later
passes honour it too; for the rest of the pass the host gets twice the delay it had (at least 1 s,
at most ``NEWSARCHIVE_MAX_CRAWL_DELAY``), once: more such answers do not slow it further.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import CancelledError, Deferred
from twisted.internet.task import deferLater

from archive.clock import iso, utcnow
from scraper.extensions.shutdown import stop_requested

from .refused import Refused
from .slots import raise_slot_delay, slot_delay

logger = logging.getLogger(__name__)

RETRY_AFTER_CODES = (429, 503)
RETRY_AT = "newsarchive_retry_at"  # request meta: ISO time before which the server asked not to come back
DEFER_MAX = timedelta(days=7)  # a server cannot park a URL for longer
SLOWED_MIN_DELAY = 1.0


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
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or utcnow())).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware with a wait before each retry (counted in ``newsarchive/retry/…``)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = super().from_crawler(crawler)
        settings = crawler.settings
        middleware.backoff = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF", 2.0)
        middleware.backoff_max = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF_MAX", 30.0)
        middleware.retry_after_max = settings.getfloat("NEWSARCHIVE_RETRY_AFTER_MAX", 120.0)
        middleware.slowed_max_delay = settings.getfloat("NEWSARCHIVE_MAX_CRAWL_DELAY", 30.0)
        middleware.delay_before = {}  # slot key -> its delay before the first deferral
        middleware.waits: set[Deferred] = set()
        middleware.stopping = False
        crawler.signals.connect(middleware.stop_waiting, signal=stop_requested)
        return middleware

    def stop_waiting(self) -> None:
        """The crawl is stopping: end every wait now; nothing more is retried."""
        self.stopping = True
        for wait in list(self.waits):
            wait.cancel()

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:  # type: ignore[override]
        wait = None
        if response.status in RETRY_AFTER_CODES and response.status in self.retry_http_codes:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is not None:
            request.meta[RETRY_AT] = iso(utcnow() + timedelta(seconds=min(wait, DEFER_MAX.total_seconds())))
            if wait > self.retry_after_max:
                self._defer(request, wait)
                return response
        result = super().process_response(request, response)
        if isinstance(result, Request):
            if wait is not None:
                self.crawler.stats.inc_value("newsarchive/retry/retry-after")
            else:
                wait = self._backoff(result)
            await self._sleep(wait)
        return result

    def _defer(self, request: Request, wait: float) -> None:
        """No retry this pass (the failure carries RETRY_AT); the host is slowed for the rest of it."""
        self.crawler.stats.inc_value("newsarchive/retry/deferred")
        key, delay = slot_delay(self.crawler, request)
        before = self.delay_before.setdefault(key, delay)
        slowed = max(min(max(2 * before, SLOWED_MIN_DELAY), self.slowed_max_delay), delay)
        raise_slot_delay(self.crawler, request, slowed)
        logger.warning("%s asked to come back in %.0f s (more than NEWSARCHIVE_RETRY_AFTER_MAX, %.0f s): "
                       "deferred to %s; %s slowed to one request per %.1f s",
                       request.url, wait, self.retry_after_max, request.meta[RETRY_AT], key, slowed)

    async def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Request | Response | None:  # type: ignore[override]
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._sleep(self._backoff(result))
        return result

    def _backoff(self, retry: Request) -> float:
        attempt = max(1, int(retry.meta.get("retry_times", 1)))
        return min(self.backoff * 2 ** (attempt - 1), self.backoff_max)

    async def _sleep(self, seconds: float) -> None:
        """Wait before a retry; raises Refused("stopped") when the crawl stops meanwhile (or already has)."""
        if self.stopping:
            raise Refused("stopped", "the crawl is stopping: not retried")
        if seconds <= 0:
            return
        from twisted.internet import reactor

        wait = deferLater(reactor, seconds, lambda: None)
        self.waits.add(wait)
        try:
            await maybe_deferred_to_future(wait)
        except CancelledError:
            raise Refused("stopped", "the crawl is stopping: not retried") from None
        finally:
            self.waits.discard(wait)
