"""export warc → import into an empty archive → export warc again: the same captures, articles, aliases,
versions and timestamps, field by field, on a crawled archive with every kind of capture (tests/crawled_archive.py);
a window or a source exported alone imports as that slice."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from bench.snapshot import snapshot
from scraper.cli import main

from .crawled_archive import T, CrawledArchive


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def records(path: Path) -> list[tuple]:
    """Each record as a reader sees it, without what differs by construction (record ids, warcinfo date)."""
    out = []
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            headers = record.rec_headers
            body = record.content_stream().read()
            if record.rec_type == "warcinfo":
                continue
            out.append((record.rec_type, headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"),
                        headers.get_header("WARC-Profile"), headers.get_header("WARC-Payload-Digest"),
                        headers.get_header("WARC-Refers-To-Target-URI"), headers.get_header("WARC-Refers-To-Date"),
                        record.http_headers.to_str() if record.http_headers else None,
                        json.loads(body) if record.rec_type == "metadata" else body))
    return out


def test_the_scenario_has_every_kind_of_capture(crawled_archive: CrawledArchive) -> None:
    state = snapshot(crawled_archive.db)
    kinds = {(c["status"], c["error"]) for c in state["captures"]}
    assert {(200, None), (304, None), (404, "http-404"), (301, "http-301"), (None, "blocked-ssrf")} <= kinds
    assert [v["reverts_to"] for v in state["versions"] if v["article"].endswith("/news/edit")] == [None, None, 1]
    assert {a["kind"] for a in state["aliases"]} >= {"feed", "redirect"}
    assert [r["url"].rsplit("/", 1)[1] for r in state["requisites"]] == [
        "serif.woff2", "paper.png", "photo.png", "fonts.css", "site.css"]
    same = [c for c in state["captures"] if (c["article"] or "").endswith("/news/same") and c["status"] == 200]
    assert [c["body"] is not None for c in same] == [True, True, True, True]  # same bytes, body stored once


def test_export_import_export_keeps_everything_field_by_field(crawled_archive: CrawledArchive, tmp_path: Path) -> None:
    first, copy, second = tmp_path / "first.warc.gz", tmp_path / "copy.db", tmp_path / "second.warc.gz"
    out = run("export", "warc", str(first), "--db", str(crawled_archive.db))
    assert "revisits (6 not modified)" in out  # 3 rechecks of each page that sends an ETag
    out = run("import", str(first), "--db", str(copy), "--sources", str(crawled_archive.sources))
    original, imported = snapshot(crawled_archive.db), snapshot(copy)
    for table in original:
        assert imported[table] == original[table], table
    assert f"captures: {len(original['captures'])} imported" in out
    run("export", "warc", str(second), "--db", str(copy))
    assert records(second) == records(first)


def test_importing_twice_changes_nothing(crawled_archive: CrawledArchive, tmp_path: Path) -> None:
    warc, copy = tmp_path / "a.warc.gz", tmp_path / "copy.db"
    run("export", "warc", str(warc), "--db", str(crawled_archive.db))
    run("import", str(warc), "--db", str(copy), "--sources", str(crawled_archive.sources))
    before = snapshot(copy)
    out = run("import", str(warc), "--db", str(copy), "--sources", str(crawled_archive.sources))
    assert f"captures: 0 imported" in out and f"duplicate {len(before['captures'])}" in out
    assert snapshot(copy) == before


def test_a_window_imports_as_that_slice(crawled_archive: CrawledArchive, tmp_path: Path) -> None:
    warc, copy = tmp_path / "window.warc.gz", tmp_path / "window.db"
    run("export", "warc", str(warc), "--db", str(crawled_archive.db), "--since", T[1], "--until", T[3])
    run("import", str(warc), "--db", str(copy), "--sources", str(crawled_archive.sources))
    original, sliced = snapshot(crawled_archive.db, since=T[1], until=T[3]), snapshot(copy)
    requisites = [c for c in snapshot(crawled_archive.db, until=T[1])["captures"] if c["article"] is None]
    key = ("article", "url", "fetched_at", "status", "headers", "error", "content_hash")
    assert [{k: c[k] for k in key} for c in sliced["captures"]] == [{k: c[k] for k in key} for c in requisites + original["captures"]]
    # each version the window shows, numbered and dated within the slice
    for article in {c["article"] for c in original["captures"] if c["article"]}:
        shown = [c for c in original["captures"] if c["article"] == article and c["content_hash"]]
        hashes = list(dict.fromkeys(c["content_hash"] for c in shown))
        versions = [v for v in sliced["versions"] if v["article"] == article]
        assert [v["content_hash"] for v in versions] == hashes, article
        for version in versions:
            times = [c["fetched_at"] for c in shown if c["content_hash"] == version["content_hash"]]
            assert (version["first_seen_at"], version["last_seen_at"]) == (times[0], times[-1])
    # the window shows the edit (T2) and the revert (T3): in the slice the revert is no return to an earlier version
    assert [v["reverts_to"] for v in sliced["versions"] if v["article"].endswith("/news/edit")] == [None, None]
    assert [r["url"] for r in sliced["requisites"]] == [r["url"] for r in original["requisites"]]


def test_a_source_imports_as_that_slice(crawled_archive: CrawledArchive, tmp_path: Path) -> None:
    warc, copy = tmp_path / "wire.warc.gz", tmp_path / "wire.db"
    run("export", "warc", str(warc), "--db", str(crawled_archive.db), "--source", "wire")
    run("import", str(warc), "--db", str(copy), "--sources", str(crawled_archive.sources))
    original, sliced = snapshot(crawled_archive.db), snapshot(copy)
    for table in ("captures", "articles", "versions", "aliases"):
        wire = [row for row in original[table] if "/wire/" in (row.get("article") or row.get("url") or "")]
        assert sliced[table] == wire, table
    assert sliced["requisites"] == []
    warc, copy = tmp_path / "daily.warc.gz", tmp_path / "daily.db"
    run("export", "warc", str(warc), "--db", str(crawled_archive.db), "--source", "daily")
    run("import", str(warc), "--db", str(copy), "--sources", str(crawled_archive.sources))
    assert snapshot(copy)["requisites"] == original["requisites"]  # the stylesheets its articles use come along
