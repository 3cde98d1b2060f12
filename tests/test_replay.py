"""The export read and replayed by the tools archivists use: warcio, cdxj-indexer, pywb (``wayback`` on
127.0.0.1), py-wacz. Every capture of the crawled archive (tests/crawled_archive.py) replays — the newest, each
304 recheck, each identical-payload revisit — with the text of the version it belongs to."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive, EntryHints
from archive.content import content_hash
from bench.wayback import BIN, Wayback, timestamp
from scraper.cli import main
from scraper.extraction import extract_article

from .crawled_archive import PNG, STYLE, T, CrawledArchive


@pytest.fixture(scope="module")
def wayback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wayback]:
    server = Wayback(tmp_path_factory.mktemp("pywb")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def exported(crawled_archive: CrawledArchive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "news.warc.gz"
    result = CliRunner().invoke(main, ["export", "warc", str(out), "--db", str(crawled_archive.db)])
    assert result.exit_code == 0, result.stderr
    return out


def expected_replays(db: Path) -> list[dict]:
    """Per capture that got a response: what a replay must serve (a 304's: the response it confirmed)."""
    with Archive(db, readonly=True) as archive:
        rows = list(archive.db.query(
            "select c.id, c.article_id, c.url, c.fetched_at, c.status, c.body_hash, v.content_hash"
            " from captures_full c left join versions v on v.id = c.version_id where c.status is not null order by c.id"))
        for row in rows:
            shown = row["id"]
            if row["status"] == 304:
                shown = archive.db.execute(
                    "select id from captures where article_id = ? and id < ? and body_hash is not null and version_id"
                    " is not null order by id desc limit 1", [row["article_id"], row["id"]]).fetchone()[0]
            row["body"] = archive.capture_body(shown) or b""
    return rows


def test_warcio_check_and_index_and_cdxj_indexer_read_every_record(exported: Path) -> None:
    check = subprocess.run([str(BIN / "warcio"), "check", "-v", str(exported)], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout and "digest fail" not in check.stdout
    index = subprocess.run([str(BIN / "warcio"), "index", "-f", "warc-type,warc-profile", str(exported)],
                           capture_output=True, text=True, timeout=120)
    types = [json.loads(line) for line in index.stdout.splitlines()]
    profiles = {row.get("warc-profile", "").rsplit("/", 1)[-1] for row in types if row["warc-type"] == "revisit"}
    assert profiles == {"identical-payload-digest", "server-not-modified"}
    cdxj = subprocess.run([sys.executable, "-m", "cdxj_indexer.main", str(exported)], capture_output=True, text=True, timeout=120)
    assert cdxj.returncode == 0, cdxj.stderr
    entries = [json.loads(line.split(" ", 2)[2]) for line in cdxj.stdout.splitlines()]
    assert sum(e.get("mime") == "warc/revisit" for e in entries) == sum(row["warc-type"] == "revisit" for row in types)


def test_pywb_replays_every_capture_with_the_text_of_its_version(crawled_archive: CrawledArchive, exported: Path,
                                                                   wayback: Wayback) -> None:
    wayback.add("news", exported)
    replayed = {"304": 0, "identical": 0, "newest": 0, "requisite": 0}
    captures = expected_replays(crawled_archive.db)
    newest = {row["article_id"]: row["id"] for row in captures}
    bodies: set[str] = set()
    for row in captures:
        status, body = wayback.get("news", row["fetched_at"], row["url"])
        assert (status, body) == (200 if row["status"] == 304 else row["status"], row["body"]), row
        if row["content_hash"] is not None:  # the page replays as the version it showed
            extraction = extract_article(body, row["url"], hints=EntryHints()).extraction
            assert extraction is not None and content_hash(extraction) == row["content_hash"], row
        replayed["304"] += row["status"] == 304
        replayed["identical"] += row["body_hash"] is not None and row["body_hash"] in bodies  # an identical-payload revisit
        bodies.add(row["body_hash"])
        replayed["newest"] += newest[row["article_id"]] == row["id"] and row["article_id"] is not None
        replayed["requisite"] += row["article_id"] is None
    # 304s: 3 rechecks of 2 pages; same bytes: 3 of /news/same, 3 of the redirect's target, the revert and its recheck
    assert replayed == {"304": 6, "identical": 8, "newest": 7, "requisite": 5}


def test_pywb_replays_an_article_with_its_stylesheet_image_and_font(crawled_archive: CrawledArchive, exported: Path,
                                                                     wayback: Wayback) -> None:
    wayback.add("styled", exported)
    page = crawled_archive.url("/news/etag")
    status, html = wayback.get("styled", T[3], page, mode="mp_")
    assert status == 200
    stylesheet = f"/styled/{timestamp(T[3])}cs_/{crawled_archive.url('/static/site.css')}".encode()
    assert stylesheet in html  # pywb rewrote the link to its own copy
    assert wayback.get("styled", T[3], crawled_archive.url("/static/site.css")) == (200, STYLE)
    assert wayback.get("styled", T[3], crawled_archive.url("/img/photo.png")) == (200, PNG)
    status, font = wayback.get("styled", T[3], crawled_archive.url("/fonts/serif.woff2"))
    assert status == 200 and font.startswith(b"wOF2")


def test_export_wacz_validates_and_replays_in_pywb(crawled_archive: CrawledArchive, wayback: Wayback, tmp_path: Path) -> None:
    out = tmp_path / "news.wacz"
    result = CliRunner().invoke(main, ["export", "wacz", str(out), "--db", str(crawled_archive.db)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{out}: 6 pages; 1 WARC file(s): ")  # the articles with a version and result.stdout.endswith("; valid\n")
    validate = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(out)], capture_output=True, text=True, timeout=120)
    assert validate.returncode == 0 and "Validation succeeded, the passed WACZ is valid" in validate.stdout
    with zipfile.ZipFile(out) as wacz:
        assert sorted(wacz.namelist()) == ["archive/data.warc.gz", "datapackage-digest.json", "datapackage.json",
                                           "indexes/index.cdx.gz", "indexes/index.idx", "pages/pages.jsonl"]
        header, *pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
        package = json.loads(wacz.read("datapackage.json"))
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}
    assert all(resource["hash"].startswith("sha256:") for resource in package["resources"])
    with Archive(crawled_archive.db, readonly=True) as archive:
        latest = {row["text"]: row["title"] for row in archive.db.query(
            "select v.title, v.text from versions v join articles a on a.id = v.article_id and v.version = a.latest_version")}
    assert {page["text"]: page["title"] for page in pages} == latest
    wayback.add("packed", out, wacz=True)
    for page in pages:
        status, body = wayback.get("packed", page["ts"], page["url"])
        extraction = extract_article(body, page["url"], hints=EntryHints()).extraction
        assert status == 200 and extraction is not None and extraction.text == page["text"], page["url"]
