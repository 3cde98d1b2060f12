"""The URLs a page declares for itself (canonical, og:url, AMP) and the same-site rule."""

from __future__ import annotations

import pytest

from scraper.canonical import declared_aliases, same_site
from scraper.extraction.sanitize import load_page

PAGE = "https://www.example.com/news/story?id=3"

CASES = [
    ("relative-canonical", '<link rel="canonical" href="/news/story?utm_source=x">', [("https://www.example.com/news/story", "canonical")]),
    ("og-url", '<meta property="og:url" content="https://example.com/news/story">', [("https://example.com/news/story", "canonical")]),
    ("canonical-beats-og", '<meta property="og:url" content="https://example.com/og"><link rel="Canonical" href="https://example.com/c">',
     [("https://example.com/c", "canonical")]),
    ("amp", '<link rel="amphtml" href="https://amp.example.com/news/story">', [("https://amp.example.com/news/story", "amp")]),
    ("self", '<link rel="canonical" href="https://www.example.com/news/story?id=3#top">', []),
    ("other-site", '<link rel="canonical" href="https://aggregator.example/news/story">', []),
    ("home-page", '<link rel="canonical" href="https://www.example.com/">', []),
    ("not-http", '<link rel="canonical" href="javascript:void(0)">', []),
    ("in-body-only", '</head><body><link rel="canonical" href="/elsewhere">', []),
]


@pytest.mark.parametrize("name,head,expected", CASES, ids=[c[0] for c in CASES])
def test_declared_aliases(name: str, head: str, expected: list[tuple[str, str]]) -> None:
    body = f"<html><head><title>t</title>{head}</head><body><p>x</p></body></html>".encode()
    assert declared_aliases(load_page(body), PAGE) == expected


@pytest.mark.parametrize(
    "url,other,same",
    [
        ("https://example.com/a", "https://www.example.com/b", True),
        ("https://amp.example.co.uk/a", "https://www.example.co.uk/b", True),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b", True),
        ("https://example.com.evil.net/a", "https://example.com/b", False),
        ("https://other.com/a", "https://example.com/b", False),
    ],
)
def test_same_site(url: str, other: str, same: bool) -> None:
    assert same_site(url, other) is same
