"""Revisits end to end: the ladder, conditional rechecks and fast paths, gone and revival, flip-flops."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from archive.clock import iso, parse_iso

from .conftest import crawl, rows, sources_for
from .pages import article_html, atom, paragraphs, rss
from .server import LocalSite

T0 = "2024-05-03T10:00:00Z"


def at(minutes: int = 0, *, hours: int = 0, days: int = 0) -> str:
    """T0 plus an offset, as the archive writes timestamps."""
    return iso(parse_iso(T0) + timedelta(minutes=minutes, hours=hours, days=days))


@pytest.fixture
def one_article(site: LocalSite, tmp_path: Path) -> Path:
    site.set("/news/story", article_html("Council approves budget", paragraphs(1)).encode())
    site.set("/rss.xml", rss([{"title": "Budget", "link": site.url("/news/story")}]), content_type="application/rss+xml")
    return sources_for(site, tmp_path, {"daily": ["/rss.xml"]})


def article(db: Path) -> dict:
    [row] = rows(db, "select status, versions, last_checked_at, next_check_at, gone_at, missing_checks from articles")
    return row


def test_article_edited_twice_has_three_versions_and_follows_the_ladder(site: LocalSite, one_article: Path, db_path: Path) -> None:
    paras = paragraphs(1)
    crawl(db_path, one_article, now=T0)
    assert article(db_path)["next_check_at"] == at(15)
    site.set("/news/story", article_html("Council approves budget", paras + ["Update: the mayor objected."],
                                         modified="2024-05-03T10:10:00+00:00").encode())
    result = crawl(db_path, one_article, now=at(20))
    assert "articles: 0 new, 1 updated, 0 unchanged, 0 failed" in result.stdout
    site.set("/news/story", article_html("Council approves budget after objection", paras + ["Update: the mayor objected."],
                                         modified="2024-05-03T10:30:00+00:00").encode())
    crawl(db_path, one_article, now=at(35))
    versions = rows(db_path, "select version, title, first_seen_at, last_seen_at, modified_at, reverts_to from versions order by version")
    assert versions == [
        {"version": 1, "title": "Council approves budget", "first_seen_at": T0, "last_seen_at": T0, "modified_at": None, "reverts_to": None},
        {"version": 2, "title": "Council approves budget", "first_seen_at": at(20), "last_seen_at": at(20),
         "modified_at": "2024-05-03T10:10:00Z", "reverts_to": None},
        {"version": 3, "title": "Council approves budget after objection", "first_seen_at": at(35), "last_seen_at": at(35),
         "modified_at": "2024-05-03T10:30:00Z", "reverts_to": None},
    ]
    assert article(db_path) == {"status": "archived", "versions": 3, "last_checked_at": at(35), "next_check_at": at(50),
                                "gone_at": None, "missing_checks": 0}


def test_ladder_timing_in_a_crawl(site: LocalSite, one_article: Path, db_path: Path) -> None:
    crawl(db_path, one_article, now=T0)
    steps = [
        # crawl time, fetched?, next_check_at afterwards
        (at(10), False, at(15)),  # not due yet
        (at(15), True, at(30)),  # changed < 3 h ago: every 15 min
        (at(hours=5), True, at(hours=6)),  # < 1 day: hourly
        (at(days=2), True, at(days=2, hours=3)),  # < 7 days: every 3 h
        (at(days=10), True, at(days=13)),  # < 30 days: every 3 days
        (at(days=100), True, at(days=130)),  # < 1 year: every 30 days
        (at(days=400), True, None),  # settled: no more rechecks
        (at(days=800), False, None),
    ]
    for now, fetched, next_check_at in steps:
        before = site.hits("/news/story")
        crawl(db_path, one_article, now=now)
        assert (site.hits("/news/story") - before, article(db_path)["next_check_at"]) == (int(fetched), next_check_at), now
    # --recheck all still looks at a settled article
    before = site.hits("/news/story")
    crawl(db_path, one_article, "--recheck", "all", now=at(days=801))
    assert site.hits("/news/story") == before + 1


def test_revisit_ladder_from_sources_defaults(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/story", article_html("Budget", paragraphs(1)).encode())
    site.set("/rss.xml", rss([{"title": "Budget", "link": site.url("/news/story")}]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    sources.write_text('[defaults]\nrevisit = [["1d", "2h"]]\n' + sources.read_text())
    crawl(db_path, sources, now=T0)
    assert article(db_path)["next_check_at"] == at(hours=2)
    crawl(db_path, sources, now=at(days=1))
    assert article(db_path)["next_check_at"] is None


def test_304_and_identical_body_rechecks_add_no_version_and_store_no_body(site: LocalSite, one_article: Path, db_path: Path, tmp_path: Path) -> None:
    page = article_html("Council approves budget", paragraphs(1)).encode()
    site.set("/news/story", page, headers={"ETag": '"v1"', "Last-Modified": "Fri, 03 May 2024 09:00:00 GMT"})
    crawl(db_path, one_article, now=T0)
    result = crawl(db_path, one_article, now=at(15))
    assert "articles: 0 new, 0 updated, 1 unchanged, 0 failed" in result.stdout
    recheck_headers = [headers for path, headers in site.requests if path == "/news/story"][-1]
    assert recheck_headers["If-None-Match"] == '"v1"'
    assert recheck_headers["If-Modified-Since"] == "Fri, 03 May 2024 09:00:00 GMT"
    site.set("/news/story", page)  # the server forgets its validators but sends the same bytes
    log = tmp_path / "crawl.log"
    result = crawl(db_path, one_article, "--log-file", str(log), now=at(30))
    assert "articles: 0 new, 0 updated, 1 unchanged, 0 failed" in result.stdout
    assert "'newsarchive/articles/fast/same-body': 1" in log.read_text()
    captures = rows(db_path, "select fetched_at, status, body is not null as stored, body_hash, version_id, error from captures order by id")
    first_hash = captures[0]["body_hash"]
    assert captures == [
        {"fetched_at": T0, "status": 200, "stored": 1, "body_hash": first_hash, "version_id": 1, "error": None},
        {"fetched_at": at(15), "status": 304, "stored": 0, "body_hash": None, "version_id": 1, "error": None},
        {"fetched_at": at(30), "status": 200, "stored": 0, "body_hash": first_hash, "version_id": 1, "error": None},
    ]
    assert rows(db_path, "select version, last_seen_at from versions") == [{"version": 1, "last_seen_at": at(30)}]
    assert article(db_path)["next_check_at"] == at(45)


def test_gone_after_three_404s_and_revival(site: LocalSite, one_article: Path, db_path: Path) -> None:
    page = article_html("Council approves budget", paragraphs(1)).encode()
    crawl(db_path, one_article, now=T0)
    site.set("/news/story", b"gone", status=404, content_type="text/plain")
    for minutes, missing in ((15, 1), (30, 2)):
        crawl(db_path, one_article, now=at(minutes))
        assert article(db_path) == {"status": "archived", "versions": 1, "last_checked_at": at(minutes),
                                    "next_check_at": at(minutes + 15), "gone_at": None, "missing_checks": missing}
    site.set("/news/story", b"gone", status=410, content_type="text/plain")
    crawl(db_path, one_article, now=at(45))
    assert article(db_path) == {"status": "gone", "versions": 1, "last_checked_at": at(45),
                                "next_check_at": None, "gone_at": at(45), "missing_checks": 3}
    before = site.hits("/news/story")
    crawl(db_path, one_article, now=at(hours=2))
    assert site.hits("/news/story") == before  # the ladder no longer rechecks it
    site.set("/news/story", page)
    result = crawl(db_path, one_article, "--recheck", "all", now=at(hours=3))
    assert "articles: 0 new, 0 updated, 1 unchanged, 0 failed" in result.stdout
    assert article(db_path) == {"status": "archived", "versions": 1, "last_checked_at": at(hours=3),
                                "next_check_at": at(hours=4), "gone_at": None, "missing_checks": 0}


def test_a_200_between_404s_resets_the_count(site: LocalSite, one_article: Path, db_path: Path) -> None:
    page = article_html("Council approves budget", paragraphs(1)).encode()
    crawl(db_path, one_article, now=T0)
    for minutes, status in ((15, 404), (30, 404), (45, 200), (60, 404)):
        site.set("/news/story", page if status == 200 else b"x", status=status)
        crawl(db_path, one_article, now=at(minutes))
    assert article(db_path)["missing_checks"] == 1 and article(db_path)["gone_at"] is None


def test_flip_flop_is_recorded_with_reverts_to(site: LocalSite, one_article: Path, db_path: Path) -> None:
    text_a, text_b = paragraphs(1), paragraphs(2)
    crawl(db_path, one_article, now=T0)
    site.set("/news/story", article_html("Council approves budget", text_b).encode())
    crawl(db_path, one_article, now=at(15))
    site.set("/news/story", article_html("Council approves budget", text_a).encode())
    result = crawl(db_path, one_article, now=at(30))
    assert "articles: 0 new, 1 updated, 0 unchanged, 0 failed" in result.stdout
    # whitespace-only and Unicode-normalisation-only differences are not versions
    spaced = [p.replace(" ", "  ", 3) + "\u00a0" for p in text_a]
    site.set("/news/story", article_html("Council  approves budget", spaced).encode())
    result = crawl(db_path, one_article, now=at(45))
    assert "articles: 0 new, 0 updated, 1 unchanged, 0 failed" in result.stdout
    versions = rows(db_path, "select version, first_seen_at, last_seen_at, reverts_to from versions order by version")
    assert versions == [
        {"version": 1, "first_seen_at": T0, "last_seen_at": T0, "reverts_to": None},
        {"version": 2, "first_seen_at": at(15), "last_seen_at": at(15), "reverts_to": None},
        {"version": 3, "first_seen_at": at(30), "last_seen_at": at(45), "reverts_to": 1},
    ]


def test_feed_updated_trigger_and_due_feeds(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/story", article_html("Budget", paragraphs(1)).encode())
    link = site.url("/news/story")
    site.set("/atom.xml", atom([{"title": "Budget", "link": link, "updated": "2024-05-03T09:00:00Z"}]),
             content_type="application/atom+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/atom.xml"]})
    crawl(db_path, sources, now=T0)
    assert rows(db_path, "select kind, poll_interval, next_poll_at, new_entries from feeds") == [
        {"kind": "feed", "poll_interval": 1800, "next_poll_at": at(30), "new_entries": 1}
    ]
    # five minutes later the feed is not due: not polled, and the article is not due either
    result = crawl(db_path, sources, now=at(5))
    assert result.stdout.startswith("feeds: 0 polled") and site.hits("/atom.xml") == 1
    # the entry's <updated> changes: with --all-feeds the feed is polled and the article is due now
    site.set("/atom.xml", atom([{"title": "Budget", "link": link, "updated": "2024-05-03T10:04:00Z"}]),
             content_type="application/atom+xml")
    site.set("/news/story", article_html("Budget", paragraphs(1) + ["Correction appended."]).encode())
    result = crawl(db_path, sources, "--all-feeds", now=at(6))
    assert "articles: 0 new, 1 updated" in result.stdout
    # an unchanged <updated> triggers nothing
    before = site.hits("/news/story")
    crawl(db_path, sources, "--all-feeds", now=at(8))
    assert site.hits("/news/story") == before
    assert rows(db_path, "select poll_interval, next_poll_at, new_entries from feeds") == [
        {"poll_interval": 4050, "next_poll_at": "2024-05-03T11:15:30Z", "new_entries": 0}
    ]


def test_feed_ttl_is_a_floor_for_the_poll_interval(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/story", article_html("Budget", paragraphs(1)).encode())
    feed = rss([{"title": "Budget", "link": site.url("/news/story")}]).replace(b"<description>t</description>", b"<description>t</description><ttl>180</ttl>")
    site.set("/rss.xml", feed, content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, now=T0)
    assert rows(db_path, "select poll_interval, next_poll_at from feeds") == [{"poll_interval": 3 * 3600, "next_poll_at": at(hours=3)}]
