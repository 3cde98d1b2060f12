"""robots.txt ``Crawl-delay``: slow a host down when its robots.txt asks for more than the source's delay.

Scrapy obeys robots.txt rules but ignores ``Crawl-delay``. This middleware sees the robots.txt
response on its way to Scrapy's robots middleware, parses it with Protego (the parser Scrapy uses)
and raises the host's download-slot delay, never above ``NEWSARCHIVE_MAX_CRAWL_DELAY`` seconds (a
robots.txt asking for an hour per page would otherwise stall every cron run).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from protego import Protego
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from .slots import raise_slot_delay, slot_delay

logger = logging.getLogger(__name__)


class RobotsCrawlDelayMiddleware:
    """Downloader middleware applying robots.txt ``Crawl-delay`` to the host's slot."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.max_delay = settings.getfloat("NEWSARCHIVE_MAX_CRAWL_DELAY", 30.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsCrawlDelayMiddleware:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("ROBOTSTXT_OBEY is off")
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if response.status == 200 and urlsplit(request.url).path == "/robots.txt" and request.meta.get("dont_obey_robotstxt"):
            self._apply(request, response)
        return response

    def _apply(self, request: Request, response: Response) -> None:
        try:
            delay = Protego.parse(response.body.decode("utf-8", "replace")).crawl_delay(self.user_agent)
        except (ValueError, TypeError):
            return
        if not delay:
            return
        delay = min(float(delay), self.max_delay)
        key, before = slot_delay(self.crawler, request)
        if raise_slot_delay(self.crawler, request, delay):
            logger.info("%s: robots.txt Crawl-delay %.1fs (source delay %.1fs)", key, delay, before)
            self.crawler.stats.set_value(f"newsarchive/crawl-delay/{key}", delay)
