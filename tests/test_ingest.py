"""The single writer: batches, acknowledgement after commit, redelivery, unstorable results (real Redis, no crawler)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive import Archive, DiscoveredLink, EntryHints, Extraction

from .conftest import rows

pytestmark = pytest.mark.skipif(
    not os.environ.get("NEWSARCHIVE_TEST_REDIS"),
    reason="set NEWSARCHIVE_TEST_REDIS=redis://127.0.0.1:PORT/15 (.ci/run does)",
)
T1 = "2024-05-03T10:00:00Z"
FEED = "http://a.test/rss.xml"
LINKS = [f"http://a.test/story-{n}" for n in range(3)]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import redis

    monkeypatch.setenv("NEWSARCHIVE_NOW", T1)
    client = redis.Redis.from_url(os.environ["NEWSARCHIVE_TEST_REDIS"])
    client.flushdb()
    yield client
    client.flushdb()


def publish_pass(server: Any) -> None:
    """What a worker pushes for one feed listing three articles."""
    from scraper.distributed import keys
    from scraper.distributed.messages import ArticleResult, FeedResult, encode

    links = tuple(DiscoveredLink(url, EntryHints(title=f"Story {n}")) for n, url in enumerate(LINKS))
    server.xadd(keys.RESULTS, encode(FeedResult("p:f", FEED, "a", 200, etag='"v1"', links=links)))
    for n, url in enumerate(LINKS):
        server.xadd(keys.RESULTS, encode(ArticleResult(
            task=f"p:f|{url}", link=url, source="a", url=url, fetched_at=T1, status=200,
            headers={"Content-Type": "text/html"}, body=f"<html>page {n}</html>".encode(),
            extraction=Extraction(text=f"Text of story {n}.", title=f"Story {n}"), discovered_via=FEED,
        )))


class DiesBeforeAck:
    """A Redis client whose first acknowledgement never happens (the writer is killed right after commit)."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def __getattr__(self, name: str) -> Any:
        return getattr(self.server, name)

    def pipeline(self, *args: Any, **kwargs: Any) -> Any:
        pipe = self.server.pipeline(*args, **kwargs)

        def execute() -> None:
            raise KeyboardInterrupt("killed between commit and XACK")

        pipe.execute = execute
        return pipe


def test_results_committed_but_not_acknowledged_are_not_stored_twice(server: Any, tmp_path: Path) -> None:
    from scraper.distributed import keys
    from scraper.distributed.ingest import Writer

    db = tmp_path / "archive.db"
    publish_pass(server)
    with Archive(db) as archive, pytest.raises(KeyboardInterrupt):
        Writer(DiesBeforeAck(server), archive).run(until_idle=0)
    assert rows(db, "select count(*) n from versions") == [{"n": 3}]  # committed…
    assert server.xpending(keys.RESULTS, keys.WRITERS)["pending"] == 4  # …but not acknowledged
    with Archive(db) as archive:
        stats = Writer(server, archive).run(until_idle=0)
    assert stats.line() == ("feeds: 0 polled, 0 failed; articles: 0 new, 0 updated, 0 unchanged, 0 failed; 0.0s; "
                            "ingested 0 results, 4 duplicates skipped, 0 unstorable")
    assert server.xpending(keys.RESULTS, keys.WRITERS)["pending"] == 0 and server.xlen(keys.RESULTS) == 0
    assert rows(db, "select a.url, a.discovered_via, a.versions, count(c.id) captures from articles a"
                    " join captures c on c.article_id = a.id group by a.id order by a.url") == [
        {"url": url, "discovered_via": FEED, "versions": 1, "captures": 1} for url in LINKS
    ]
    assert rows(db, "select url, etag, entries, last_polled_at from feeds") == [
        {"url": FEED, "etag": '"v1"', "entries": 3, "last_polled_at": T1}
    ]


def test_a_batch_is_stored_in_stream_order_and_acknowledged(server: Any, tmp_path: Path) -> None:
    from scraper.distributed import keys
    from scraper.distributed.ingest import Writer

    publish_pass(server)
    with Archive(tmp_path / "archive.db") as archive:
        stats = Writer(server, archive, batch=2).run(until_idle=0)
    assert stats.line() == ("feeds: 1 polled, 0 failed; articles: 3 new, 0 updated, 0 unchanged, 0 failed; 0.0s; "
                            "ingested 4 results, 0 duplicates skipped, 0 unstorable")
    assert server.xlen(keys.RESULTS) == 0


def test_an_unstorable_result_goes_to_the_dead_letter_stream_and_the_rest_is_stored(server: Any, tmp_path: Path) -> None:
    from scraper.distributed import keys
    from scraper.distributed.ingest import Writer
    from scraper.distributed.messages import ArticleResult, encode

    publish_pass(server)
    server.xadd(keys.RESULTS, encode(ArticleResult(
        task="p:a:999", link="http://a.test/gone", source="a", url="http://a.test/gone", fetched_at=T1,
        status=200, article_id=999, extraction=Extraction(text="x", title="x"),
    )))
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        stats = Writer(server, archive).run(until_idle=0)
    assert stats.counts["dead"] == 1 and stats.counts["articles/new"] == 3
    assert server.xlen(keys.DEAD) == 1 and server.xlen(keys.RESULTS) == 0
    assert b"FOREIGN KEY" in server.xrange(keys.DEAD)[0][1][b"error"]
    assert rows(db, "select count(*) n from ingested_tasks") == [{"n": 4}]  # the dead one can be re-pushed later
