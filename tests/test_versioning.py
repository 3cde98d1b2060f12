"""The version decision and content normalisation (pure functions), and the Archive's write path."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import Archive, Capture, DiscoveredLink, Extraction, Outcome, decide
from archive.content import content_hash, normalise


@pytest.mark.parametrize(
    "latest,new,failure,outcome,reason",
    [
        (None, "sha256:a", None, Outcome.NEW, None),
        ("sha256:a", "sha256:a", None, Outcome.UNCHANGED, None),
        ("sha256:a", "sha256:b", None, Outcome.UPDATED, None),
        ("sha256:a", None, "paywall", Outcome.FAILED, "paywall"),
        (None, None, "http-404", Outcome.FAILED, "http-404"),
        ("sha256:a", None, None, Outcome.FAILED, "no-article"),
        ("sha256:a", "sha256:b", "challenge", Outcome.FAILED, "challenge"),
    ],
)
def test_decide(latest, new, failure, outcome, reason) -> None:
    decision = decide(latest, new, failure)
    assert (decision.outcome, decision.reason) == (outcome, reason)


@pytest.mark.parametrize(
    "one,other",
    [
        ("A  story\n\nabout  things", "A story about things"),
        ("Caf\u0065\u0301 opens", "Caf\u00e9 opens"),  # NFD vs NFC
        ("\ufb01nal word", "final word"),  # ligature (NFKC)
        ("non\u00a0breaking space", "non breaking space"),
        ("  trailing\t", "trailing"),
    ],
)
def test_whitespace_and_unicode_only_differences_hash_equal(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)
    assert content_hash(Extraction(text=one, title="T")) == content_hash(Extraction(text=other, title="T"))


def test_title_and_text_changes_hash_differently() -> None:
    base = content_hash(Extraction(text="Body text.", title="Title"))
    assert content_hash(Extraction(text="Body text!", title="Title")) != base
    assert content_hash(Extraction(text="Body text.", title="Title 2")) != base
    # metadata is not content: a new author or date alone is not a version
    assert content_hash(Extraction(text="Body text.", title="Title", author="X", modified_at="2024-01-01T00:00:00Z")) == base


def _capture(at: str, body: bytes = b"<html>x</html>") -> Capture:
    return Capture(url="https://example.com/a", fetched_at=at, status=200, headers={"Content-Type": "text/html"}, body=body)


def test_archive_write_path(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        [article_id] = archive.record_feed_poll("https://example.com/rss", "ex", status=200, etag='"v1"',
                                                links=[DiscoveredLink("https://example.com/a")]).new_ids
        v1 = Extraction(text="First text.", title="T")
        assert archive.record_capture(article_id, _capture("2024-01-01T00:00:00Z"), v1).outcome is Outcome.NEW
        assert archive.record_capture(article_id, _capture("2024-01-02T00:00:00Z", b"other bytes"), v1).outcome is Outcome.UNCHANGED
        failed = archive.record_capture(article_id, _capture("2024-01-03T00:00:00Z", b"stub"), None, "paywall")
        assert failed.outcome is Outcome.FAILED
        v2 = Extraction(text="Second text.", title="T")
        assert archive.record_capture(article_id, _capture("2024-01-04T00:00:00Z"), v2).outcome is Outcome.UPDATED
        versions = list(archive.db.query("select version, first_seen_at, last_seen_at from versions order by version"))
        assert versions == [
            {"version": 1, "first_seen_at": "2024-01-01T00:00:00Z", "last_seen_at": "2024-01-02T00:00:00Z"},
            {"version": 2, "first_seen_at": "2024-01-04T00:00:00Z", "last_seen_at": "2024-01-04T00:00:00Z"},
        ]
        captures = list(archive.db.query("select version_id, error, body is null as shared from captures order by id"))
        assert captures == [
            {"version_id": 1, "error": None, "shared": 0},
            {"version_id": 1, "error": None, "shared": 0},
            {"version_id": None, "error": "paywall", "shared": 0},
            {"version_id": 2, "error": None, "shared": 1},  # same bytes as the first capture: stored once
        ]
        assert archive.capture_body(4) == b"<html>x</html>"
        article = archive.article(article_id)
        assert (article["versions"], article["latest_version"], article["last_checked_at"], article["last_error"]) == (
            2, 2, "2024-01-04T00:00:00Z", None)
        assert archive.feed("https://example.com/rss")["etag"] == '"v1"'
        assert [m["name"] for m in archive.db.query("select name from _migrations")][0] == "0001_initial_schema"
        assert archive.db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_failed_poll_keeps_validators_and_links(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        archive.record_feed_poll("https://e.com/rss", "ex", status=200, etag='"v1"', links=[DiscoveredLink("https://e.com/a")])
        archive.record_feed_poll("https://e.com/rss", "ex", status=500, error="http-500")
        feed = archive.feed("https://e.com/rss")
        assert (feed["etag"], feed["last_status"], feed["last_error"], feed["entries"]) == ('"v1"', 500, "http-500", 1)
        assert [a["url"] for a in archive.articles_to_fetch()] == ["https://e.com/a"]


def test_fts_index_follows_versions(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        [aid] = archive.record_feed_poll("https://e.com/rss", "ex", status=200, links=[DiscoveredLink("https://e.com/a")]).new_ids
        archive.record_capture(aid, _capture("2024-01-01T00:00:00Z"), Extraction(text="The harbour bridge reopened.", title="Bridge"))
        hits = list(archive.db.query("select rowid from versions_fts where versions_fts match 'harbour'"))
        assert hits == [{"rowid": 1}]
