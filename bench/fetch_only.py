"""Scrapy alone: fetch every URL of a list and discard the bodies (shows the server is not the bottleneck).

Run: ``python -m bench.fetch_only URLS_FILE [--conditional]``; prints ``<pages> <seconds>`` (first to
last response, so Scrapy's start-up does not count). ``--conditional`` sends ``If-Modified-Since`` with
a date after every page's, so the server answers each request with a 304: Scrapy's floor for a recheck.
"""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess


class FetchOnly(scrapy.Spider):
    name = "fetch_only"

    def __init__(self, urls: list[str], conditional: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.headers = {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"} if conditional else {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, headers=self.headers, callback=self.parse, meta={"handle_httpstatus_list": [304]})

    def parse(self, response: scrapy.http.Response) -> None:
        stats = self.crawler.stats
        stats.inc_value("bench/pages")
        stats.set_value("bench/last", time.perf_counter())
        if stats.get_value("bench/first") is None:
            stats.set_value("bench/first", time.perf_counter())


def main(path: str, conditional: bool = False) -> None:
    urls = open(path, encoding="utf-8").read().split()
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": False, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
        "CONCURRENT_ITEMS": 4,  # as the crawl sets it: Scrapy's default starts 100 tasks per response
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    })
    crawler = process.create_crawler(FetchOnly)
    process.crawl(crawler, urls=urls, conditional=conditional)
    process.start()
    stats = crawler.stats.get_stats()
    pages = stats.get("bench/pages", 0)
    # n responses span n - 1 intervals
    print(pages - 1, stats["bench/last"] - stats["bench/first"])


if __name__ == "__main__":
    main(sys.argv[1], "--conditional" in sys.argv[2:])
