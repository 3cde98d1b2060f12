"""The thin adapter that runs scrapy-redis's scheduler under our Scrapy: worker heartbeat, idling, shutdown.

scrapy-redis 0.9.1 predates Scrapy's removal of ``start_requests()``; only its ``RedisSpider`` depends on that,
and we do not use it. Its ``Scheduler`` and ``RFPDupeFilter`` work as they are; this subclass adds what a
long-running worker needs: it registers the worker and renews its host leases every third of the lease TTL,
reaps dead workers, keeps the spider open while idle (or closes it after ``NEWSARCHIVE_UNTIL_IDLE`` seconds
of an empty crawl), and gives its leases back on a clean stop. ``SCHEDULER_PERSIST`` keeps queue and
seen-set when a worker stops.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from . import keys
from .coordinator import Coordinator
from .queue import HostQueue

logger = logging.getLogger(__name__)


class RedisScheduler(Scheduler):
    """scrapy-redis ``Scheduler`` with a :class:`HostQueue` and a :class:`Coordinator` (one per worker)."""

    crawler: Crawler
    queue: HostQueue

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.until_idle = crawler.settings.getfloat("NEWSARCHIVE_UNTIL_IDLE", -1)
        scheduler.empty_since = None
        return scheduler

    def open(self, spider: Spider) -> None:
        # scrapy-redis's open(), without its Spider.log() call (deprecated in our Scrapy)
        self.spider = spider
        queue_cls = load_object(self.queue_cls)
        if not issubclass(queue_cls, HostQueue):
            raise TypeError("RedisScheduler needs SCHEDULER_QUEUE_CLASS = scraper.distributed.queue.HostQueue")
        self.queue = queue_cls(server=self.server, spider=spider, key=self.queue_key, serializer=self.serializer)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        self.coordinator = Coordinator.for_crawler(self.crawler, self.server)
        self.queue.coordinator = self.coordinator
        self.coordinator.beat()
        self.heartbeat = task.LoopingCall(self._heartbeat)
        self.heartbeat.start(self.coordinator.ttl_ms / 3000, now=False)
        self.crawler.signals.connect(self._spider_idle, signal=signals.spider_idle)

    def close(self, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        self.queue.release_all()
        self.coordinator.leave()
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        # as scrapy-redis, without the ``spider`` argument our Scrapy's stats no longer take
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return self.queue.has_work()

    def _heartbeat(self) -> None:
        self.coordinator.beat()
        self.queue.renew()
        if requeued := self.coordinator.reap():
            self.crawler.stats.inc_value("newsarchive/distributed/requeued", requeued)
        # Wake the engine: work may have appeared in Redis (another worker, the seeder, a reaped worker).
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()

    def _spider_idle(self, spider: Spider) -> None:
        if orphans := self.coordinator.forget_orphans():
            self.crawler.stats.inc_value("newsarchive/distributed/orphaned", orphans)
        if self.until_idle < 0:
            raise DontCloseSpider
        if self.queue.has_work() or self.coordinator.inflight_total():
            self.empty_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.empty_since is None:
            self.empty_since = now
        if now - self.empty_since < self.until_idle:
            raise DontCloseSpider
        logger.info("queue empty for %.0fs: stopping (--until-idle)", now - self.empty_since)

    def __repr__(self) -> str:
        return f"<RedisScheduler worker={getattr(self, 'coordinator', None) and self.coordinator.worker}>"


def worker_settings(redis_url: str, slots: dict[str, Any], *, until_idle: float | None, lease_ttl: float) -> dict[str, Any]:
    """Settings that turn the project settings into a distributed worker's."""
    return {
        "SCHEDULER": "scraper.distributed.scheduler.RedisScheduler",
        "SCHEDULER_QUEUE_CLASS": "scraper.distributed.queue.HostQueue",
        "SCHEDULER_QUEUE_KEY": keys.REQUESTS,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_DUPEFILTER_KEY": keys.SEEN,
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": redis_url,
        "NEWSARCHIVE_REDIS_URL": redis_url,
        "NEWSARCHIVE_UNTIL_IDLE": -1 if until_idle is None else until_idle,
        "NEWSARCHIVE_LEASE_TTL": lease_ttl,
        "DOWNLOAD_SLOTS": slots,
        "NEWSARCHIVE_STOP_GRACE": -1,  # a worker finishes what it took from Redis (leases), then stops
        "ITEM_PIPELINES": {
            "scraper.pipelines.extract.ExtractPipeline": 300,
            "scraper.distributed.pipeline.StreamPipeline": 800,
        },
    }
