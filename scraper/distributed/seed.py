"""The scheduler side of a distributed pass: seed Redis from the archive (what `crawl --distributed` does).

Runs once per pass, where the archive lives: writes each host's delay and concurrency for the workers,
adds the archive's article URLs to the shared seen-set (so workers never re-fetch an archived article a
feed still lists), then queues every feed and every article the archive says to fetch.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy_redis.dupefilter import RFPDupeFilter

from archive import Archive
from archive.clock import now_iso
from archive.tasks import urls_after
from scraper.sources import Source, download_slots

from . import keys
from .queue import HostQueue
from .spider import WorkerSpider


@dataclass(frozen=True)
class SeedResult:
    feeds: int = 0
    articles: int = 0
    seen_added: int = 0
    skipped_pending: int = 0  # requests still queued from an earlier pass (nothing was seeded)

    def line(self) -> str:
        """One human line for the CLI."""
        if self.skipped_pending:
            return f"previous pass still queued ({self.skipped_pending} requests): nothing seeded"
        return f"seeded {self.feeds} feeds and {self.articles} articles; {self.seen_added} URLs added to the seen-set"


def frontier(archive: Archive, sources: Sequence[Source], recheck: str) -> list[dict[str, Any]]:
    """The articles this pass fetches: ``recheck`` is ``due`` (the revisit schedule), ``all`` or ``none``."""
    return archive.articles_to_fetch([s.name for s in sources], recheck=recheck)


def seed(server: Any, archive: Archive, sources: Sequence[Source], *, recheck: str = "due",
         all_feeds: bool = False, sources_text: str | None = None) -> SeedResult:
    """Queue one pass's feeds and articles in Redis, unless the previous pass is still queued.

    ``sources_text`` (the sources file) is handed to the workers: their SSRF guard, resolver and download
    slots read it as a single-machine crawl does."""
    spider = WorkerSpider()
    queue = HostQueue(server, spider, keys.REQUESTS)
    if queue.has_work():
        return SeedResult(skipped_pending=len(queue))
    _write_slots(server, sources)
    if sources_text is not None:
        server.set(keys.SOURCES, sources_text.encode())
    seen_added = _sync_seen(server, archive)
    pass_id = f"{now_iso()}-{uuid.uuid4().hex[:8]}"
    feeds = queue.push_many(_feed_requests(spider, archive, sources, pass_id, all_feeds))
    articles = queue.push_many(
        spider.frontier_request(row, f"{pass_id}:a:{row['id']}") for row in frontier(archive, sources, recheck)
    )
    return SeedResult(feeds=feeds, articles=articles, seen_added=seen_added)


def _feed_requests(
    spider: WorkerSpider, archive: Archive, sources: Sequence[Source], pass_id: str, all_feeds: bool
) -> Iterator[scrapy.Request]:
    for source in sources:
        for url in source.feeds:
            if all_feeds or archive.feed_is_due(url):
                yield spider.feed_request(url, source.name, f"{pass_id}:f:{url}", archive.feed(url))


def _write_slots(server: Any, sources: Sequence[Source]) -> None:
    slots = download_slots(sources)
    pipe = server.pipeline(transaction=True)
    pipe.delete(keys.SLOTS)
    if slots:
        pipe.hset(keys.SLOTS, mapping={host: json.dumps(slot) for host, slot in slots.items()})
    pipe.execute()


def _sync_seen(server: Any, archive: Archive, batch: int = 5000) -> int:
    """Add the URL fingerprint of every article added since the last sync to the seen-set."""
    dupefilter = RFPDupeFilter(server, keys.SEEN)
    last = int(server.get(keys.SEEN_SYNCED) or 0)
    added = 0
    while True:
        rows = urls_after(archive, last, batch)
        if not rows:
            return added
        fingerprints = [dupefilter.request_fingerprint(scrapy.Request(row.get("fetch_url") or row["url"])) for row in rows]
        added += server.sadd(keys.SEEN, *fingerprints)
        last = rows[-1]["id"]
        server.set(keys.SEEN_SYNCED, last)
