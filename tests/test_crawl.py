"""End to end: feeds on a local server → crawl (subprocess) → versions in a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import crawl, rows, sources_for
from .pages import FIXTURES, article_html, atom, json_feed, noisy, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
T2 = "2024-05-03T12:00:00Z"
T3 = "2024-05-03T14:00:00Z"


def serve_articles(site: LocalSite, count: int, prefix: str = "/news/") -> list[str]:
    paths = []
    for i in range(count):
        path = f"{prefix}story-{i}"
        page = article_html(f"Story number {i}", paragraphs(i), noise="{noise}")
        site.set(path, lambda page=page: noisy(page))
        paths.append(path)
    return paths


@pytest.fixture
def three_feeds(site: LocalSite, tmp_path: Path) -> Path:
    paths = serve_articles(site, 6)
    site.set("/rss.xml", rss([{"title": f"S{i}", "link": site.url(p)} for i, p in enumerate(paths[:2])]),
             content_type="application/rss+xml")
    site.set("/atom.xml", atom([{"title": f"S{i}", "link": site.url(p)} for i, p in enumerate(paths[2:4])]),
             content_type="application/atom+xml")
    site.set("/feed.json", json_feed([{"title": f"S{i}", "link": site.url(p)} for i, p in enumerate(paths[4:])]),
             content_type="application/feed+json")
    return sources_for(site, tmp_path, {"daily": ["/rss.xml", "/atom.xml", "/feed.json"]})


def test_first_crawl_archives_every_entry_of_rss_atom_and_json_feed(three_feeds: Path, db_path: Path, site: LocalSite) -> None:
    result = crawl(db_path, three_feeds, now=T1)
    assert result.stdout.startswith("feeds: 3 polled, 0 failed; articles: 6 new, 0 updated, 0 unchanged, 0 failed;")
    articles = rows(db_path, "select url, source, status, versions, latest_version, first_seen_at, last_checked_at from articles order by url")
    assert [a["url"] for a in articles] == [site.url(f"/news/story-{i}") for i in range(6)]
    assert all(a["status"] == "archived" and a["versions"] == a["latest_version"] == 1 for a in articles)
    assert all(a["source"] == "daily" and a["first_seen_at"] == a["last_checked_at"] == T1 for a in articles)
    versions = rows(db_path, "select title, author, published_at, published_source, language, sitename, text from versions order by title")
    assert [v["title"] for v in versions] == [f"Story number {i}" for i in range(6)]
    assert versions[0]["author"] == "Jane Reporter"
    assert versions[0]["published_at"] == "2024-05-02T08:00:00Z" and versions[0]["published_source"] == "meta"
    assert versions[0]["language"] == "en" and versions[0]["sitename"] == "The Daily Test"
    assert versions[0]["text"].startswith(paragraphs(0)[0])
    assert "Advertisement" not in versions[0]["text"]
    feeds = rows(db_path, "select url, source, last_status, last_error, entries, last_polled_at from feeds order by url")
    assert [(f["last_status"], f["last_error"], f["entries"], f["last_polled_at"]) for f in feeds] == [(200, None, 2, T1)] * 3


def test_recrawl_with_only_noise_changes_adds_no_version(three_feeds: Path, db_path: Path) -> None:
    crawl(db_path, three_feeds, now=T1)
    result = crawl(db_path, three_feeds, "--recheck", "all", now=T2)
    assert "articles: 0 new, 0 updated, 6 unchanged, 0 failed" in result.stdout
    versions = rows(db_path, "select version, first_seen_at, last_seen_at from versions")
    assert versions == [{"version": 1, "first_seen_at": T1, "last_seen_at": T2}] * 6
    captures = rows(db_path, "select count(*) n, count(distinct body_hash) bodies, sum(version_id is null) failed from captures")
    # every page differs in its ads/tokens, so each capture keeps its own body, but all map to version 1
    assert captures == [{"n": 12, "bodies": 12, "failed": 0}]
    assert rows(db_path, "select count(*) n from articles where last_checked_at = ?", [T2]) == [{"n": 6}]


def test_new_crawl_without_recheck_fetches_only_new_articles(three_feeds: Path, db_path: Path, site: LocalSite) -> None:
    crawl(db_path, three_feeds, now=T1)
    before = site.hits("/news/story-0")
    result = crawl(db_path, three_feeds, "--recheck", "none", now=T2)
    assert "articles: 0 new, 0 updated, 0 unchanged, 0 failed" in result.stdout
    assert site.hits("/news/story-0") == before


def test_edited_article_gets_version_2_and_keeps_version_1(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    paras = paragraphs(42)
    site.set("/news/edited", article_html("Council approves budget", paras).encode())
    site.set("/rss.xml", rss([{"title": "Budget", "link": site.url("/news/edited")}]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, now=T1)
    edited = paras[:2] + ["Correction: the vote was 7 to 2, not 8 to 1."] + paras[2:]
    site.set("/news/edited", article_html("Council approves budget after late vote", edited,
                                          modified="2024-05-03T11:30:00+00:00").encode())
    result = crawl(db_path, sources, "--recheck", "all", now=T2)
    assert "articles: 0 new, 1 updated, 0 unchanged, 0 failed" in result.stdout
    crawl(db_path, sources, "--recheck", "all", now=T3)
    versions = rows(db_path, "select version, title, first_seen_at, last_seen_at, modified_at, modified_source, text from versions order by version")
    assert [(v["version"], v["title"], v["first_seen_at"], v["last_seen_at"]) for v in versions] == [
        (1, "Council approves budget", T1, T1),
        (2, "Council approves budget after late vote", T2, T3),
    ]
    assert versions[1]["modified_at"] == "2024-05-03T11:30:00Z" and versions[1]["modified_source"] == "meta"
    assert "Correction: the vote was 7 to 2" in versions[1]["text"] and "Correction" not in versions[0]["text"]
    assert rows(db_path, "select versions, latest_version, last_checked_at from articles") == [
        {"versions": 2, "latest_version": 2, "last_checked_at": T3}
    ]
    # identical bytes are stored once: the third capture's body points at the second's
    assert rows(db_path, "select body is not null as stored from captures order by id") == [
        {"stored": 1}, {"stored": 1}, {"stored": 0}
    ]


def test_tracking_parameter_duplicates_collapse(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/one", article_html("Only one", paragraphs(7)).encode())
    links = ["/news/one?utm_source=rss&utm_medium=feed", "/news/one?fbclid=abc#top", "/NEWS/../news/one?gclid=1"]
    site.set("/rss.xml", rss([{"title": "x", "link": site.url(p)} for p in links]), content_type="application/rss+xml")
    site.set("/atom.xml", atom([{"title": "x", "link": site.url("/news/one")}]), content_type="application/atom+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml", "/atom.xml"]})
    crawl(db_path, sources, now=T1)
    assert rows(db_path, "select url, versions from articles") == [{"url": site.url("/news/one"), "versions": 1}]
    assert site.hits("/news/one") == 1


@pytest.mark.parametrize(
    "broken,body,reason",
    [
        ("404", None, "http-404"),
        ("html", b"<html><body><p>Not a feed at all</p></body></html>", "not-a-feed"),
        ("truncated", b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Half', "feed-malformed"),
        ("entities", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa">]><rss version="2.0"><channel><title>&a;</title></channel></rss>', "feed-entities"),
    ],
)
def test_broken_feed_does_not_stop_the_others(site: LocalSite, tmp_path: Path, db_path: Path, broken: str, body: bytes | None, reason: str) -> None:
    site.set("/news/fine", article_html("Fine story", paragraphs(3)).encode())
    site.set("/good.xml", rss([{"title": "fine", "link": site.url("/news/fine")}]), content_type="application/rss+xml")
    if body is not None:
        site.set("/bad.xml", body, content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"bad": ["/bad.xml"], "good": ["/good.xml"]})
    result = crawl(db_path, sources, now=T1)
    assert result.stdout.startswith("feeds: 1 polled, 1 failed; articles: 1 new")
    assert f"{reason}: 1" in result.stdout
    feeds = {f["url"]: f for f in rows(db_path, "select * from feeds")}
    assert feeds[site.url("/bad.xml")]["last_error"] == reason
    assert feeds[site.url("/good.xml")]["last_error"] is None
    assert rows(db_path, "select source, versions from articles") == [{"source": "good", "versions": 1}]


def test_seed_article_is_archived_with_its_metadata(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    page = (FIXTURES / "seed-article.html").read_text()
    site.set("/en/202306175432", lambda: noisy(page.replace("{token}", "{noise}").replace("{ad}", "{noise}")))
    site.set("/rss.xml", rss([{"title": "seed", "link": site.url("/en/202306175432")}]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"newsroom": ["/rss.xml"]})
    crawl(db_path, sources, now=T1)
    [version] = rows(db_path, "select * from versions")
    assert version["title"] == "Iran, Pakistan Defense Officials Discuss Cooperation to Fight Terrorism"
    assert version["author"] == "Nigar Bayramli"
    assert version["published_at"].startswith("2023-06-17")
    assert version["modified_at"] == "2024-03-01T01:47:00Z" and version["modified_source"] == "text"
    text = version["text"]
    assert text.startswith("Iranian Deputy Defense Minister and Pakistani Defense Secretary discussed cooperation")
    assert text.endswith("further details would be worked out.")
    for chrome in ("Newsroom logo", "Last update", "Most viewed", "All rights reserved", "Privacy"):
        assert chrome not in text
    # rechecking the noisy page adds no version
    crawl(db_path, sources, "--recheck", "all", now=T2)
    assert rows(db_path, "select count(*) n from versions") == [{"n": 1}]


def test_failed_article_fetch_is_a_failed_capture_not_a_version(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/ok", article_html("Fine", paragraphs(1)).encode())
    site.set("/news/stub", b"<html><head><title>Subscribe</title></head><body><p>Subscribe to continue reading. Already a subscriber? Log in.</p></body></html>")
    links = ["/news/ok", "/news/gone", "/news/stub"]
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in links]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    result = crawl(db_path, sources, now=T1)
    assert "articles: 1 new, 0 updated, 0 unchanged, 2 failed" in result.stdout
    captures = rows(db_path, "select a.url, c.status, c.error, c.version_id from captures c join articles a on a.id = c.article_id order by a.url")
    assert [(c["url"].rsplit("/", 1)[1], c["status"], c["error"], c["version_id"]) for c in captures] == [
        ("gone", 404, "http-404", None), ("ok", 200, None, 1), ("stub", 200, "paywall", None),
    ]
    assert rows(db_path, "select status from articles order by url") == [{"status": "failed"}, {"status": "archived"}, {"status": "failed"}]
