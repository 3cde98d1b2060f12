"""Which article a page is: section canonicals, canonicals shared by different articles, a canonical that 404s."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from archive import Archive, Capture, Extraction, Outcome
from archive import migrations
from archive.content import content_hash
from scraper.canonical import declared_aliases, is_section_of
from scraper.extraction.sanitize import load_page

from .conftest import crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T0 = "2024-05-03T10:00:00Z"


@pytest.mark.parametrize("canonical, page, section", [
    ("/", "/news/a", True),
    ("/duengebehoerde/news", "/duengebehoerde/news/2019/neue-verordnung", True),
    ("/news/", "/news/story", True),
    ("/news/story", "/news/story/amp", False),
    ("/news/story", "/news/story/2", False),
    ("/story-123", "/news/world/2024/story-123", False),
    ("/news/story", "/news/story", False),
])
def test_section_paths(canonical: str, page: str, section: bool) -> None:
    assert is_section_of(canonical, page) is section


def test_a_section_declared_as_canonical_is_not_an_alias() -> None:
    head = '<link rel="canonical" href="/duengebehoerde/news"><meta property="og:url" content="/duengebehoerde/news">'
    tree = load_page(f"<html><head>{head}</head><body><p>x</p></body></html>".encode())
    assert declared_aliases(tree, "https://amt.example/duengebehoerde/news/2019/neue-verordnung") == []


def _capture(url: str, when: str, canonical: str | None) -> Capture:
    aliases = ((canonical, "canonical"),) if canonical else ()
    return Capture(url, when, 200, {"Content-Type": "text/html"}, f"<p>{url}</p>".encode(), aliases=aliases)


def test_one_canonical_declared_by_different_articles_merges_and_renames_nothing(tmp_path: Path) -> None:
    shared = "https://site.example/news/article"
    with Archive(tmp_path / "a.db") as archive:
        ids = [archive.add_article(f"https://site.example/2024/story-{n}", "site") for n in range(3)]
        for n, article_id in enumerate(ids):
            text = " ".join(paragraphs(n))
            decision = archive.record_capture(article_id, _capture(f"https://site.example/2024/story-{n}", T0, shared),
                                              Extraction(text=text, title=f"Story {n}"))
            assert decision.outcome is Outcome.NEW
        assert [r["url"] for r in archive.db.query("select url from articles order by id")] == [
            f"https://site.example/2024/story-{n}" for n in range(3)]
        assert archive.db.execute("select count(*) from versions").fetchone()[0] == 3
        assert [r["url"] for r in archive.db.query("select url from shared_canonicals")] == [shared]
        assert archive.article_by_url(shared) is None


def test_the_same_article_under_two_urls_still_joins(tmp_path: Path) -> None:
    canonical = "https://site.example/2024/story"
    text = " ".join(paragraphs(1))
    with Archive(tmp_path / "a.db") as archive:
        first = archive.add_article(canonical, "site")
        archive.record_capture(first, _capture(canonical, T0, None), Extraction(text=text, title="Story"))
        second = archive.add_article("https://site.example/2024/story?share=1&ref=x", "site")
        edited = text + " Update: the mayor objected."
        decision = archive.record_capture(second, _capture("https://site.example/2024/story?share=1&ref=x", T0, canonical),
                                          Extraction(text=edited, title="Story"))
        assert decision.outcome is Outcome.UPDATED
        assert archive.db.execute("select count(*) from articles").fetchone()[0] == 1


def test_a_canonical_that_404s_never_makes_a_working_article_gone(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    page = article_html("Council approves budget", paragraphs(2)).replace(
        "</head>", f'<link rel="canonical" href="{site.url("/moved/council-budget")}"></head>')
    site.set("/news/council-budget", page.encode())
    site.set("/rss.xml", rss([{"title": "Budget", "link": site.url("/news/council-budget")}]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, now=T0)
    for hour in (1, 2, 3, 4):
        result = crawl(db_path, sources, "--recheck", "all", now=f"2024-05-03T1{hour}:00:00Z")
        assert "0 failed" in result.stdout, result.stdout
    [article] = rows(db_path, "select url, fetch_url, status, gone_at, missing_checks, versions from articles")
    assert article == {"url": site.url("/moved/council-budget"), "fetch_url": site.url("/news/council-budget"),
                       "status": "archived", "gone_at": None, "missing_checks": 0, "versions": 1}
    assert site.hits("/moved/council-budget") == 0


def test_migration_0018_makes_texts_nfc_and_the_next_recheck_makes_no_version(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    decomposed = "Cafe\u0301 owners welcome the plan. " + " ".join(paragraphs(3))
    with Archive(path) as archive:
        article_id = archive.add_article("https://site.example/cafe", "site")
        archive.record_capture(article_id, _capture("https://site.example/cafe", T0, None),
                               Extraction(text="placeholder", title="Cafe\u0301s"))
        archive.db.execute("update versions set text = ?, title = ?, content_hash = ?", [
            decomposed, "Cafe\u0301s", content_hash(Extraction(text=decomposed, title="Cafe\u0301s"))])
        archive.db.execute("delete from _migrations where name = '0018_nfc_texts'")
    db = sqlite_utils.Database(path)
    assert db.execute("select text from versions").fetchone()[0] == decomposed
    db.close()
    with Archive(path) as archive:
        title, text = archive.db.execute("select title, text from versions").fetchone()
        assert (title, text[:11]) == ("Caf\u00e9s", "Caf\u00e9 owners")
        assert "0018_nfc_texts" in {r["name"] for r in archive.db.query("select name from _migrations")}
        hits = list(archive.db.query("select rowid from versions_fts where versions_fts match 'Café'"))
        assert len(hits) == 1
        # a recheck now extracts the NFC text
        recheck = archive.record_capture(article_id, _capture("https://site.example/cafe", "2024-05-03T11:00:00Z", None),
                                         Extraction(text=text, title=title))
        assert recheck.outcome is Outcome.UNCHANGED
        assert archive.db.execute("select count(*) from versions").fetchone()[0] == 1
    assert [name for name, _ in migrations.MIGRATIONS].index("0018_nfc_texts") > 0
