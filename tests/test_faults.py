"""Overlapping runs, long readers, a full disk, a read-only or missing archive (targets 6, 7, 8)."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, crawl, rows, run_cli, sources_for
from .crashkit import HEALTHY, health, kill_group, start_crawl
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
T2 = "2024-05-03T12:00:00Z"


def serve(site: LocalSite, count: int, *, start: int = 0, words: int = 6) -> list[dict[str, str]]:
    items = []
    for i in range(start, start + count):
        site.set(f"/news/{i}", article_html(f"Fault story {i}", paragraphs(i, words)).encode())
        items.append({"title": f"S{i}", "link": site.url(f"/news/{i}")})
    return items


def test_second_crawl_exits_75_at_once_while_the_first_holds_the_archive(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    items = serve(site, 3)
    page = article_html("Slow story", paragraphs(7)).encode()
    site.set("/news/slow", lambda: (time.sleep(4), page)[1])
    site.set("/rss.xml", rss([*items, {"title": "slow", "link": site.url("/news/slow")}]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    first = start_crawl(db_path, sources, now=T1)
    try:
        deadline = time.monotonic() + 30
        while site.hits("/news/slow") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        second = run_cli("crawl", "--db", str(db_path), "--sources", str(sources), now=T1)
        took = time.monotonic() - started
        assert site.hits("/news/slow") == 1 and first.poll() is None  # the first still runs
    finally:
        out, err = first.communicate(timeout=60)
    print(f"second crawl exited {second.returncode} after {took:.2f}s")
    assert second.returncode == 75
    lines = second.stderr.strip().splitlines()
    assert lines == [f"Error: {db_path}: another crawl is running on this archive (pid {first.pid} holds {db_path}.lock); "
                     "this run did nothing, the next one will catch up"]
    assert second.stdout == ""
    assert took < 15  # no waiting for the other run (start-up of the CLI only)
    assert first.returncode == 0, err
    assert "articles: 4 new" in out
    assert rows(db_path, "select count(*) n from versions") == [{"n": 4}]
    assert rows(db_path, "select count(*) n from captures") == [{"n": 4}]


def scrapy_crawl(db: Path, sources: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "feeds", "-s", f"NEWSARCHIVE_DB={db}", "-s", f"NEWSARCHIVE_SOURCES={sources}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_NOW": T1},
    )


def test_scrapy_crawl_takes_the_same_lock(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    # issue 19: `scrapy crawl feeds` beside `newsarchive crawl` fetched every article twice
    items = serve(site, 3)
    page = article_html("Slow story", paragraphs(7)).encode()
    site.set("/news/slow", lambda: (time.sleep(3), page)[1])
    site.set("/rss.xml", rss([*items, {"title": "slow", "link": site.url("/news/slow")}]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})

    def beside(db: Path, first: subprocess.Popen, second: list[str] | None) -> tuple[int, str]:
        slow = site.hits("/news/slow")
        try:
            deadline = time.monotonic() + 30
            while site.hits("/news/slow") == slow and time.monotonic() < deadline:
                time.sleep(0.05)
            if second:
                result = run_cli(*second, "--db", str(db), "--sources", str(sources), now=T1)
                return result.returncode, result.stderr
            other = scrapy_crawl(db, sources)
            _, err = other.communicate(timeout=60)
            return other.returncode, err
        finally:
            first.communicate(timeout=60)

    code, err = beside(db_path, start_crawl(db_path, sources, now=T1), None)
    assert code == 1 and "another crawl is running on this archive" in err
    other = tmp_path / "other.db"
    code, err = beside(other, scrapy_crawl(other, sources), ["crawl"])
    assert code == 75 and "another crawl is running on this archive" in err
    assert site.hits("/rss.xml") == site.hits("/news/0") == 2  # once per run that held the lock: the refused fetched nothing
