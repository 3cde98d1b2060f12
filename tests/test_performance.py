"""The crawl's cheap paths keep their meaning: connection reuse, one fetch per article per pass, aliases from
the extractor, quiet per-response logging, whitespace normalisation, prefix search (#7). No timings here:
`make bench` measures speed."""

from __future__ import annotations

import inspect
import logging
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from archive import Archive
from archive.content import normalise
from archive.queries import search
from scraper.canonical import with_declared
from scraper.crawl import crawl_settings
from scraper.distributed.spider import WorkerSpider
from scraper.download_handler import pool_size
from scraper.extraction import extract_article
from scraper.logformatter import QuietLogFormatter
from spiders.feeds import FeedsSpider

from .conftest import REPO, crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"


def test_the_connection_pool_follows_the_largest_source_concurrency() -> None:
    settings = Settings({
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_SLOTS": {"news.example": {"concurrency": 16, "delay": 0}, "slow.example": {"concurrency": 1}},
    })
    # Scrapy's own handler keeps CONCURRENT_REQUESTS_PER_DOMAIN (2): a source fetching 16 at a time
    # then opened a new TCP connection for most requests (1,559 of 2,001 in the bench's recheck)
    assert pool_size(settings) == 32  # twice: a connection returns to the pool just after its slot frees
    assert pool_size(Settings({"CONCURRENT_REQUESTS_PER_DOMAIN": 2})) == 4
    handlers = crawl_settings("archive.db", "sources.toml").getdict("DOWNLOAD_HANDLERS")
    assert handlers["http"] == handlers["https"] == "scraper.download_handler.PooledHTTP11DownloadHandler"


def test_an_article_listed_by_two_feeds_is_fetched_once_per_pass(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/shared", article_html("Shared story", paragraphs(7)).encode())
    entry = [{"title": "Shared story", "link": site.url("/news/shared")}]
    site.set("/a.xml", rss(entry), content_type="application/rss+xml")
    site.set("/b.xml", rss(entry), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/a.xml", "/b.xml"]})

    crawl(db_path, sources, "--recheck", "all", now=T1)

    assert site.hits("/news/shared") == 1
    assert rows(db_path, "select count(*) as n from captures")[0]["n"] == 1


def test_a_clean_crawl_logs_no_warnings(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    # Disabling Scrapy's Referer middleware made its redirect middlewares warn at every crawl start.
    site.set("/news/story", article_html("Council approves budget", paragraphs(7)).encode())
    site.set("/rss.xml", rss([{"title": "Budget", "link": site.url("/news/story")}]), content_type="application/rss+xml")
    log = tmp_path / "crawl.log"

    result = crawl(db_path, sources_for(site, tmp_path, {"daily": ["/rss.xml"]}), "--log-file", str(log), now=T1)

    assert "articles: 1 new" in result.stdout
    assert [line for line in log.read_text().splitlines() + result.stderr.splitlines() if "WARNING" in line] == []


@pytest.mark.parametrize("spider", [FeedsSpider, WorkerSpider])
def test_article_callbacks_return_their_item_so_scrapy_does_not_parse_their_source_per_response(spider: type) -> None:
    # For a generator callback Scrapy re-reads and parses its source on every response: its cache keys
    # on the bound method, a new object per request (~0.5 CPU-ms an article).
    for callback in (spider.parse_article, spider.article_failed):
        assert not inspect.isgeneratorfunction(callback), callback.__qualname__


def test_the_extractor_reports_the_urls_a_page_declares() -> None:
    page = article_html("Declared story", paragraphs(3)).replace(
        "<head>", '<head><link rel="canonical" href="/news/declared"><link rel="amphtml" href="/amp/declared">'
    )
    result = extract_article(page.encode(), "https://example.com/news/declared?utm_source=rss")
    assert result.extraction is not None
    assert result.aliases == (("https://example.com/amp/declared", "amp"),)  # the page's own URL is left out

    elsewhere = extract_article(page.encode(), "https://example.com/story-123")
    assert elsewhere.aliases == (
        ("https://example.com/news/declared", "canonical"), ("https://example.com/amp/declared", "amp"),
    )


def test_declared_aliases_join_the_redirects_without_the_requested_url() -> None:
    redirects = (("https://example.com/b", "redirect"),)
    declared = (("https://example.com/a", "canonical"), ("https://example.com/b", "canonical"),
                ("https://example.com/amp/b", "amp"))
    merged = with_declared(redirects, declared, "https://example.com/a")
    assert merged == (("https://example.com/b", "redirect"), ("https://example.com/amp/b", "amp"))
    assert with_declared(redirects, (), "https://example.com/a") == redirects


def test_per_response_log_lines_only_at_debug() -> None:
    request = Request("https://example.com/news/1")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    assert QuietLogFormatter(debug=False).crawled(request, response, None) is None
    assert QuietLogFormatter(debug=False).scraped({"a": 1}, response, None) is None
    logged = QuietLogFormatter(debug=True).crawled(request, response, None)
    assert logged["msg"].startswith("Crawled (") and logged["args"]["status"] == 200
    assert QuietLogFormatter.from_crawler(SimpleNamespace(settings=Settings({"LOG_LEVEL": "DEBUG"}))).debug
    assert not QuietLogFormatter.from_crawler(SimpleNamespace(settings=Settings({"LOG_LEVEL": "INFO"}))).debug
    assert QuietLogFormatter.from_crawler(SimpleNamespace(settings=Settings({"LOG_LEVEL": logging.DEBUG}))).debug
    assert not QuietLogFormatter.from_crawler(SimpleNamespace(settings=Settings({"LOG_LEVEL": "verbose"}))).debug


@pytest.mark.parametrize("text", [
    "plain words", "  tabs\tand\nnewlines  ", "nbsp\u00a0and\u2028line\u2029sep", "info\x1csep\x1f\x85nel",
    "ｆｕｌｌwidth\u3000space", "e\u0301 combining", "", "\u200b zero width is not space",
])
def test_normalise_collapses_exactly_what_a_regex_s_would(text: str) -> None:
    expected = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    assert normalise(text) == expected


def test_prefix_search_uses_the_prefix_index_after_migrating_an_old_archive(db_path: Path) -> None:
    with Archive(db_path) as archive:
        archive.db.execute(
            "insert into articles (url, source, status, first_seen_at, versions, latest_version)"
            " values ('https://example.com/e', 'daily', 'archived', ?, 1, 1)", [T1])
        archive.db.execute(
            "insert into versions (article_id, version, content_hash, first_seen_at, last_seen_at, title, text)"
            " values (1, 1, 'sha256:x', ?, ?, 'Polls', 'The election results came in late.')", [T1, T1])
        # as migration 0007 left it: no prefix indexes, and 0008 not applied
        archive.db.execute("drop table versions_fts")
        archive.db.execute('create virtual table versions_fts using fts5("title", "text", tokenize=\'porter\','
                           ' content="versions")')
        archive.db.execute("insert into versions_fts (versions_fts) values ('rebuild')")
        archive.db.execute("delete from _migrations where name = '0008_search_prefixes'")
        archive.db.conn.commit()

    with Archive(db_path) as archive:
        sql = archive.db.execute("select sql from sqlite_master where name = 'versions_fts'").fetchone()[0]
        assert "prefix='2 3'" in sql
        found = search(archive.db, "el*")
        assert [r["url"] for r in found] == ["https://example.com/e"]
        assert found[0]["snippet"] == "The **election** results came in late."
        assert search(archive.db, "ele*")[0]["url"] == "https://example.com/e"


WORKERS_START_WARM = """
import sys
from archive import EntryHints
from scraper.extraction.worker import ExtractionPool
from tld.utils import tld_names
before = "extruct.w3cmicrodata" in sys.modules, bool(tld_names)
pool = ExtractionPool(1, max_tasks=1)
page = b"<html><head><title>T</title></head><body><article><p>Some words.</p></article></body></html>"
pool.submit(page, "https://example.org/a", None, EntryHints()).result()
print(before, ("extruct.w3cmicrodata" in sys.modules, bool(tld_names)))
pool.close()
"""


def test_the_pool_loads_extruct_and_the_suffix_list_before_forking_its_workers() -> None:
    # Loaded lazily, they cost each worker ~0.5 CPU-s on its first pages, and again after every recycle.
    result = subprocess.run([sys.executable, "-c", WORKERS_START_WARM], capture_output=True, text=True, cwd=REPO,
                            timeout=120)
    assert result.stdout.split("\n")[0] == "(False, False) (True, True)", result.stderr
