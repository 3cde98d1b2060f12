"""Storing metadata: migration 0005 columns, authors as JSON, and the site-wide "last update" rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import Archive, Capture
from archive.model import Extraction

T1 = "2024-05-03T10:00:00Z"
TEXT = "Body of the article, long enough to be an article in this unit test. " * 5


def _extraction(title: str, **fields: object) -> Extraction:
    return Extraction(text=TEXT + title, title=title, **fields)  # type: ignore[arg-type]


def _store(archive: Archive, url: str, extraction: Extraction, source: str = "daily") -> int:
    article_id = archive.add_article(url, source)
    archive.record_capture(article_id, Capture(url=url, fetched_at=T1, status=200, body=url.encode()), extraction)
    return article_id


def _updates(archive: Archive) -> list[tuple]:
    return [tuple(row.values()) for row in archive.db.query(
        "select a.url, v.modified_at, v.modified_source, v.modified_precision from versions v"
        " join articles a on a.id = v.article_id order by a.url")]


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    with Archive(tmp_path / "archive.db") as opened:
        yield opened


def test_new_columns_store_sources_precision_offsets_and_authors_as_json(archive: Archive) -> None:
    extraction = _extraction(
        "Council vote", author="Jane Doe; John Smith", authors=("Jane Doe", "John Smith"), author_source="json-ld",
        title_source="meta", published_at="2024-03-12", published_source="text", published_precision="day",
        modified_at="2024-03-13T08:12:00Z", modified_source="json-ld", modified_precision="second", modified_offset="+01:00",
    )
    _store(archive, "https://a.example/1", extraction)
    [row] = archive.db.query(
        "select title_source, author, authors, author_source, published_at, published_precision, published_offset,"
        " modified_at, modified_precision, modified_offset from versions")
    assert row == {
        "title_source": "meta", "author": "Jane Doe; John Smith", "authors": '["Jane Doe", "John Smith"]',
        "author_source": "json-ld", "published_at": "2024-03-12", "published_precision": "day", "published_offset": None,
        "modified_at": "2024-03-13T08:12:00Z", "modified_precision": "second", "modified_offset": "+01:00",
    }
    assert json.loads(row["authors"]) == ["Jane Doe", "John Smith"]
    assert "0005_metadata" in [name for name, in archive.db.execute("select name from _migrations order by name")]


def test_metadata_only_change_creates_no_version(archive: Archive) -> None:
    article_id = _store(archive, "https://a.example/1", _extraction("Same", authors=("Jane Doe",), author="Jane Doe"))
    changed = _extraction("Same", authors=("John Smith",), author="John Smith", modified_at="2024-04-01T00:00:00Z",
                          modified_source="json-ld", modified_precision="second")
    decision = archive.record_capture(article_id, Capture(url="https://a.example/1", fetched_at="2024-05-04T00:00:00Z",
                                                          status=200, body=b"x"), changed)
    assert decision.outcome.value == "unchanged"
    assert list(archive.db.query("select count(*) n, authors from versions")) == [{"n": 1, "authors": '["Jane Doe"]'}]


def test_visible_update_shared_by_pages_of_a_source_is_dropped_everywhere(archive: Archive) -> None:
    sitewide = dict(modified_at="2024-03-01T01:47:00Z", modified_source="text", modified_precision="minute")
    _store(archive, "https://a.example/1", _extraction("One", **sitewide))
    assert _updates(archive) == [("https://a.example/1", "2024-03-01T01:47:00Z", "text", "minute")]
    _store(archive, "https://a.example/2", _extraction("Two", **sitewide))
    _store(archive, "https://a.example/3", _extraction("Three", **sitewide))
    _store(archive, "https://b.example/1", _extraction("Other source", **sitewide), source="weekly")
    assert _updates(archive) == [
        ("https://a.example/1", None, None, None),
        ("https://a.example/2", None, None, None),
        ("https://a.example/3", None, None, None),
        ("https://b.example/1", "2024-03-01T01:47:00Z", "text", "minute"),
    ]


@pytest.mark.parametrize(
    "first,second,kept",
    [
        # structured update times are the CMS's per-article field, even when equal
        (dict(modified_source="json-ld", modified_precision="second"), dict(modified_source="json-ld", modified_precision="second"), True),
        # two articles updated on the same day: one shared day is no evidence of a site-wide line
        (dict(modified_source="text", modified_precision="day"), dict(modified_source="text", modified_precision="day"), True),
        (dict(modified_source="text", modified_precision="minute"), dict(modified_source="text", modified_precision="minute"), False),
    ],
)
def test_sitewide_rule_needs_visible_text_and_enough_evidence(archive: Archive, first: dict, second: dict, kept: bool) -> None:
    moment = "2024-03-01" if first["modified_precision"] == "day" else "2024-03-01T01:47:00Z"
    _store(archive, "https://a.example/1", _extraction("One", modified_at=moment, **first))
    _store(archive, "https://a.example/2", _extraction("Two", modified_at=moment, **second))
    assert [row[1] for row in _updates(archive)] == ([moment, moment] if kept else [None, None])


def test_crawl_stores_metadata_and_drops_a_sitewide_last_update(site, tmp_path: Path, db_path: Path) -> None:
    from .conftest import crawl, rows, sources_for
    from .pages import FIXTURES, rss

    seed = (FIXTURES / "seed-article.html").read_text().replace("{token}", "t").replace("{ad}", "ad")
    second = seed.replace("Iran, Pakistan Defense Officials", "Iran, Turkey Trade Officials").replace(
        "Iranian Deputy Defense Minister", "Iranian Deputy Trade Minister")
    site.set("/en/1", seed.encode())
    site.set("/en/2", second.encode())
    site.set("/rss.xml", rss([{"title": "one", "link": site.url("/en/1")}]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"newsroom": ["/rss.xml"]})
    crawl(db_path, sources, now=T1)
    [first] = rows(db_path, "select title_source, authors, author_source, published_at, published_precision,"
                            " modified_at, modified_source, modified_precision, modified_offset from versions")
    assert first == {
        "title_source": "meta", "authors": '["Nigar Bayramli"]', "author_source": "byline",
        "published_at": "2023-06-17", "published_precision": "day",
        "modified_at": "2024-03-01T01:47:00Z", "modified_source": "text", "modified_precision": "minute", "modified_offset": None,
    }
    # a second page of the same source shows the same "Last update": it is the site's, not the articles'
    site.set("/rss.xml", rss([{"title": "two", "link": site.url("/en/2")}]), content_type="application/rss+xml")
    crawl(db_path, sources, now="2024-05-03T12:00:00Z")
    assert rows(db_path, "select version, modified_at, modified_source from versions order by id") == [
        {"version": 1, "modified_at": None, "modified_source": None},
        {"version": 1, "modified_at": None, "modified_source": None},
    ]
    assert rows(db_path, "select source, modified_at from sitewide_updates") == [
        {"source": "newsroom", "modified_at": "2024-03-01T01:47:00Z"}]


def test_migration_0005_upgrades_an_archive_of_the_earlier_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archive import migrations

    path = tmp_path / "old.db"
    with monkeypatch.context() as patched:
        before_0005 = [name for name, _ in migrations.MIGRATIONS].index("0005_metadata")
        patched.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before_0005])
        with Archive(path) as old:
            old_id = old.add_article("https://a.example/old", "daily")
            old.db["versions"].insert({"article_id": old_id, "version": 1, "content_hash": "sha256:x", "first_seen_at": T1,
                                       "last_seen_at": T1, "text": "old", "author": "Jane Doe"})
    with Archive(path) as upgraded:
        assert "0005_metadata" in {row["name"] for row in upgraded.db.query("select name from _migrations")}
        [row] = upgraded.db.query("select author, authors, author_source, published_precision from versions")
        assert row == {"author": "Jane Doe", "authors": None, "author_source": None, "published_precision": None}
        _store(upgraded, "https://a.example/new", _extraction("New", authors=("Ann Lee",), author="Ann Lee"))
        assert [r["authors"] for r in upgraded.db.query("select authors from versions order by id")] == [None, '["Ann Lee"]']
        assert "sitewide_updates" in upgraded.db.table_names()
