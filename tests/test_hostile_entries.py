"""Issue 19, item 1: one bad entry of a feed, sitemap or section page costs only that entry.

Each document mixes good entries with one a parser does not expect; every good entry is archived,
the bad ones are counted (``bad-entry``), every document gets its ``feeds`` row and the summary line
accounts for all of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.entries import plausible_date, read_entries, storable_link
from scraper.feeds import FeedError, parse_feed_document
from scraper.nesting import loads_shallow, shallow_xml

from archive import DiscoveredLink, EntryHints

from .conftest import crawl, rows, write_sources
from .pages import article_html, paragraphs
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
BASE = "https://news.example.com"


def rss_items(*items: str, channel: str = "") -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f'<link>{BASE}/</link><description>d</description>{channel}{"".join(items)}</channel></rss>').encode()


def item(link: str, extra: str = "", title: str = "T") -> str:
    return f"<item><title>{title}</title><link>{link}</link>{extra}</item>"


def json_items(items: object) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "j", "items": items}).encode()


GOOD = item(f"{BASE}/good")
# (name, feed body): each has the good entry and one an unguarded parser would raise on
BAD_FEEDS = [
    ("date-zero", rss_items(GOOD, item(f"{BASE}/b", "<pubDate>0000-00-00</pubDate>"))),
    ("year-one-offset", rss_items(GOOD, item(f"{BASE}/b", '<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">'
                                                           "0001-01-01T00:00:00+01:00</dc:date>"))),
    ("port-out-of-range", rss_items(GOOD, item("http://news.example.com:99999/b"))),
    ("negative-port", rss_items(GOOD, item("http://news.example.com:-1/b"))),
    ("surrogate-char-ref", rss_items(GOOD, item(f"{BASE}/b", title="a &#xD800; b"))),
    ("char-ref-past-unicode", rss_items(GOOD, item(f"{BASE}/b", title="a &#x110000; &#99999999999999999999; b"))),
    ("huge-ttl", rss_items(GOOD, channel="<ttl>99999999999999999999999</ttl>")),
    ("json-author-types", json_items([{"url": f"{BASE}/good"}, {"url": f"{BASE}/b", "authors": [{"name": 5}], "title": 7}])),
    ("json-authors-not-list", json_items([{"url": f"{BASE}/good"}, {"url": f"{BASE}/b", "authors": 5}])),
    ("json-lone-surrogate", json_items([{"url": f"{BASE}/good"}, {"url": f"{BASE}/b", "title": "a\ud800b"}])),
    ("json-bad-date", json_items([{"url": f"{BASE}/good"}, {"url": f"{BASE}/b", "date_published": "0001-01-01T00:00:00+01:00"}])),
    ("json-deep-nesting", ('{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "%s/good"}, '
                           '{"url": "%s/b", "_x": %s}]}' % (BASE, BASE, "[" * 50_000 + "]" * 50_000)).encode()),
]


@pytest.mark.parametrize("name,body", BAD_FEEDS, ids=[c[0] for c in BAD_FEEDS])
def test_a_bad_entry_costs_only_itself(name: str, body: bytes) -> None:
    document = parse_feed_document(body, f"{BASE}/feed")
    urls = [link.url for link in document.links]
    assert urls[0] == f"{BASE}/good"
    for link in document.links:  # whatever the bad entry carried, what is kept can be stored
        assert link.url.encode() and all(v is None or v.encode() for v in (link.hints.title, link.hints.author))
        assert link.hints.published_at is None or link.hints.published_at.startswith("20")
    assert document.skipped == (1 if "port" in name else 0)
    assert urls[1:] in ([], [f"{BASE}/b"])


def test_json_feed_items_of_the_wrong_type_is_a_failed_feed() -> None:
    with pytest.raises(FeedError, match="not-a-feed: JSON Feed 'items' is a int, not a list"):
        parse_feed_document(json_items(5), f"{BASE}/feed.json")


def test_entry_guard_values() -> None:
    assert plausible_date(None) is None
    assert storable_link(DiscoveredLink(f"{BASE}/a", EntryHints(title="x\udc80", author=""))).hints == EntryHints(title="x\ufffd")
    read = read_entries([1, 0, 2], lambda n: DiscoveredLink(f"{BASE}/{1 // n}"), "test")
    assert ([link.url for link in read.links], read.skipped) == ([f"{BASE}/1", f"{BASE}/0"], 1)
    deep = loads_shallow(b'{"a": ' + b'[' * 5000 + b']' * 5000 + b', "b": "[["}')
    assert deep["b"] == "[[" and json.dumps(deep["a"]).count("[") == 63  # 64 levels kept, the rest is null


def urlset(*entries: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(entries) + "</urlset>").encode()


def test_a_crawl_over_hostile_feeds_sitemaps_and_pages_keeps_every_good_entry(
    site: LocalSite, tmp_path: Path, db_path: Path
) -> None:
    good_paths = []

    def article(path: str) -> str:
        site.set(path, article_html(f"Story {path}", paragraphs(len(good_paths))).encode())
        good_paths.append(path)
        return site.url(path)

    here = site.url("")
    feeds = []
    for name, body in BAD_FEEDS:
        path = f"/feeds/{name}"
        feeds.append(site.url(path))
        body = body.replace(f"{BASE}/good".encode(), article(f"/news/{name}").encode())
        if f"{BASE}/b".encode() in body:
            body = body.replace(f"{BASE}/b".encode(), article(f"/news/{name}-b").encode())
        site.set(path, body, content_type="application/json" if name.startswith("json") else "application/rss+xml")
    site.set("/sitemap.xml", urlset(
        f"<url><loc>{article('/news/s1')}</loc></url>",
        f"<url><loc>{site.url('/news/s2').replace(':' + str(site.httpd.server_address[1]), ':99999')}</loc></url>",
        f"<url><loc>{site.url('/news/s3')}</loc><lastmod>0000-00-00T00:00:00+01:00</lastmod></url>",
        f"<url><loc>{article('/news/s4')}</loc></url>",
    ), content_type="application/xml")
    site.set("/news/s3", article_html("Story s3", paragraphs(40)).encode())
    good_paths.append("/news/s3")
    site.set("/index.xml", ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            "<sitemap><loc>javascript:alert(1)</loc></sitemap>"
                            f"<sitemap><loc>{site.url('/sitemap.xml')}</loc></sitemap></sitemapindex>").encode(),
             content_type="application/xml")
    site.set("/section/", (f'<html><body><a href="{article("/news/p1")}">one</a>'
                           '<a href="http://[::1/news/p2">two</a><a href="/news/p3:99999">three</a>'
                           f'<a href="{article("/news/p4")}">four</a></body></html>').encode())
    site.set("/news/p3:99999", article_html("Story p3", paragraphs(41)).encode())
    good_paths.append("/news/p3:99999")
    feed_list = ", ".join(f'"{url}"' for url in feeds)
    sources = write_sources(tmp_path / "sources.toml", f"""
[[source]]
name = "hostile"
feeds = [{feed_list}]
sitemaps = ["{site.url('/index.xml')}"]
pages = ["{site.url('/section/')}"]
follow = ["/news/"]
delay = 0
concurrency = 8
""")
    result = crawl(db_path, sources, "--log-file", str(tmp_path / "crawl.log"), now=T1)

    # every document of the pass is accounted for: 12 feeds, the index and its sitemap, the page
    assert result.stdout.startswith(
        f"feeds: {len(BAD_FEEDS)} polled, 0 failed; sitemaps: 2 polled, 0 failed; pages: 1 polled, 0 failed; "
        f"articles: {len(good_paths)} new, 0 updated, 0 unchanged, 0 failed;"
    ), result.stdout
    assert "(bad-entry: 4)" in result.stdout  # two ports in feeds, one in the sitemap, the javascript: child
    polled = rows(db_path, "select url, last_error from feeds order by url")
    assert len(polled) == len(BAD_FEEDS) + 3 and all(row["last_error"] is None for row in polled)
    archived = {row["url"].removeprefix(here) for row in rows(db_path, "select url from articles where versions = 1")}
    assert archived == set(good_paths)
    titles = [row["entry_title"] for row in rows(db_path, "select entry_title from articles where entry_title like 'a%b'")]
    assert "a \ufffd b" in titles and "a\ufffdb" in titles


@pytest.mark.parametrize("levels", [300, 5000, 50_000])
def test_an_entry_nested_past_the_parsers_limit_costs_no_other_entry(levels: int) -> None:
    from scrapy.http import HtmlResponse, XmlResponse

    from spiders.pages import page_links
    from spiders.sitemaps import read_sitemap

    deep = "<x>" * levels + "</x>" * levels
    sitemap = urlset(*(f"<url><loc>{BASE}/{i}</loc>{deep if i == 2 else ''}</url>" for i in (1, 2, 3)))
    kind, entries = read_sitemap(XmlResponse(f"{BASE}/sitemap.xml", body=sitemap), 10**8)
    assert (kind, [entry["loc"] for entry in entries]) == ("urlset", [f"{BASE}/1", f"{BASE}/2", f"{BASE}/3"])
    page = ('<html><body><a href="/news/1">a</a>' + "<div>" * levels + '<a href="/news/2">b</a>' + "</div>" * levels
            + '<a href="/news/3">c</a></body></html>').encode()
    links = page_links(HtmlResponse(f"{BASE}/section/", body=page, encoding="utf-8"))
    assert [link.url for link in links] == [f"{BASE}/news/{i}" for i in (1, 2, 3)]
    assert shallow_xml(b"<a><b><c>x</c></b><d/></a>", max_depth=2) == b"<a><b>x</b><d/></a>"
