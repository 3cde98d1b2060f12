"""kill -9 at named and random points: nothing committed is lost, nothing half-written stays (target 5)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from .conftest import crawl, rows, sources_for
from .crashkit import HEALTHY, health, kill_group, snapshot, start_crawl
from .pages import article_html, noisy, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
ARTICLES = 30


@pytest.fixture
def news(site: LocalSite, tmp_path: Path) -> Path:
    links = []
    for i in range(ARTICLES):
        page = article_html(f"Crash story {i}", paragraphs(i), noise="{noise}")
        site.set(f"/news/{i}", lambda page=page: noisy(page))
        links.append({"title": f"S{i}", "link": site.url(f"/news/{i}")})
    site.set("/rss.xml", rss(links), content_type="application/rss+xml", headers={"ETag": '"v1"'})
    return sources_for(site, tmp_path, {"daily": ["/rss.xml"]})


def assert_complete(db: Path, site: LocalSite) -> None:
    """Every article archived exactly once, no duplicate rows."""
    assert health(db) == HEALTHY
    assert rows(db, "select count(*) n, count(distinct url) urls, sum(versions) versions from articles") == [
        {"n": ARTICLES, "urls": ARTICLES, "versions": ARTICLES}]
    assert rows(db, "select count(*) n from versions where version = 1") == [{"n": ARTICLES}]


def test_kill_mid_feed_commit_loses_no_link_and_keeps_the_old_etag(news: Path, db_path: Path, site: LocalSite) -> None:
    proc = start_crawl(db_path, news, now=T1, env={"NEWSARCHIVE_CRASH_AT": "feed-commit"})
    proc.wait(timeout=60)
    kill_group(proc)
    assert proc.returncode == -9
    assert health(db_path) == HEALTHY
    # the links and the new ETag are one write unit: neither was committed
    assert rows(db_path, "select count(*) n from articles") == [{"n": 0}]
    assert rows(db_path, "select count(*) n from feeds") == [{"n": 0}]

    result = crawl(db_path, news, now=T1)

    assert f"articles: {ARTICLES} new" in result.stdout
    feed_requests = [headers for path, headers in site.requests if path == "/rss.xml"]
    assert len(feed_requests) == 2 and "If-None-Match" not in feed_requests[1]
    assert rows(db_path, "select etag, entries from feeds") == [{"etag": '"v1"', "entries": ARTICLES}]
    assert_complete(db_path, site)


def test_kill_mid_article_commit_keeps_earlier_versions_and_next_run_completes(news: Path, db_path: Path, site: LocalSite) -> None:
    # batches of 4 captures per write unit: the first commits, the crash hits the second's commit
    proc = start_crawl(db_path, news, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "NEWSARCHIVE_WRITE_BATCH_SIZE=4",
                       "-s", "NEWSARCHIVE_WRITE_BATCH_SECONDS=600", now=T1,
                       env={"NEWSARCHIVE_CRASH_AT": "article-commit:2"})
    proc.wait(timeout=60)
    kill_group(proc)
    assert proc.returncode == -9
    assert health(db_path) == HEALTHY
    # the first batch (4 articles) committed, the second was rolled back whole
    assert rows(db_path, "select count(*) versions, count(distinct article_id) articles from versions") == [
        {"versions": 4, "articles": 4}]
    assert rows(db_path, "select count(*) n from captures") == [{"n": 4}]
    assert rows(db_path, "select count(*) n from articles") == [{"n": ARTICLES}]
    before, _ = snapshot(db_path)

    result = crawl(db_path, news, now=T1)

    assert f"articles: {ARTICLES - 4} new, 0 updated" in result.stdout
    after, _ = snapshot(db_path)
    assert before <= after
    assert_complete(db_path, site)


def wait_for_captures(db: Path, target: int, proc, timeout: float = 60) -> None:
    """Return once the archive holds ``target`` captures (or the crawl ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and snapshot(db)[1] and rows(db, "select count(*) n from captures")[0]["n"] >= target:
            return
        time.sleep(0.03)


def test_kill_at_random_points_never_loses_or_corrupts(news: Path, db_path: Path, site: LocalSite) -> None:
    # a polite source (0.05 s between requests) so that a pass lasts a while; every pass re-fetches
    # every article, so kills land during start-up, feed polls, article fetches and commits alike
    news.write_text(news.read_text().replace("delay = 0\nconcurrency = 4", "delay = 0.05\nconcurrency = 1"))
    rng = random.Random(20240503)
    versions: set[tuple] = set()
    urls: set[str] = set()
    kills = []
    for attempt in range(6):
        before = rows(db_path, "select count(*) n from captures")[0]["n"] if snapshot(db_path)[1] else 0
        proc = start_crawl(db_path, news, "--recheck", "all", now=T1)
        if attempt < 2:
            time.sleep(rng.uniform(0.2, 2.5))  # start-up, schema creation, the feed poll
        else:
            wait_for_captures(db_path, before + rng.randint(1, ARTICLES - 1), proc)
            time.sleep(rng.uniform(0, 0.1))
        if proc.poll() is None:
            kills.append(attempt)
        kill_group(proc)
        if not db_path.exists():
            continue
        assert health(db_path) == HEALTHY
        now_versions, now_urls = snapshot(db_path)
        assert versions <= now_versions, "a committed version disappeared"
        assert urls <= now_urls, "a discovered URL disappeared"
        versions, urls = now_versions, now_urls
        # a feed whose validators are stored has all its links in the frontier
        for feed in rows(db_path, "select url, entries from feeds where etag is not null"):
            assert rows(db_path, "select count(*) n from articles where discovered_via = ?", [feed["url"]]) == [
                {"n": feed["entries"]}]
    print(f"killed {len(kills)} of 6 passes; captures after each kill differ")
    assert len(kills) >= 5, kills

    crawl(db_path, news, now=T1)

    assert versions <= snapshot(db_path)[0]
    assert_complete(db_path, site)
