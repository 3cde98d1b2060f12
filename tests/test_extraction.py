"""Extraction of single pages (pure: no crawl): failures get reasons, dates keep their sources."""

from __future__ import annotations

import pytest

from archive.model import EntryHints
from scraper.extraction import extract_article

from .pages import article_html, paragraphs

CHALLENGE = b"""<html><head><title>Just a moment...</title><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script>
</head><body><p>Checking your browser before accessing the site.</p></body></html>"""
PAYWALL = b"""<html><head><title>Council budget</title></head><body><article><h1>Council budget</h1>
<p>The council met on Tuesday.</p><p>Subscribe to continue reading. Already a subscriber? Log in.</p></article></body></html>"""
SOFT_404 = b"""<html><head><title>Page not found | The Daily</title></head><body><h1>Sorry</h1><p>We looked everywhere.</p></body></html>"""


@pytest.mark.parametrize(
    "body,reason",
    [(b"", "empty"), (b"   \n", "empty"), (CHALLENGE, "challenge"), (PAYWALL, "paywall"), (SOFT_404, "soft-404"),
     (b"<html><body><p>Short.</p></body></html>", "no-article")],
)
def test_pages_without_an_article_fail_with_a_reason(body: bytes, reason: str) -> None:
    result = extract_article(body, "https://example.com/a")
    assert (result.extraction, result.failure) == (None, reason)


def test_json_ld_dates_win_over_meta() -> None:
    page = article_html("Budget", paragraphs(1), published="2024-05-01T08:00:00+00:00").replace(
        "</head>",
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        '"datePublished":"2024-04-30T06:00:00+02:00","dateModified":"2024-05-02T10:15:00+02:00"}</script></head>',
    )
    e = extract_article(page.encode(), "https://example.com/a").extraction
    assert (e.published_at, e.published_source, e.modified_at, e.modified_source) == (
        "2024-04-30T04:00:00Z", "json-ld", "2024-05-02T08:15:00Z", "json-ld")


def test_feed_hints_fill_only_the_gaps() -> None:
    page = article_html("Budget", paragraphs(2))
    hints = EntryHints(title="Feed title", author="Feed Author", published_at="2024-01-01T00:00:00Z", updated_at="2024-05-05T00:00:00Z")
    e = extract_article(page.encode(), "https://example.com/a", hints=hints).extraction
    assert (e.title, e.author, e.published_source) == ("Budget", "Jane Reporter", "meta")
    assert (e.modified_at, e.modified_source) == ("2024-05-05T00:00:00Z", "feed")


def test_http_last_modified_is_the_last_resort_for_the_update_time() -> None:
    e = extract_article(article_html("B", paragraphs(3)).encode(), "https://example.com/a",
                        last_modified="Fri, 03 May 2024 10:00:00 GMT").extraction
    assert (e.modified_at, e.modified_source) == ("2024-05-03T10:00:00Z", "http")


def test_update_before_publication_is_dropped() -> None:
    page = article_html("B", paragraphs(4), published="2024-05-02T08:00:00+00:00", modified="2024-05-01T08:00:00+00:00")
    e = extract_article(page.encode(), "https://example.com/a").extraction
    assert (e.modified_at, e.modified_source) == (None, None)
