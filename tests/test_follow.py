"""Issue 19, item 12: a backtracking ``follow`` pattern cannot stall the crawl."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scraper.follow import FollowPatterns
from scraper.sources import SourcesError, load_sources

from .conftest import crawl, rows, write_sources
from .pages import article_html, paragraphs
from .server import LocalSite

HOSTILE = "https://news.example/news/" + "a" * 30 + "!"  # `re` needs about a minute for (a+)+$ on this


@pytest.mark.parametrize("pattern", [r"/news/(a+)+$", r"/news/(a|aa)+$", r"/news/(a*)*b", r"^(\w+\s?)*$"])
def test_backtracking_patterns_are_bounded(pattern: str) -> None:
    timeouts = []
    follow = FollowPatterns([pattern, r"/story-\d+$"], on_timeout=lambda: timeouts.append(1))
    started = time.perf_counter()
    assert [follow.matches(HOSTILE) for _ in range(50)] == [False] * 50
    assert follow.matches("https://news.example/story-12")
    took = time.perf_counter() - started
    print(f"{pattern}: 50 hostile URLs in {took * 1000:.1f} ms ({len(timeouts)} timeout)")
    assert took < 1 and len(timeouts) <= 1  # one timeout at most, then the pattern is given up for the pass


def test_patterns_are_checked_as_they_are_matched(tmp_path: Path) -> None:
    path = write_sources(tmp_path / "s.toml", '[[source]]\nname = "a"\npages = ["https://e.example/"]\nfollow = ["(?<x>"]\n')
    with pytest.raises(SourcesError, match=r"key 'follow' '\(\?<x>' is not a regular expression"):
        load_sources(path)


def test_a_section_page_full_of_hostile_links_is_read_at_once(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    hostile = "".join(f'<a href="/news/{"a" * (26 + i % 5)}{i}!">x</a>' for i in range(300))
    site.set("/section/", f'<html><body>{hostile}<a href="/news/story-1">good</a></body></html>'.encode())
    site.set("/news/story-1", article_html("Found among hostile links", paragraphs(2)).encode())
    sources = write_sources(tmp_path / "sources.toml", f"""
[[source]]
name = "hostile"
pages = ["{site.url('/section/')}"]
follow = ["/news/(a+)+$", "/news/(a|aa)+$", "/news/story-\\\\d+$"]
delay = 0
""")
    started = time.monotonic()
    result = crawl(db_path, sources, now="2024-05-03T10:00:00Z")
    print(f"crawl: {time.monotonic() - started:.1f} s")
    assert "pages: 1 polled, 0 failed; articles: 1 new" in result.stdout
    assert rows(db_path, "select url from articles") == [{"url": site.url("/news/story-1")}]
