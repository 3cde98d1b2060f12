"""A live progress line on a terminal (``NEWSARCHIVE_PROGRESS``), fed from the crawl's stats."""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from scraper.summary import CrawlSummary


class Progress:
    """Redraws a one-line status twice a second while the crawl runs."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.live = Live(console=Console(stderr=True), transient=True, refresh_per_second=4)
        self.loop = task.LoopingCall(self.redraw)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.start, signal=signals.spider_opened)
        crawler.signals.connect(extension.stop, signal=signals.spider_closed)
        return extension

    def start(self) -> None:
        self.live.start()
        self.loop.start(0.5)

    def stop(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.live.stop()

    def redraw(self) -> None:
        stats = self.crawler.stats.get_stats()
        summary = CrawlSummary.from_stats(stats)
        pending = stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0)
        self.live.update(
            f"[bold]crawling[/] feeds {summary.feeds_polled} · new {summary.articles_new} · "
            f"updated {summary.articles_updated} · unchanged {summary.articles_unchanged} · "
            f"failed {summary.articles_failed} · queued {pending}"
        )
