"""sources.toml keys of issue #3: sitemaps, pages + follow, revisit, horizon and the [defaults] table."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from archive.schedule import DEFAULT_LADDER, Step
from scraper.feeds import parse_feed_document
from scraper.sources import SourcesError, download_slots, load_sources

from .pages import rss

FEED = '[[source]]\nname = "a"\nfeeds = ["https://example.com/rss.xml"]\n'

CASES = [
    ("pages-without-follow", '[[source]]\nname = "a"\npages = ["https://example.com/news/"]\n',
     r"source 'a': key 'follow' is missing; list regexes"),
    ("bad-regex", FEED + 'pages = ["https://example.com/news/"]\nfollow = ["(unclosed"]\n',
     r"source 'a': key 'follow' '\(unclosed' is not a regular expression"),
    ("robots-without-host", '[[source]]\nname = "a"\nsitemaps = ["robots"]\n',
     r"source 'a': key 'sitemaps' 'robots' needs a feed or page URL"),
    ("bad-sitemap", FEED + 'sitemaps = ["robots", "sitemap.xml"]\n', r"source 'a': key 'sitemaps' 'sitemap.xml' is not an http\(s\) URL"),
    ("bad-revisit", FEED + 'revisit = [["1d", "1h"], ["3h", "15m"]]\n', r"source 'a': key 'revisit' .* ages must increase"),
    ("bad-horizon", FEED + 'horizon = "soon"\n', r"source 'a': key 'horizon' 'soon' is not a duration"),
    ("defaults-unknown", '[defaults]\nfeeds = ["https://example.com/x"]\n' + FEED, r"\[defaults\]: unknown key 'feeds'"),
    ("defaults-bad", '[defaults]\nrevisit = "often"\n' + FEED, r"\[defaults\]: key 'revisit' must be a list of \[age, interval\] pairs"),
    ("nothing-to-poll", '[[source]]\nname = "a"\ndelay = 1\n', r"source 'a': key 'feeds' is missing or empty; list at least one feed, sitemap or page URL"),
]


@pytest.mark.parametrize("name,text,message", CASES, ids=[c[0] for c in CASES])
def test_invalid_discovery_keys(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(SourcesError, match=message) as info:
        load_sources(path)
    assert str(info.value).startswith(f"{path}: ") and "\n" not in str(info.value)


def test_defaults_apply_unless_a_source_sets_its_own(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[defaults]\nrevisit = [["1d", "30m"]]\nhorizon = "2d"\ndelay = 3\n'
        '[[source]]\nname = "a"\nfeeds = ["https://a.example/rss"]\nsitemaps = ["robots", "https://maps.a.example/s.xml"]\n'
        '[[source]]\nname = "b"\npages = ["https://b.example/news/"]\nfollow = ["/20\\\\d\\\\d/"]\nrevisit = [["7d", "1d"]]\ndelay = 0.5\n'
        '[[source]]\nname = "c"\nfeeds = ["https://c.example/rss"]\n'
    )
    a, b, c = load_sources(path)
    assert a.revisit == (Step(timedelta(days=1), timedelta(minutes=30)),) and a.horizon == timedelta(days=2) and a.delay == 3.0
    assert a.sitemaps == ("https://a.example/robots.txt", "https://maps.a.example/s.xml")
    assert a.hosts == {"a.example", "maps.a.example"}
    assert b.revisit == (Step(timedelta(days=7), timedelta(days=1)),) and b.delay == 0.5
    assert b.pages == ("https://b.example/news/",) and b.follow == ("/20\\d\\d/",) and b.sitemaps == ()
    assert set(download_slots([a, b])) == {"a.example", "maps.a.example", "b.example"}
    path.write_text('[[source]]\nname = "c"\nfeeds = ["https://c.example/rss"]\n')
    [plain] = load_sources(path)
    assert plain.revisit == DEFAULT_LADDER and plain.horizon == timedelta(days=30)


@pytest.mark.parametrize(
    "channel,period",
    [
        ("<ttl>45</ttl>", timedelta(minutes=45)),
        ('<sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">hourly</sy:updatePeriod>'
         '<sy:updateFrequency xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">4</sy:updateFrequency>', timedelta(minutes=15)),
        ('<sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">daily</sy:updatePeriod>', timedelta(days=1)),
        ("<ttl>soon</ttl>", None),
        ("", None),
    ],
)
def test_feed_declared_period(channel: str, period: timedelta | None) -> None:
    body = rss([{"title": "x", "link": "https://example.com/a"}]).replace(b"<description>t</description>", b"<description>t</description>" + channel.encode())
    document = parse_feed_document(body, "https://example.com/rss.xml")
    assert document.period == period and [link.url for link in document.links] == ["https://example.com/a"]
