"""Per-source boilerplate learned from the archive's own articles (archive/templates.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import Archive, Capture, Extraction, Outcome
from archive.templates import MIN_ARTICLES, line_key

from .conftest import crawl, rows, sources_for
from .pages import paragraphs, rss
from .server import LocalSite

NEWSLETTER = "Sign up for our morning newsletter and never miss a story."
T0 = "2024-05-03T10:00:00Z"


def store(archive: Archive, n: int, text: str, *, title: str | None = None, when: str = T0, source: str = "site"):
    url = f"https://site.example/2024/story-{n}"
    article_id = archive.article_by_url(url)["id"] if archive.article_by_url(url) else archive.add_article(url, source)
    capture = Capture(url, when, 200, {"Content-Type": "text/html"}, f"<p>{n} {when}</p>".encode())
    return article_id, archive.record_capture(article_id, capture, Extraction(text=text, title=title or f"Story {n}"))


def body(n: int, *extra: str) -> str:
    return "\n".join([*paragraphs(n, 4), *extra])


def stored_text(archive: Archive, article_id: int) -> str:
    return archive.latest_version(article_id)["text"]


def test_a_line_many_articles_share_is_kept_out_once_learned(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        ids = [store(archive, n, body(n, NEWSLETTER))[0] for n in range(MIN_ARTICLES + 1)]
        assert all(NEWSLETTER in stored_text(archive, i) for i in ids[:MIN_ARTICLES])
        assert NEWSLETTER not in stored_text(archive, ids[MIN_ARTICLES])
        assert stored_text(archive, ids[MIN_ARTICLES]) == body(MIN_ARTICLES)
        # the first article rechecked: same page, now known boilerplate filtered -> no version
        _, decision = store(archive, 0, body(0, NEWSLETTER), when="2024-05-03T11:00:00Z")
        assert decision.outcome is Outcome.UNCHANGED
        # a real edit of it makes a version, without the boilerplate
        _, decision = store(archive, 0, body(0, "Update: the mayor objected.", NEWSLETTER), when="2024-05-03T12:00:00Z")
        assert decision.outcome is Outcome.UPDATED
        assert stored_text(archive, ids[0]) == body(0, "Update: the mayor objected.")


def test_other_sources_do_not_teach_each_other(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        for n in range(MIN_ARTICLES):
            store(archive, n, body(n, NEWSLETTER), source="other")
        article_id, _ = store(archive, 9, body(9, NEWSLETTER), source="site")
        assert NEWSLETTER in stored_text(archive, article_id)


def test_another_articles_title_in_a_text_is_a_teaser(tmp_path: Path) -> None:
    title = "Bridge closed after the storm damaged its pillars"
    with Archive(tmp_path / "a.db") as archive:
        store(archive, 1, body(1), title=title)
        article_id, _ = store(archive, 2, body(2, title))
        assert title not in stored_text(archive, article_id)
        assert archive.latest_version(1 if article_id != 1 else 2)["title"] == title


def test_wire_copy_under_several_urls_keeps_its_text(tmp_path: Path) -> None:
    wire = body(5)
    with Archive(tmp_path / "a.db") as archive:
        ids = [store(archive, n, wire)[0] for n in range(MIN_ARTICLES + 2)]
        assert all(stored_text(archive, i) == wire for i in ids)


def test_long_lines_are_neither_counted_nor_removed(tmp_path: Path) -> None:
    long_line = "A paragraph long enough to be the article's own. " * 8
    with Archive(tmp_path / "a.db") as archive:
        ids = [store(archive, n, body(n, long_line))[0] for n in range(MIN_ARTICLES + 1)]
        assert long_line.strip() in stored_text(archive, ids[-1])
        counted = archive.db.execute("select count(*) from source_lines where line_key = ?", [line_key(long_line)])
        assert counted.fetchone()[0] == 0


@pytest.mark.parametrize("a, b", [("Sign up  now!", "sign up now!"), ("Cafe\u0301", "Caf\u00e9")])
def test_line_keys_ignore_case_space_and_unicode_form(a: str, b: str) -> None:
    assert line_key(a) == line_key(b)


def test_a_crawl_learns_a_sources_template_and_rechecks_make_no_versions(site: LocalSite, tmp_path: Path,
                                                                         db_path: Path) -> None:
    def page(n: int, promo: str, render: int = 0) -> bytes:
        paras = "".join(f"<p>{p}</p>" for p in paragraphs(n, 4))
        return (f"<html><head><title>Story {n}</title><meta name='request-id' content='{render}'></head>"
                f"<body><article><h1>Story {n}</h1>{paras}"
                f"<p>{promo}</p></article></body></html>").encode()

    count = MIN_ARTICLES + 2
    for n in range(count):
        site.set(f"/news/{n}", page(n, NEWSLETTER))
    site.set("/rss.xml", rss([{"title": f"S{n}", "link": site.url(f"/news/{n}")} for n in range(count)]),
             content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, now=T0)
    texts = [r["text"] for r in rows(db_path, "select text from versions order by article_id")]
    assert sum(NEWSLETTER in text for text in texts) == MIN_ARTICLES  # learned after three articles carried it
    for n in range(count):  # re-rendered: new bytes, so every page is extracted again
        site.set(f"/news/{n}", page(n, NEWSLETTER, render=1))
    result = crawl(db_path, sources, "--recheck", "all", now="2024-05-03T11:00:00Z")
    assert f"articles: 0 new, 0 updated, {count} unchanged" in result.stdout
    assert rows(db_path, "select count(*) as n from captures where body is not null")[0]["n"] == 2 * count
