"""Links that differ only in tracking parameters, fragment, case or default port are one article."""

import pytest

from archive.urls import canonical_url

SAME = [
    ("https://example.com/news/a?utm_source=rss&utm_medium=feed", "https://example.com/news/a"),
    ("https://example.com/news/a?fbclid=IwAR0abc", "https://example.com/news/a"),
    ("https://example.com/news/a?gclid=xyz&id=7", "https://example.com/news/a?id=7"),
    ("https://example.com/news/a#comments", "https://example.com/news/a"),
    ("HTTPS://EXAMPLE.com/news/a", "https://example.com/news/a"),
    ("https://example.com:443/news/a", "https://example.com/news/a"),
    ("http://example.com:80/news/a", "http://example.com/news/a"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
]
DIFFERENT = [
    ("https://example.com/news/a?id=1", "https://example.com/news/a?id=2"),
    ("https://example.com/News/a", "https://example.com/news/a"),  # paths are case-sensitive
    ("http://example.com/a", "https://example.com/a"),
]


@pytest.mark.parametrize("url,expected", SAME)
def test_same_article(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("one,other", DIFFERENT)
def test_different_articles(one: str, other: str) -> None:
    assert canonical_url(one) != canonical_url(other)
