"""Batched capture writes: one write unit per batch, all or nothing, and cheap unchanged rechecks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from archive import Archive, ArticleCapture, Capture, DiscoveredLink, Extraction, Outcome
from scraper.items import ArticlePage
from scraper.pipelines.store import StorePipeline

T1 = "2026-01-01T00:00:00Z"
T2 = "2026-01-02T00:00:00Z"


def frontier(archive: Archive, count: int) -> list[int]:
    links = [DiscoveredLink(f"https://news.example/{i}") for i in range(count)]
    return archive.record_feed_poll("https://news.example/feed", "news", status=200, links=links).new_ids


def item(article_id: int, text: str, fetched_at: str = T1, body: bytes = b"<html>same</html>") -> ArticleCapture:
    capture = Capture(f"https://news.example/{article_id}", fetched_at, 200, {"Content-Type": "text/html"}, body)
    return ArticleCapture(article_id, capture, Extraction(text=text, title=f"Title {article_id}"))


def counts(db: Path) -> tuple[int, int]:
    with Archive(db) as archive:
        return tuple(archive.db.execute(f"select count(*) from {t}").fetchone()[0] for t in ("captures", "versions"))


def test_record_captures_stores_each_capture_in_order(db_path: Path) -> None:
    with Archive(db_path) as archive:
        a, b = frontier(archive, 2)
        decisions = archive.record_captures([item(a, "one"), item(b, "two"), item(a, "one", T2), item(a, "edited", T2)])
        assert [d.outcome for d in decisions] == [Outcome.NEW, Outcome.NEW, Outcome.UNCHANGED, Outcome.UPDATED]
        rows = list(archive.db.query("select article_id, version_id, body is not null as has_body, body_hash from captures order by id"))
    assert [r["article_id"] for r in rows] == [a, b, a, a]
    assert [r["has_body"] for r in rows] == [1, 0, 0, 0]  # identical bodies stored once, even within a batch
    assert len({r["body_hash"] for r in rows}) == 1
    assert counts(db_path) == (4, 3)


def test_a_failing_batch_commits_nothing_and_keeps_earlier_batches(db_path: Path) -> None:
    with Archive(db_path) as archive:
        a, b = frontier(archive, 2)
        archive.record_captures([item(a, "one")])
        with pytest.raises(sqlite3.IntegrityError):
            archive.record_captures([item(b, "two"), item(999_999, "no such article")])
        statuses = [r["status"] for r in archive.db.query("select status from articles order by id")]
    assert counts(db_path) == (1, 1)
    assert statuses == ["archived", "pending"]  # b stays due: the next pass fetches it again


def fts_blocks(archive: Archive) -> tuple[int, int]:
    return archive.db.execute("select count(*), sum(length(block)) from versions_fts_data").fetchone()


def test_unchanged_recheck_does_not_rewrite_the_search_index(db_path: Path) -> None:
    with Archive(db_path) as archive:
        (a,) = frontier(archive, 1)
        archive.record_capture(a, item(a, "a harbour storm").capture, Extraction(text="a harbour storm", title="Storm"))
        before = fts_blocks(archive)
        decision = archive.record_capture(a, item(a, "x", T2).capture, Extraction(text="a harbour storm", title="Storm"))
        assert decision.outcome is Outcome.UNCHANGED
        assert fts_blocks(archive) == before
        assert archive.db.execute("select last_seen_at from versions").fetchone()[0] == T2
        archive.db.execute("update versions set title = 'Flood'")  # an indexed column still re-indexes
        hits = archive.db.execute("select rowid from versions_fts where versions_fts match 'flood'").fetchall()
        migrations = [r[0] for r in archive.db.execute("select name from _migrations order by name")]
    assert hits == [(1,)]
    assert "0006_performance" in migrations


def pipeline(db_path: Path, size: int, seconds: float = 2.0) -> StorePipeline:
    crawler = get_crawler(settings_dict={
        "NEWSARCHIVE_DB": str(db_path), "NEWSARCHIVE_WRITE_BATCH_SIZE": size, "NEWSARCHIVE_WRITE_BATCH_SECONDS": seconds,
    })
    return StorePipeline.from_crawler(crawler)


def page(article_id: int, text: str) -> ArticlePage:
    return ArticlePage(article_id=article_id, source="news", url=f"https://news.example/{article_id}", fetched_at=T1,
                       status=200, body=text.encode(), extraction=Extraction(text=text))


def test_store_pipeline_commits_by_batch_size_and_at_close(db_path: Path) -> None:
    with Archive(db_path) as archive:
        ids = frontier(archive, 4)
    store = pipeline(db_path, size=3)
    for article_id in ids[:2]:
        store.process_item(page(article_id, f"text {article_id}"))
    assert counts(db_path) == (0, 0)
    store.process_item(page(ids[2], "text"))
    assert counts(db_path) == (3, 3)
    store.process_item(page(ids[3], "text 4"))
    assert counts(db_path) == (3, 3)
    store.close_spider()
    assert counts(db_path) == (4, 4)
    stats = store.stats.get_stats()
    assert (stats["newsarchive/articles/new"], stats["newsarchive/store/batches"]) == (4, 2)


def test_store_pipeline_commits_a_batch_older_than_the_time_limit(db_path: Path) -> None:
    with Archive(db_path) as archive:
        (a,) = frontier(archive, 1)
    store = pipeline(db_path, size=50, seconds=2.0)
    store.process_item(page(a, "text"))
    store._flush_if_old()
    assert counts(db_path) == (0, 0)
    store.oldest -= 2.0
    store._flush_if_old()
    assert counts(db_path) == (1, 1)


def test_store_pipeline_counts_a_failed_batch_and_goes_on(db_path: Path) -> None:
    with Archive(db_path) as archive:
        (a,) = frontier(archive, 1)
    store = pipeline(db_path, size=2)
    store.process_item(page(a, "text"))
    store.process_item(page(999_999, "no such article"))  # the batch's commit fails: nothing of it is stored
    store.process_item(page(a, "text"))
    store.close_spider()
    assert counts(db_path) == (1, 1)
    stats = store.stats.get_stats()
    assert (stats["newsarchive/store/errors"], stats["newsarchive/articles/new"]) == (2, 1)
