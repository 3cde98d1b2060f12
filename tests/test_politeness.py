"""Politeness and trap bounds: robots.txt and its Crawl-delay, Retry-After, per-host budget, path depth (target 9)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from scraper.middlewares.retry import retry_after_seconds

from .conftest import crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
Reply = tuple[int, dict[str, str], bytes]


def in_turn(site: LocalSite, path: str, replies: list[Reply]) -> list[float]:
    """Serve ``replies`` one per request (the last one repeats); return the request times."""
    site.set(path, b"")
    route = site.routes[path]
    times: list[float] = []

    def body() -> bytes:
        status, headers, content = replies[min(len(times), len(replies) - 1)]
        times.append(time.monotonic())
        route.status, route.headers = status, {"Content-Type": "text/html; charset=utf-8", **headers}
        return content

    route.body = body
    return times


def page(i: int) -> bytes:
    return article_html(f"Polite story {i}", paragraphs(i)).encode()


def test_retry_after_parses_seconds_and_http_dates() -> None:
    now = datetime(2024, 5, 3, 10, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds(b"0", now) == 0.0
    assert retry_after_seconds("Fri, 03 May 2024 10:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Fri, 03 May 2024 09:00:00 GMT", now) == 0.0  # in the past: at once
    assert retry_after_seconds("-5", now) is None
    assert retry_after_seconds("tomorrow", now) is None
    assert retry_after_seconds(None, now) is None


def test_429_and_503_wait_for_retry_after_capped(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    soon = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=60), usegmt=True)
    seconds = in_turn(site, "/news/0", [(429, {"Retry-After": "2"}, b"slow down"), (200, {}, page(0))])
    date = in_turn(site, "/news/1", [(503, {"Retry-After": soon}, b"maintenance"), (200, {}, page(1))])
    capped = in_turn(site, "/news/2", [(429, {"Retry-After": "3600"}, b"go away"), (200, {}, page(2))])
    site.set("/rss.xml", rss([{"title": f"S{i}", "link": site.url(f"/news/{i}")} for i in range(3)]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})

    result = crawl(db_path, sources, "-s", "NEWSARCHIVE_RETRY_AFTER_MAX=1", "-s", "NEWSARCHIVE_RETRY_BACKOFF=0", now=T1)

    assert "articles: 3 new, 0 updated, 0 unchanged, 0 failed" in result.stdout
    assert len(seconds) == len(date) == len(capped) == 2
    # Retry-After: 2 is capped to 1 s here; the HTTP date (a minute away) too; 3600 s as well
    print("Retry-After waits (capped at 1 s):", [round(t[1] - t[0], 2) for t in (seconds, date, capped)])
    for times in (seconds, date, capped):
        assert 0.95 <= times[1] - times[0] < 5


def test_retry_after_under_the_cap_is_waited_in_full(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    times = in_turn(site, "/news/0", [(503, {"Retry-After": "2"}, b"busy"), (200, {}, page(0))])
    site.set("/rss.xml", rss([{"title": "S0", "link": site.url("/news/0")}]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, "-s", "NEWSARCHIVE_RETRY_BACKOFF=0", now=T1)
    assert len(times) == 2 and 1.95 <= times[1] - times[0] < 6


def test_host_budget_ends_a_run_and_the_rest_waits_for_the_next(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    for i in range(10):
        site.set(f"/news/{i}", page(i))
    site.set("/rss.xml", rss([{"title": f"S{i}", "link": site.url(f"/news/{i}")} for i in range(10)]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})

    result = crawl(db_path, sources, "-s", "NEWSARCHIVE_HOST_BUDGET=5", now=T1)

    assert len(site.requests) == 5  # robots.txt, the feed, three articles
    assert "articles: 3 new, 0 updated, 0 unchanged, 7 failed" in result.stdout and "(budget: 7)" in result.stdout
    assert rows(db_path, "select count(*) n from articles where versions = 0") == [{"n": 7}]
    assert "articles: 7 new" in crawl(db_path, sources, now=T1).stdout


def test_deep_paths_and_huge_urls_are_refused(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    deep = "/" + "/".join(f"d{i}" for i in range(17)) + "/story"
    long = "/news/" + "x" * 2100
    for path in (deep, long, "/a/b/c/story"):
        site.set(path, page(len(path)))
    site.set("/rss.xml", rss([{"title": p[:9], "link": site.url(p)} for p in (deep, long, "/a/b/c/story")]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})

    result = crawl(db_path, sources, now=T1)

    assert "articles: 1 new, 0 updated, 0 unchanged, 2 failed" in result.stdout and "(too-deep: 2)" in result.stdout
    assert site.hits(deep) == site.hits(long) == 0


def test_robots_rules_and_crawl_delay_are_obeyed(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/robots.txt", b"User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n", content_type="text/plain")
    times = []
    for i in range(3):
        times.append(in_turn(site, f"/news/{i}", [(200, {}, page(i))]))
    site.set("/private/x", page(9))
    links = [site.url(f"/news/{i}") for i in range(3)] + [site.url("/private/x")]
    site.set("/rss.xml", rss([{"title": f"S{i}", "link": link} for i, link in enumerate(links)]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})  # the source asks for no delay at all

    result = crawl(db_path, sources, now=T1)

    assert "articles: 3 new, 0 updated, 0 unchanged, 1 failed" in result.stdout and "(robots: 1)" in result.stdout
    assert site.hits("/private/x") == 0
    starts = sorted(t[0] for t in times)
    print("gaps under Crawl-delay 1:", [round(b - a, 2) for a, b in zip(starts, starts[1:])])
    assert all(later - earlier >= 0.95 for earlier, later in zip(starts, starts[1:])), starts
