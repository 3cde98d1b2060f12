"""Bounds that make crawler traps end: a per-host request budget per run, URL path depth and length.

A calendar that links to the next month forever, a session id appended to every link, or a site
answering every path with another page of links must not keep a cron run busy: each host gets at
most ``NEWSARCHIVE_HOST_BUDGET`` requests per run (what is left waits for the next run), and URLs
deeper than ``NEWSARCHIVE_MAX_PATH_DEPTH`` segments or longer than ``NEWSARCHIVE_MAX_URL_LENGTH``
characters are refused.
"""

from __future__ import annotations

import logging
from collections import Counter
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler

from .refused import Refused

logger = logging.getLogger(__name__)


def path_depth(url: str) -> int:
    """Number of non-empty path segments.

    >>> path_depth("https://example.com/2024/05/story.html?x=1")
    3
    """
    return sum(1 for segment in urlsplit(url).path.split("/") if segment)


class RequestLimitsMiddleware:
    """Downloader middleware refusing requests over the budget (``budget``) or too deep (``too-deep``)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.budget = settings.getint("NEWSARCHIVE_HOST_BUDGET", 2000)
        self.max_depth = settings.getint("NEWSARCHIVE_MAX_PATH_DEPTH", 16)
        self.max_length = settings.getint("NEWSARCHIVE_MAX_URL_LENGTH", 2048)
        self.sent: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestLimitsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        url = request.url
        if self.max_length and len(url) > self.max_length:
            self._refuse(request, "too-deep", f"URL longer than {self.max_length} characters")
        if self.max_depth and path_depth(url) > self.max_depth:
            self._refuse(request, "too-deep", f"path deeper than {self.max_depth} segments")
        host = (urlsplit(url).hostname or "").lower()
        if self.budget and self.sent[host] >= self.budget:
            self._refuse(request, "budget", f"{host} already had {self.budget} requests this run")
        self.sent[host] += 1
        return None

    def _refuse(self, request: Request, reason: str, detail: str) -> None:
        self.stats.inc_value(f"newsarchive/refused/{reason}")
        logger.info("refused %s: %s", request.url, detail)
        raise Refused(reason, detail)
