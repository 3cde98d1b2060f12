"""Meta-refresh interstitials are followed; pages that cannot hold one are not decoded to look."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from scraper.middlewares.meta_refresh import BodyMetaRefreshMiddleware

from .conftest import crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

REFRESH = '<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; URL=/news/real"></head><body>Redirecting</body></html>'


def _middleware() -> BodyMetaRefreshMiddleware:
    return BodyMetaRefreshMiddleware.from_crawler(get_crawler(Spider))


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "utf-16"])
def test_a_meta_refresh_is_followed_in_any_encoding(encoding: str) -> None:
    request = Request("https://example.com/news/interstitial")
    response = HtmlResponse(request.url, body=REFRESH.encode(encoding), encoding=encoding, request=request)
    redirected = _middleware().process_response(request, response)
    assert isinstance(redirected, Request)  # handed to Scrapy's check, which builds the redirect
    assert redirected.url.startswith("https://example.com/news/real")  # (for UTF-16 with a stray ?%FF%FE: Scrapy's)


def test_a_page_without_refresh_is_returned_undecoded() -> None:
    request = Request("https://example.com/news/story")
    response = HtmlResponse(request.url, body=article_html("Story", paragraphs(1)).encode(), encoding="utf-8", request=request)
    assert _middleware().process_response(request, response) is response
    assert getattr(response, "_cached_ubody", None) is None  # Scrapy's decoded text: never made


def test_a_crawl_follows_an_interstitial_to_the_article(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/interstitial", REFRESH.encode())
    site.set("/news/real", article_html("Council approves budget", paragraphs(7)).encode())
    site.set("/rss.xml", rss([{"title": "Budget", "link": site.url("/news/interstitial")}]), content_type="application/rss+xml")

    result = crawl(db_path, sources_for(site, tmp_path, {"daily": ["/rss.xml"]}))

    assert "articles: 1 new" in result.stdout
    assert rows(db_path, "select url, status from captures") == [{"url": site.url("/news/real"), "status": 200}]
