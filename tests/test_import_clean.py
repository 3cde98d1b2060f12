"""Clean import of a WARC recorded by wget (the real `wget --warc-file`, of a site on 127.0.0.1): only the pages
that extract as articles become articles; the home page, the section page, the stylesheet, robots.txt and the
redirect are kept as captures without an article (exported again, never in search); `--source` files the new
articles under a configured source, which crawls then recheck; nothing gets a next check no crawl honours."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive import Archive
from scraper.cli import main

from .conftest import crawl, rows, write_sources
from .pages import article_html, paragraphs, rss
from .server import LocalSite

HOME = (b'<html><head><title>The Daily Test</title><link rel="stylesheet" href="/site.css"></head><body>'
        b'<h1>Front page</h1><a href="/news/">News</a> <a href="/news/tram">Tram</a> <a href="/old">Old</a>'
        b"<p>Welcome, zebra readers.</p></body></html>")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def recorded(site: LocalSite, tmp_path: Path) -> Path:
    """The site as `wget --recursive --page-requisites --warc-file` recorded it."""
    if shutil.which("wget") is None:
        pytest.skip("wget is not installed (.ci/run installs it)")
    site.set("/", HOME)
    site.set("/news/", b'<html><body><h2>News</h2><a href="/news/tram">Tram</a> <a href="/news/bridge">Bridge</a></body></html>')
    site.set("/news/tram", article_html("Tram line opens", paragraphs(61, 5)).encode())
    site.set("/news/bridge", article_html("Bridge closes for repairs", paragraphs(62, 5)).encode())
    site.set("/old", b"", status=301, headers={"Location": "/news/bridge"})
    site.set("/site.css", b"body { color: black }", content_type="text/css")
    site.set("/rss.xml", rss([{"title": "Tram", "link": site.url("/news/tram")}]), content_type="application/rss+xml")
    done = subprocess.run(["wget", "--warc-file", str(tmp_path / "site"), "--recursive", "--level", "2", "--page-requisites",
                           "--no-verbose", "--delete-after", "-P", str(tmp_path / "mirror"), site.url("/")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return tmp_path / "site.warc.gz"


def test_a_wget_warc_gives_articles_only_for_the_pages_that_are_articles(site: LocalSite, recorded: Path, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.toml",
                            f'[[source]]\nname = "city"\nfeeds = ["{site.url("/rss.xml")}"]\ndelay = 0\n')
    db = tmp_path / "imported.db"
    code, out, err = run("import", str(recorded), "--db", str(db), "--source", "city", "--sources", str(sources))
    assert (code, err) == (0, "")
    # wget fetches /news/bridge twice (by the redirect and by the link): the same capture when both fall in one
    # second ("duplicate 1"); how many requests it records, and whether the two fall apart, varies with its timing
    assert re.fullmatch(r"records: \d+ read; captures: [78] imported \(2 new, 0 updated, [01] unchanged, 0 failed;"
                        r" 5 without an article\); articles: 2 new; skipped: (?:duplicate 1, )?metadata 1, request \d+,"
                        r" resource 2, warcinfo 1\n", out), out
    kept = {(r["url"].removeprefix(site.base), r["article"] is not None, r["status"], r["error"]) for r in rows(
        db, "select c.url, c.article_id as article, c.status, c.error from captures_full c")}
    assert kept == {("/", False, 200, "no-article"), ("/news/", False, 200, "no-article"), ("/robots.txt", False, 200, None),
                    ("/site.css", False, 200, None), ("/old", False, 301, None), ("/news/tram", True, 200, None),
                    ("/news/bridge", True, 200, None)}
    articles = rows(db, "select a.url, a.source, a.discovered_via, a.entry_source, u.kind, a.next_check_at is not null as due"
                        " from articles a join article_urls u on u.article_id = a.id order by a.url")
    assert [(a["url"].removeprefix(site.base), a["source"], a["discovered_via"], a["entry_source"], a["kind"], a["due"])
            for a in articles] == [("/news/bridge", "city", "import", "import", "import", 1),
                                   ("/news/tram", "city", "import", "import", "import", 1)]
    assert json.loads(run("search", "zebra", "--db", str(db), "--json")[1]) == []  # the home page is no article
    assert [r["url"] for r in json.loads(run("search", "tram", "--db", str(db), "--json")[1])] == [site.url("/news/tram")]

    warc = tmp_path / "again.warc.gz"
    assert run("export", "warc", str(warc), "--db", str(db))[0] == 0
    with open(warc, "rb") as handle:
        exported = {(r.rec_type, r.rec_headers.get_header("WARC-Target-URI").removeprefix(site.base)) for r in ArchiveIterator(handle)
                    if r.rec_type in ("response", "revisit")}
    assert {("response", "/site.css"), ("response", "/old"), ("response", "/")} <= exported

    site.requests.clear()
    crawl(db, sources, "--recheck", "all")  # a later crawl of the source rechecks what was imported under it
    assert site.hits("/news/tram") == 1 and site.hits("/news/bridge") == 1


def test_without_a_configured_source_imported_articles_are_never_scheduled(recorded: Path, tmp_path: Path) -> None:
    db = tmp_path / "imported.db"
    assert run("import", str(recorded), "--db", str(db), "--sources", str(tmp_path / "none.toml"))[0] == 2
    code, _, _ = run("import", str(recorded), "--db", str(db))  # (no sources.toml in the import's sources: none)
    assert code == 0
    with Archive(db, readonly=True) as archive:
        assert [tuple(r.values()) for r in archive.db.query("select source, next_check_at from articles")] == [
            ("import", None), ("import", None)]
    stats = json.loads(run("stats", "--db", str(db), "--json")[1])
    assert [(row["source"], row["articles"], row["next_due"]) for row in stats] == [("import", 2, None), (None, 2, None)]


def test_import_source_must_be_a_configured_source(recorded: Path, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.toml", '[[source]]\nname = "city"\nfeeds = ["https://city.test/rss"]\n')
    code, out, err = run("import", str(recorded), "--db", str(tmp_path / "a.db"), "--source", "town", "--sources", str(sources))
    assert (code, out) == (2, "")
    assert err == (f"Error: --source 'town' is not a source in {sources}; add it there so crawls recheck its articles,"
                   " or leave --source out (new articles are then filed under 'import', never rechecked)\n")
