"""Extraction runs under a wall-time limit and a memory cap; a page over them is a failed capture (target 4)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO, crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
HEAVY = article_html("Heavy page", paragraphs(1, 20_000)).encode()  # 6 MB: ~150 MB to extract
SLOW = article_html("Slow page", paragraphs(1, 40_000)).encode()  # 12 MB: ~4.5 CPU-s, over the 2 s limit
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


MEMORY_CAP = """
import asyncio, json
from scrapy.utils.test import get_crawler
from archive import EntryHints
from scraper.items import ArticlePage
from scraper.pipelines.extract import ExtractPipeline
from tests.test_extraction_limits import HEAVY, LIGHT

# the workers may add 60 MB of address space to what they inherit from this process
crawler = get_crawler(settings_dict={"NEWSARCHIVE_EXTRACT_WORKERS": 1, "NEWSARCHIVE_EXTRACT_TIMEOUT": 30,
                                     "NEWSARCHIVE_EXTRACT_MEMORY_MB": 60, "NEWSARCHIVE_EXTRACT_MAX_TASKS": 500})
pipeline = ExtractPipeline(crawler)

def page(body):
    return ArticlePage(1, "daily", "http://news.example/a", "2024-05-03T10:00:00Z", 200,
                       {"Content-Type": "text/html"}, body, EntryHints())

async def run():
    return [await pipeline.process_item(page(body)) for body in (HEAVY, LIGHT)]

try:
    heavy, light = asyncio.run(run())
finally:
    pipeline.close_spider()
print(json.dumps({"heavy": [heavy.failure, heavy.extraction is None],
                  "light": [light.failure, light.extraction.title if light.extraction else None]}))
"""


def test_a_page_over_the_memory_cap_is_a_failed_capture_and_the_pool_recovers() -> None:
    proc = subprocess.run([sys.executable, "-c", MEMORY_CAP], capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"heavy": ["extract-memory", True], "light": [None, "Light page"]}


INHERITED = """
import json, mmap
from archive import EntryHints
from scraper.extraction.worker import ExtractionPool
from tests.pages import article_html, paragraphs

MEDIUM = article_html("Medium page", paragraphs(1, 2_000)).encode()  # 600 kB: ~20 MB to extract
reserved = mmap.mmap(-1, 3 * 1024 ** 3)  # 3 GiB of address space, never touched: what a long run leaves mapped
pool = ExtractionPool(1, timeout=30, memory_mb=256)
try:
    result = pool.extract(MEDIUM, "http://news.example/a", hints=EntryHints())
finally:
    pool.close()
print(json.dumps([result.failure, result.extraction.title if result.extraction else None]))
"""


def test_the_memory_cap_counts_from_what_a_worker_inherits() -> None:
    # an absolute cap below the parent's address space failed every page inside libxml2 ("unknown error")
    proc = subprocess.run([sys.executable, "-c", INHERITED], capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [None, "Medium page"]
