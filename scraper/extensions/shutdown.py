"""SIGTERM (or Ctrl-C) stops a crawl within seconds, whatever it is waiting for.

Scrapy's graceful shutdown waits for every request already handed to the downloader: one queued
behind a 30 s crawl delay, one sleeping before a retry, a server dribbling its body until the
download timeout. Under cron that kept the archive's lock (every later pass exited 75). On the
first SIGTERM or SIGINT this extension, besides starting Scrapy's graceful stop:

1. drops what is only *waiting*: requests queued in the download slots and retry waits fail as
   ``stopped`` (not attempted: nothing is stored, the article or feed stays due);
2. after ``NEWSARCHIVE_STOP_GRACE`` seconds (5), if the engine has still not stopped, commits the
   captures already complete, stops the extraction workers and the reactor: downloads still in
   flight are dropped, as a ``kill -9`` would, so the next pass fetches them;
3. as a last resort, if the process is wedged in a blocking call, Python's ``faulthandler`` ends it
   10 s later (the kernel frees the lock; the archive is as safe as after ``kill -9``).
"""

from __future__ import annotations

import faulthandler
import logging
import signal
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.python.failure import Failure

from scraper.middlewares.refused import Refused

logger = logging.getLogger("newsarchive")

stop_requested = object()  # Scrapy signal sent on the first SIGTERM/SIGINT (retry waits end at once)
WEDGED_AFTER = 10.0  # seconds past the grace before faulthandler ends a process stuck in a blocking call


class StopPromptly:
    """Makes the first SIGTERM/SIGINT end the crawl within ``NEWSARCHIVE_STOP_GRACE`` seconds."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.grace = crawler.settings.getfloat("NEWSARCHIVE_STOP_GRACE", 5.0)
        self.stopping = False
        self.deadline: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopPromptly:
        if crawler.settings.getfloat("NEWSARCHIVE_STOP_GRACE", 5.0) < 0:
            raise NotConfigured("NEWSARCHIVE_STOP_GRACE < 0: Scrapy's graceful stop (waits for in-flight work)")
        extension = cls(crawler)
        crawler.signals.connect(extension.install, signal=signals.engine_started)
        crawler.signals.connect(extension.stopped, signal=signals.engine_stopped)
        return extension

    def install(self) -> None:
        """Chain a handler in front of Scrapy's (installed by CrawlerProcess before the reactor ran)."""
        from twisted.internet import reactor  # the one Scrapy installed (importing it earlier would pick another)

        for signum in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(signum)

            def handler(number: int, frame: Any, previous: Any = previous) -> None:
                reactor.callFromThread(self.stop)
                if callable(previous):
                    previous(number, frame)

            signal.signal(signum, handler)

    def stop(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        logger.warning("stopping: waiting requests dropped, in-flight work gets %.0f s", self.grace)
        self.crawler.signals.send_catch_log(stop_requested)
        self._drop_queued()
        from twisted.internet import reactor

        self.deadline = reactor.callLater(self.grace, self.force)
        faulthandler.dump_traceback_later(self.grace + WEDGED_AFTER, exit=True)

    def _drop_queued(self) -> None:
        """Fail the requests waiting in a download slot (for its delay) as ``stopped``."""
        engine = self.crawler.engine
        if engine is None:
            return
        for slot in list(engine.downloader.slots.values()):
            while slot.queue:
                request, deferred = slot.queue.popleft()
                deferred.errback(Failure(Refused("stopped", "the crawl is stopping")))

    def force(self) -> None:
        """The grace is over: keep what is complete, drop what is in flight, stop the reactor."""
        self.deadline = None
        logger.warning("stopping now: %.0f s grace over; downloads in flight are dropped (fetched next pass)", self.grace)
        engine = self.crawler.engine
        if engine is not None:
            for pipeline in getattr(engine.scraper.itemproc, "middlewares", ()):
                close = getattr(pipeline, "close_spider", None)
                if close is not None:
                    try:
                        close()
                    except Exception as exc:  # stopping must go on; the archive keeps what committed
                        logger.error("stopping: %s.close_spider failed: %s", type(pipeline).__name__, exc)
        self.crawler.stats.set_value("finish_reason", "shutdown")
        from twisted.internet import reactor

        if reactor.running:
            reactor.stop()

    def stopped(self) -> None:
        """The engine stopped within the grace: no need to force it (the last-resort timer stays armed
        until the process exits)."""
        if self.deadline is not None and self.deadline.active():
            self.deadline.cancel()
