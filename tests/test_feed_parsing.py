"""Feed formats and link hygiene (pure: no crawl)."""

from __future__ import annotations

import pytest

from scraper.feeds import FeedError, parse_feed

from .pages import atom, json_feed, rss

BASE = "https://news.example.com/feed"

RSS_091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title><link>https://news.example.com/</link>
<description>d</description><item><title>One</title><link>https://news.example.com/one</link></item></channel></rss>"""
RSS_10 = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://news.example.com/"><title>RDF</title>
<link>https://news.example.com/</link><description>d</description></channel>
<item rdf:about="https://news.example.com/two"><title>Two</title><link>https://news.example.com/two</link>
<dc:creator>Ann Writer</dc:creator><dc:date>2024-05-01T10:00:00+02:00</dc:date></item></rdf:RDF>"""


def test_rss_091_and_10() -> None:
    assert [link.url for link in parse_feed(RSS_091, BASE)] == ["https://news.example.com/one"]
    [two] = parse_feed(RSS_10, BASE)
    assert (two.url, two.hints.title, two.hints.author, two.hints.published_at) == (
        "https://news.example.com/two", "Two", "Ann Writer", "2024-05-01T08:00:00Z")


def test_rss_20_entry_hints() -> None:
    [link] = parse_feed(rss([{"title": "T", "link": "https://news.example.com/a?utm_source=rss"}]), BASE)
    assert link.url == "https://news.example.com/a"
    assert (link.hints.title, link.hints.published_at, link.hints.updated_at) == ("T", "2024-05-02T08:00:00Z", None)


def test_atom_entry_hints() -> None:
    [link] = parse_feed(atom([{"title": "A", "link": "/rel/path"}]), BASE)
    assert link.url == "https://news.example.com/rel/path"
    assert (link.hints.author, link.hints.published_at) == ("Atom Author", "2024-05-02T09:00:00Z")


def test_json_feed() -> None:
    [link] = parse_feed(json_feed([{"title": "J", "link": "https://news.example.com/j"}]), BASE, "application/feed+json")
    assert (link.url, link.hints.title, link.hints.author, link.hints.published_at) == (
        "https://news.example.com/j", "J", "Json Author", "2024-05-02T10:00:00Z")


@pytest.mark.parametrize("href", ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi", "mailto:a@b.c", "ftp://x/y"])
def test_non_http_links_are_dropped(href: str) -> None:
    body = rss([{"title": "bad", "link": href}, {"title": "ok", "link": "https://news.example.com/ok"}])
    assert [link.url for link in parse_feed(body, BASE)] == ["https://news.example.com/ok"]


@pytest.mark.parametrize(
    "body,reason",
    [
        (b"<html><body>hello</body></html>", "not-a-feed"),
        (b"", "not-a-feed"),
        (b'{"version": "1.0", "items": []}', "not-a-feed"),
        (b"{not json", "not-a-feed"),
        (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "xxxxxxxxxx">]><rss version="2.0"><channel><title>&x;</title></channel></rss>', "feed-entities"),
    ],
)
def test_unusable_feeds_raise_with_reason(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(body, BASE)
    assert info.value.reason == reason


def test_malformed_feed_with_recoverable_entries_still_yields_links() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Fish & Chips</title><item><title>x</title><link>https://news.example.com/x</link></item></channel></rss>'
    assert [link.url for link in parse_feed(body, BASE)] == ["https://news.example.com/x"]
