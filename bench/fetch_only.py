"""Scrapy alone: fetch every URL of a list and discard the bodies (shows the server is not the bottleneck).

Run: ``python -m bench.fetch_only URLS_FILE``; prints ``<pages> <seconds>`` (first to last response,
so Scrapy's start-up does not count).
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

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: scrapy.http.Response) -> None:
        stats = self.crawler.stats
        stats.inc_value("bench/pages")
        stats.set_value("bench/last", time.perf_counter())
        if stats.get_value("bench/first") is None:
            stats.set_value("bench/first", time.perf_counter())


def main(path: str) -> None:
    urls = open(path, encoding="utf-8").read().split()
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": False, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    })
    crawler = process.create_crawler(FetchOnly)
    process.crawl(crawler, urls=urls)
    process.start()
    stats = crawler.stats.get_stats()
    pages = stats.get("bench/pages", 0)
    # n responses span n - 1 intervals
    print(pages - 1, stats["bench/last"] - stats["bench/first"])


if __name__ == "__main__":
    main(sys.argv[1])
