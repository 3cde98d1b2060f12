"""Extraction runs under a wall-time limit and a memory cap; a page over them is a failed capture (target 4)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from scrapy.utils.test import get_crawler

from archive import EntryHints
from scraper.items import ArticlePage
from scraper.pipelines.extract import ExtractPipeline

from .conftest import crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
HEAVY = article_html("Heavy page", paragraphs(1, 20_000)).encode()  # 6 MB: ~7 s and ~150 MB to extract
SLOW = HEAVY
LIGHT = article_html("Light page", paragraphs(2)).encode()


def test_a_page_over_the_time_limit_is_a_failed_capture_and_the_crawl_goes_on(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/slow", SLOW)
    site.set("/news/light", LIGHT)
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in ("/news/slow", "/news/light")]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})

    result = crawl(db_path, sources, "-s", "NEWSARCHIVE_EXTRACT_TIMEOUT=2", "-s", "NEWSARCHIVE_EXTRACT_WORKERS=1", now=T1)

    assert "articles: 1 new, 0 updated, 0 unchanged, 1 failed" in result.stdout and "(extract-timeout: 1)" in result.stdout
    captures = rows(db_path, "select a.url, c.error, c.body is not null as kept from captures c join articles a on a.id = c.article_id order by a.id")
    assert [(c["url"].rsplit("/", 1)[1], c["error"], c["kept"]) for c in captures] == [
        ("slow", "extract-timeout", 1), ("light", None, 1)]  # the body is kept for a later `reextract`


def _virtual_memory_mb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmSize:\s+(\d+) kB", status).group(1)) // 1024


def test_a_page_over_the_memory_cap_is_a_failed_capture_and_the_pool_recovers() -> None:
    # workers fork from this process: give them 60 MB of address space beyond what they start with
    cap = _virtual_memory_mb() + 60
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_EXTRACT_WORKERS": 1, "NEWSARCHIVE_EXTRACT_TIMEOUT": 30,
                                         "NEWSARCHIVE_EXTRACT_MEMORY_MB": cap, "NEWSARCHIVE_EXTRACT_MAX_TASKS": 500})
    pipeline = ExtractPipeline(crawler)

    def page(body: bytes) -> ArticlePage:
        return ArticlePage(1, "daily", "http://news.example/a", T1, 200, {"Content-Type": "text/html"}, body, EntryHints())

    async def run() -> list[ArticlePage]:
        return [await pipeline.process_item(page(body)) for body in (HEAVY, LIGHT)]

    try:
        heavy, light = asyncio.run(run())
    finally:
        pipeline.close_spider()
    assert (heavy.failure, heavy.extraction) == ("extract-memory", None)
    assert light.failure is None and light.extraction.title == "Light page"
