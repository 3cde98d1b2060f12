"""A worker's membership of the crawl: its id, heartbeat, in-flight requests, and the reaping of dead workers.

Each popped request is copied (atomically, by the queue's pop) into ``inflight:<worker>``; the worker removes
it once the request's result is on the results stream. A worker whose heartbeat has expired is dead: the
first live worker to notice moves its in-flight requests back to their host queues, so nothing a killed
worker held is lost (a result it had already pushed is recognised by its task id and not stored twice).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler

from . import keys

logger = logging.getLogger(__name__)

_ATTRIBUTE = "_newsarchive_coordinator"


class Coordinator:
    """One worker's registration in Redis (``NEWSARCHIVE_LEASE_TTL`` seconds of heartbeat)."""

    def __init__(self, crawler: Crawler, server: Any) -> None:
        self.crawler = crawler
        self.server = server
        self.worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.ttl_ms = int(crawler.settings.getfloat("NEWSARCHIVE_LEASE_TTL") * 1000)
        self.slots = crawler.settings.getdict("DOWNLOAD_SLOTS")
        self.default_delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
        self.default_concurrency = crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")

    @classmethod
    def for_crawler(cls, crawler: Crawler, server: Any) -> Coordinator:
        """The crawler's coordinator, created on first use."""
        coordinator = getattr(crawler, _ATTRIBUTE, None)
        if coordinator is None:
            coordinator = cls(crawler, server)
            setattr(crawler, _ATTRIBUTE, coordinator)
        return coordinator

    # -- politeness inputs ---------------------------------------------------------------------

    def delay_for(self, host: str) -> float:
        """Seconds between two requests to ``host`` (sources.toml via the slot table)."""
        return float(self.slots.get(host, {}).get("delay", self.default_delay))

    def buffer_for(self, host: str) -> int:
        """How many requests of ``host`` this worker may hold in its downloader at once."""
        return 2 * int(self.slots.get(host, {}).get("concurrency", self.default_concurrency))

    def downloading(self) -> Iterable[Request]:
        """Requests in this worker's downloader (waiting for their slot or transferring)."""
        engine = self.crawler.engine
        return list(engine.downloader.active) if engine is not None else []

    # -- membership ------------------------------------------------------------------------------

    def beat(self) -> None:
        """Register (or stay registered) as alive for one TTL."""
        pipe = self.server.pipeline(transaction=False)
        pipe.sadd(keys.WORKERS, self.worker)
        pipe.set(keys.alive(self.worker), b"1", px=self.ttl_ms)
        pipe.execute()

    def leave(self) -> int:
        """Deregister after a clean stop; returns how many in-flight entries had no result (dropped)."""
        orphans = self.server.hlen(keys.inflight(self.worker))
        if orphans:
            logger.warning("worker %s stops with %d requests that produced no result", self.worker, orphans)
        pipe = self.server.pipeline(transaction=False)
        pipe.delete(keys.inflight(self.worker), keys.alive(self.worker))
        pipe.srem(keys.WORKERS, self.worker)
        pipe.execute()
        return orphans

    def done(self, task: str | None) -> None:
        """The result of ``task`` is on the stream: it is no longer in flight."""
        if task:
            self.server.hdel(keys.inflight(self.worker), task)

    def forget_orphans(self) -> int:
        """Drop this worker's in-flight entries while it is idle: those requests ended without a result
        (a redirect to a seen URL, a callback that raised) and would otherwise look in flight forever."""
        orphans = self.server.hlen(keys.inflight(self.worker))
        if orphans:
            logger.warning("%d requests ended without a result; not retried in this pass", orphans)
            self.server.delete(keys.inflight(self.worker))
        return orphans

    def inflight_total(self) -> int:
        """Requests in flight in all registered workers."""
        pipe = self.server.pipeline(transaction=False)
        for worker in self.server.smembers(keys.WORKERS):
            pipe.hlen(keys.inflight(worker.decode()))
        return sum(pipe.execute())

    def reap(self) -> int:
        """Requeue the in-flight requests of every dead worker; returns how many were requeued."""
        return reap_dead_workers(self.server, exclude=self.worker)


def reap_dead_workers(server: Any, exclude: str = "") -> int:
    """Move each dead worker's in-flight requests back to their host queues (safe to run anywhere)."""
    requeued = 0
    for raw in server.smembers(keys.WORKERS):
        worker = raw.decode()
        if worker == exclude or server.exists(keys.alive(worker)):
            continue
        claim = f"{keys.inflight(worker)}:reaping:{uuid.uuid4().hex[:8]}"
        try:
            server.rename(keys.inflight(worker), claim)  # atomic: only one reaper gets the entries
        except Exception as exc:  # noqa: BLE001 - redis raises ResponseError "no such key"
            if "no such key" not in str(exc):
                raise
            server.srem(keys.WORKERS, worker)
            continue
        entries = server.hvals(claim)
        pipe = server.pipeline(transaction=True)
        for entry in entries:
            host, score, member = entry.split(b"\n", 2)
            pipe.zadd(keys.host_queue(host.decode()), {member: float(score)})
            pipe.sadd(keys.HOSTS, host)
        pipe.delete(claim)
        pipe.srem(keys.WORKERS, worker)
        pipe.execute()
        requeued += len(entries)
        logger.warning("worker %s is gone: requeued its %d in-flight requests", worker, len(entries))
    return requeued
