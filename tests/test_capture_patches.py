"""Unchanged checks keep their headers as a merge patch on the article's last full capture (figure 5b)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import Archive
from archive.header_patch import dumps, merge_patch
from archive.model import Capture
from archive.warc_export import export_warc

from .conftest import crawl, rows, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T0, T1, T2 = "2024-05-03T10:00:00Z", "2024-05-03T10:15:00Z", "2024-05-03T10:30:00Z"
FULL = {"Content-Length": "5120", "Content-Type": "text/html", "Date": "Fri, 03 May 2024 10:00:00 GMT",
        "Etag": '"v1"', "Last-Modified": "Fri, 03 May 2024 09:00:00 GMT", "Server": "nginx"}


@pytest.mark.parametrize("headers", [
    FULL,
    {**FULL, "Date": "Fri, 03 May 2024 10:15:00 GMT", "Content-Length": "0"},
    {"Date": "Fri, 03 May 2024 10:15:00 GMT", "Etag": '"v1"'},  # 304: most headers gone
    {**FULL, "X-Cache": "HIT", "Via": "1.1 varnish"},  # new headers
    {},
    {"Set-Cookie": 'a=1; Path=/, b="x"', "Content-Type": "text/html; charset=utf-8"},
])
def test_sqlite_json_patch_restores_the_headers_from_the_merge_patch(headers: dict[str, str]) -> None:
    patch = merge_patch(FULL, headers)
    conn = sqlite3.connect(":memory:")
    [patched] = conn.execute("select json_patch(?, ?)", [dumps(FULL), dumps(patch)]).fetchone()
    assert json.loads(patched) == headers


@pytest.fixture
def one_article(site: LocalSite, tmp_path: Path) -> Path:
    page = article_html("Council approves budget", paragraphs(1)).encode()
    site.set("/news/story", page, headers={"ETag": '"v1"', "Last-Modified": "Fri, 03 May 2024 09:00:00 GMT"})
    site.set("/rss.xml", rss([{"title": "Budget", "link": site.url("/news/story")}]), content_type="application/rss+xml")
    return sources_for(site, tmp_path, {"daily": ["/rss.xml"]})


def test_a_304_stores_only_what_differs_and_the_view_restores_it(site: LocalSite, one_article: Path, db_path: Path) -> None:
    crawl(db_path, one_article, now=T0)
    crawl(db_path, one_article, now=T1)  # 304
    stored = rows(db_path, "select id, url, status, headers, headers_base from captures order by id")
    full = rows(db_path, "select id, url, status, headers, headers_base from captures_full order by id")
    assert [(c["status"], c["headers_base"]) for c in stored] == [(200, None), (304, 1)]
    assert stored[1]["url"] is None  # the base's URL
    patch = json.loads(stored[1]["headers"])
    assert "Etag" not in patch and "Server" not in patch  # the same as the base's
    assert patch["Content-Type"] is None and patch["Last-Modified"] is None  # headers the 304 did not send
    assert len(stored[1]["headers"]) < len(full[1]["headers"])

    assert full[1]["url"] == full[0]["url"] == site.url("/news/story")
    sent = json.loads(full[1]["headers"])
    assert sent["Etag"] == '"v1"' and sent["Server"] == json.loads(full[0]["headers"])["Server"]
    assert "Content-Type" not in sent and "Last-Modified" not in sent and sent["Date"] == patch["Date"]
    assert full[0] == {**stored[0], "headers": json.dumps(json.loads(stored[0]["headers"]), separators=(",", ":"))}


def test_the_warc_export_writes_a_check_with_its_full_headers(site: LocalSite, one_article: Path, db_path: Path, tmp_path: Path) -> None:
    crawl(db_path, one_article, now=T0)
    crawl(db_path, one_article, now=T1)  # 304
    with Archive(db_path) as archive:
        export_warc(archive, tmp_path / "out.warc.gz")
    with (tmp_path / "out.warc.gz").open("rb") as handle:
        records = [(r, r.content_stream().read()) for r in ArchiveIterator(handle)]
    responses = [r for r, _ in records if r.rec_type in ("response", "revisit")]
    # The 304 is a revisit whose header block replays (issue 16: pywb shows a 304 block as an empty page):
    # the response it confirmed, updated by the 304's headers. The 304's own headers, in full, are in its
    # capture metadata record.
    assert [r.http_headers.get_statuscode() for r in responses] == ["200", "200"]
    check = responses[1]
    assert check.rec_headers.get_header("WARC-Target-URI") == site.url("/news/story")
    assert check.rec_headers.get_header("WARC-Profile").endswith("/revisit/server-not-modified")
    capture = next(json.loads(body) for r, body in records if r.rec_type == "metadata"
                   and r.rec_headers.get_header("WARC-Concurrent-To") == check.rec_headers.get_header("WARC-Record-ID")
                   and r.rec_headers.get_header("Content-Type").endswith("capture+json"))
    assert capture["status"] == 304
    sent = capture["headers"]
    assert sent["Etag"] == '"v1"'
    assert sent["Server"].startswith("BaseHTTP")
    assert "Content-Type" not in sent
    assert check.http_headers.get_header("ETag") == '"v1"' and check.http_headers.get_header("Date") == sent["Date"]
    assert check.http_headers.get_header("Content-Type") == responses[0].http_headers.get_header("Content-Type")


def test_a_capture_whose_patch_would_not_be_shorter_keeps_its_headers_in_full(site: LocalSite, one_article: Path, db_path: Path) -> None:
    crawl(db_path, one_article, now=T0)
    [first] = rows(db_path, "select headers from captures")
    with Archive(db_path) as archive:  # a timeout: no response, no headers ("{}" beats a patch of nulls)
        archive.record_capture(1, Capture(site.url("/news/story"), T1, None, {}), None, "timeout")
        again = {**json.loads(first["headers"]), "Date": "x"}  # the next check patches the 200, not the timeout
        archive.record_capture(1, Capture(site.url("/news/moved"), T2, 304, again), None)
    captures = rows(db_path, "select status, url, headers, headers_base, error from captures order by id")
    assert captures[1] == {"status": None, "url": site.url("/news/story"), "headers": "{}", "headers_base": None,
                           "error": "timeout"}
    assert captures[2]["headers_base"] == 1 and captures[2]["url"] == site.url("/news/moved")  # not the base's URL


def test_migrating_an_archive_keeps_its_captures_and_makes_url_nullable(db_path: Path) -> None:
    with Archive(db_path) as archive:
        archive.db.execute(
            "insert into articles (url, source, status, first_seen_at, versions, latest_version)"
            " values ('https://example.com/e', 'daily', 'archived', ?, 0, 0)", [T0])
        archive.db.execute("drop view captures_full")
        archive.db.execute("drop index captures_full_headers")
        archive.db.execute("alter table captures drop column headers_base")
        archive.db.execute("delete from _migrations where name = '0009_capture_patches'")
        sql = archive.db.execute("select sql from sqlite_master where name = 'captures'").fetchone()[0]
        archive.db.execute("drop table captures")  # as 0001 created it: url NOT NULL
        archive.db.execute(sql.replace('"url" TEXT,', '"url" TEXT NOT NULL,'))
        archive.db.execute("insert into captures (article_id, url, fetched_at, status, headers)"
                           " values (1, 'https://example.com/e', ?, 200, ?)", [T0, json.dumps(FULL)])
        archive.db.conn.commit()
        with pytest.raises(sqlite3.IntegrityError):
            archive.db.execute("insert into captures (article_id, url, fetched_at) values (1, null, ?)", [T1])

    with Archive(db_path) as archive:
        assert archive.db.execute("pragma integrity_check").fetchone()[0] == "ok"
        archive.db.execute("insert into captures (article_id, url, fetched_at, status, headers, headers_base)"
                           " values (1, null, ?, 304, ?, 1)", [T2, dumps({"Content-Type": None, "Date": "x"})])
        restored = list(archive.db.query("select url, headers from captures_full order by id"))
    assert restored[0] == {"url": "https://example.com/e", "headers": json.dumps(FULL)}
    assert restored[1]["url"] == "https://example.com/e"
    assert json.loads(restored[1]["headers"]) == {k: v for k, v in FULL.items() if k != "Content-Type"} | {"Date": "x"}
