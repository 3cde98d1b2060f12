"""The single archive writer: read results from the stream's consumer group, store them in batches, ack.

Each batch is one write unit. Every result carries a task id, recorded in ``ingested_tasks`` in the same
unit, and entries are acknowledged (and deleted) only after the commit. A writer killed at any point
re-reads its pending entries on restart; those already committed are recognised by their task id and only
acknowledged, so nothing is lost and nothing is stored twice. Imports neither Scrapy nor Twisted.
"""

from __future__ import annotations

import logging
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from archive import Archive, ArchiveError, Capture
from archive.db import write_unit
from archive.tasks import claim, prune
from scraper.summary import CrawlSummary, decision_counts

from . import keys
from .messages import ArticleResult, FeedResult, decode

logger = logging.getLogger(__name__)

CONSUMER = "ingest"


@dataclass
class IngestStats:
    """What the writer stored, keyed like the crawl's Scrapy stats (so :class:`CrawlSummary` reads them)."""

    counts: Counter[str] = field(default_factory=Counter)

    def summary(self) -> CrawlSummary:
        return CrawlSummary.from_stats({f"newsarchive/{key}": value for key, value in self.counts.items()})

    def line(self) -> str:
        """The crawl summary line plus what only the writer knows."""
        return (f"{self.summary().line()}; ingested {self.counts['ingested']} results, "
                f"{self.counts['duplicates']} duplicates skipped, {self.counts['dead']} unstorable")


def ensure_group(server: Any) -> None:
    """Create the writers' consumer group (and the stream) if missing."""
    import redis

    try:
        server.xgroup_create(keys.RESULTS, keys.WRITERS, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


class Writer:
    """Stores stream results in the archive (``batch`` entries per write unit)."""

    def __init__(self, server: Any, archive: Archive, *, batch: int = 200, consumer: str = CONSUMER) -> None:
        self.server = server
        self.archive = archive
        self.batch = batch
        self.consumer = consumer
        self.stats = IngestStats()
        self.stopping = False

    def run(self, *, until_idle: float | None = None, block_ms: int = 1000,
            on_batch: Callable[[int], None] | None = None) -> IngestStats:
        """Ingest until :meth:`stop` (SIGTERM) or, with ``until_idle``, until nothing came for that long."""
        ensure_group(self.server)
        with write_unit(self.archive.db):
            prune(self.archive)
        pending = True  # first our own unacknowledged entries (a previous run died before acking)
        idle_since = time.monotonic()
        while not self.stopping:
            reply = self.server.xreadgroup(
                keys.WRITERS, self.consumer, {keys.RESULTS: "0" if pending else ">"},
                count=self.batch, block=None if pending else block_ms,
            )
            entries = reply[0][1] if reply else []
            if not entries:
                if pending:
                    pending = False
                    continue
                if until_idle is not None and time.monotonic() - idle_since >= until_idle:
                    break
                continue
            self.ingest(entries)
            idle_since = time.monotonic()
            if on_batch:
                on_batch(len(entries))
        return self.stats

    def stop(self, *_: object) -> None:
        """Finish the current batch, then return from :meth:`run`."""
        self.stopping = True

    def ingest(self, entries: list[tuple[bytes, dict[bytes, bytes] | None]]) -> None:
        """Store one batch in one write unit, then acknowledge it; falls back to one unit per entry."""
        ids = [entry_id for entry_id, _ in entries]
        try:
            with write_unit(self.archive.db):
                counts = Counter()
                for _, fields in entries:
                    if fields:
                        counts.update(self._store(fields))
        except ArchiveError:
            raise  # locked, disk full…: nothing was acknowledged, the entries stay pending
        except Exception:  # one boundary: a result the archive refuses must not block the stream
            logger.exception("batch of %d results failed; storing them one by one", len(entries))
            counts = self._one_by_one(entries)
        self.stats.counts.update(counts)
        pipe = self.server.pipeline(transaction=True)
        pipe.xack(keys.RESULTS, keys.WRITERS, *ids)
        pipe.xdel(keys.RESULTS, *ids)
        pipe.execute()

    def _one_by_one(self, entries: list[tuple[bytes, dict[bytes, bytes] | None]]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for entry_id, fields in entries:
            if not fields:
                continue
            try:
                with write_unit(self.archive.db):
                    counts.update(self._store(fields))
            except ArchiveError:
                raise
            except Exception as exc:  # noqa: BLE001 - logged and kept in the dead-letter stream
                logger.error("result %s cannot be stored (%r): kept in %s", entry_id.decode(), exc, keys.DEAD)
                self.server.xadd(keys.DEAD, {**fields, b"error": repr(exc).encode()})
                counts["dead"] += 1
        return counts

    def _store(self, fields: dict[bytes, bytes]) -> Counter[str]:
        result = decode(fields)
        if not claim(self.archive, result.task):
            return Counter(duplicates=1)
        if isinstance(result, FeedResult):
            return self._store_feed(result) + Counter(ingested=1)
        return self._store_article(result) + Counter(ingested=1)

    def _store_feed(self, result: FeedResult) -> Counter[str]:
        etag, last_modified = result.etag, result.last_modified
        if result.status == 304:  # as the single-machine crawl: validators kept, or refreshed
            old = self.archive.feed(result.url) or {}
            etag, last_modified = etag or old.get("etag"), last_modified or old.get("last_modified")
        self.archive.record_feed_poll(
            result.url, result.source, status=result.status, etag=etag, last_modified=last_modified,
            error=result.error, links=result.links,
            declared_period=timedelta(seconds=result.period) if result.period else None,
        )
        if result.error:
            return Counter({"feeds/failed": 1, f"failed/{result.error}": 1})
        return Counter({"feeds/polled": 1, "feeds/entries": len(result.links)})

    def _store_article(self, result: ArticleResult) -> Counter[str]:
        article_id = result.article_id or self._article_id(result)
        capture = Capture(url=result.url, fetched_at=result.fetched_at, status=result.status,
                          headers=result.headers, body=result.body, unchanged=result.unchanged,
                          body_hash=result.body_hash, aliases=result.aliases)
        decision = self.archive.record_capture(article_id, capture, result.extraction, result.failure)
        return decision_counts(decision)

    def _article_id(self, result: ArticleResult) -> int:
        row = self.archive.article_by_url(result.link)
        if row is not None:
            return row["id"]
        # Its feed poll was not stored (dead-lettered): keep the page all the same.
        logger.warning("%s: no article row (feed poll missing); adding it", result.link)
        return self.archive.add_article(result.link, result.source)


def install_signal_handlers(writer: Writer) -> None:
    """SIGTERM and SIGINT finish the batch in hand, then stop."""
    signal.signal(signal.SIGTERM, writer.stop)
    signal.signal(signal.SIGINT, writer.stop)
