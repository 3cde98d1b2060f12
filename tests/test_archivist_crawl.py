"""End to end: a real crawl (subprocess) → export warc → import into an empty archive gives the same history."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from archive import Archive
from scraper.cli import main

from .conftest import crawl, sources_for
from .pages import article_html, noisy, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
T2 = "2024-05-03T12:00:00Z"
T3 = "2024-05-03T14:00:00Z"


def history(db: Path) -> tuple[list[tuple], list[tuple]]:
    with Archive(db, readonly=True) as archive:
        versions = [tuple(r.values()) for r in archive.db.query(
            "select a.url, a.source, v.version, v.content_hash, v.first_seen_at, v.last_seen_at from versions v"
            " join articles a on a.id = v.article_id order by a.url, v.version")]
        captures = [tuple(r.values()) for r in archive.db.query(
            "select a.url, c.url, c.fetched_at, c.status, c.error, c.body_hash is not null from captures c"
            " join articles a on a.id = c.article_id order by c.fetched_at, a.url")]
    return versions, captures


def test_crawled_archive_round_trips_through_warc(site: LocalSite, tmp_path: Path) -> None:
    static = article_html("Static story", paragraphs(11)).encode()
    noisy_page = article_html("Noisy story", paragraphs(12), noise="{noise}")
    site.set("/news/static", static)
    site.set("/news/noisy", lambda: noisy(noisy_page))
    site.set("/news/edited", article_html("Edited story", paragraphs(13)).encode())
    site.set("/news/gone", article_html("Gone soon", paragraphs(14)).encode())
    links = ["/news/static", "/news/noisy", "/news/edited", "/news/gone"]
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in links]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"local": ["/rss.xml"]})
    db = tmp_path / "crawled.db"
    crawl(db, sources, now=T1)
    site.set("/news/edited", article_html("Edited story, corrected", paragraphs(13) + ["Correction: a date."]).encode())
    site.set("/news/gone", b"gone", status=404)
    crawl(db, sources, "--recheck", "all", now=T2)
    crawl(db, sources, "--recheck", "all", now=T3)

    warc = tmp_path / "crawl.warc.gz"
    export = CliRunner().invoke(main, ["export", "warc", str(warc), "--db", str(db)])
    assert export.exit_code == 0, export.stderr
    # static: 1 response + 2 revisits; noisy: 3 responses; edited: 2 + a revisit; gone: 1 + two 404s (no body kept).
    # + a capture record per capture (12), an article record per article (4)
    assert export.stdout.endswith(": 9 responses, 3 revisits (0 not modified), 12 requests, 21 metadata;"
                                  " 0 fetches without a response as metadata only\n")
    copy = tmp_path / "copy.db"
    imported = CliRunner().invoke(main, ["import", str(warc), "--db", str(copy)])
    assert imported.exit_code == 0, imported.stderr
    original_versions, original_captures = history(db)
    copy_versions, copy_captures = history(copy)
    assert copy_versions == original_versions
    assert [c[:5] for c in copy_captures] == [c[:5] for c in original_captures]
    assert [(v[0].rsplit("/", 1)[1], v[2]) for v in original_versions] == [
        ("edited", 1), ("edited", 2), ("gone", 1), ("noisy", 1), ("static", 1)]
