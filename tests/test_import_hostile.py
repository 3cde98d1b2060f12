"""Import of hostile or broken WARCs (issue 19, items 2 and 6): record by record, a bad record is skipped with a
counted reason and every valid one goes in; a record or body that is not whole is a failed `truncated` capture,
never a version; a broken file is one line naming the file and the byte."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from io import BytesIO
from pathlib import Path

import brotli
import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive import Archive
from scraper.cli import main

from .pages import article_html, paragraphs
from .test_extraction_limits import HEAVY

T1, T2, T3 = "2024-05-03T10:00:00Z", "2024-05-03T12:00:00Z", "2024-05-03T14:00:00Z"
PAGE = article_html("Council passes budget", paragraphs(41, 4)).encode()
EDITED = article_html("Council passes amended budget", paragraphs(41, 4) + ["A late correction."]).encode()
OTHER = article_html("Harbour storm closes bridge", paragraphs(42, 4)).encode()
A, B, C = "https://news.test/a", "https://news.test/b", "https://news.test/c"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def response(uri: str, body: bytes, date: str, headers: list[tuple[str, str]] | None = None,
             status: str = "200 OK") -> tuple[str, str, bytes, list[tuple[str, str]], str]:
    return uri, date, body, [("Content-Type", "text/html; charset=utf-8"), *(headers or [])], status


def write_warc(path: Path, *records: tuple, compress: bool = False, extra: list | None = None) -> Path:
    """A WARC of responses; ``extra`` are (type, uri, content type, payload) records written after them."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for uri, date, body, headers, status in records:
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=BytesIO(body), warc_headers_dict={"WARC-Date": date},
                http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1")))
        for kind, uri, content_type, payload in extra or []:
            writer.write_record(writer.create_warc_record(uri, kind, payload=BytesIO(payload), length=len(payload),
                                                          warc_content_type=content_type, warc_headers_dict={"WARC-Date": T1}))
    return path


def captures(db: Path) -> list[tuple]:
    with Archive(db, readonly=True) as archive:
        return [tuple(r.values()) for r in archive.db.query(
            "select a.url as article, c.url, c.status, c.error, v.version from captures_full c left join articles a"
            " on a.id = c.article_id left join versions v on v.id = c.version_id order by c.fetched_at, c.id")]


def titles(db: Path) -> list[tuple]:
    with Archive(db, readonly=True) as archive:
        return [tuple(r.values()) for r in archive.db.query(
            "select a.url, v.version, v.title from versions v join articles a on a.id = v.article_id order by a.url, v.version")]


def lie_about_length(data: bytes, index: int, by: int) -> bytes:
    """The WARC Content-Length of response number ``index`` made ``by`` bytes smaller (or larger)."""
    matches = [m for m in re.finditer(rb"WARC-Type: response\r\n(?:.*\r\n)*?Content-Length: (\d+)\r\n", data)]
    match = matches[index]
    declared = int(match.group(1))
    return data[:match.start(1)] + str(declared - by).encode() + data[match.end(1):]


# -- framing: a record that is not whole, a file that breaks ---------------------------------------------------


def test_a_record_whose_content_length_is_short_is_a_failed_capture_and_the_next_record_goes_in(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "w.warc", response(A, PAGE, T1), response(A, EDITED, T2), response(B, OTHER, T3))
    warc.write_bytes(lie_about_length(warc.read_bytes(), 1, 1000))
    db = tmp_path / "a.db"
    code, out, err = run("import", str(warc), "--db", str(db))
    assert code == 1
    assert out == ("records: 3 read; captures: 3 imported (2 new, 0 updated, 0 unchanged, 1 failed; 0 without an"
                   " article); articles: 2 new; skipped: none\n")
    [line] = err.splitlines()
    offset = [m.start() for m in re.finditer(rb"WARC/1\.[01]\r\n", warc.read_bytes())][1]
    assert line.startswith(f"Error: {warc}: record at byte {offset} ({A}) is not whole: Content-Length says")
    assert line.endswith("kept as a failed 'truncated' capture")
    assert titles(db) == [(A, 1, "Council passes budget"), (B, 1, "Harbour storm closes bridge")]  # no fake edit
    assert captures(db) == [(A, A, 200, None, 1), (A, A, 200, "truncated", None), (B, B, 200, None, 1)]


def test_a_record_whose_content_length_is_too_long_swallows_nothing(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "w.warc", response(A, PAGE, T1), response(C, OTHER, T2), response(B, OTHER, T3))
    warc.write_bytes(lie_about_length(warc.read_bytes(), 1, -400))  # reaches into the next record's header
    db = tmp_path / "a.db"
    code, out, err = run("import", str(warc), "--db", str(db))
    assert code == 1 and "is not whole: Content-Length says" in err
    assert [c[1:4] for c in captures(db)] == [(A, 200, None), (C, 200, "truncated"), (B, 200, None)]


def test_a_gzip_member_whose_record_lies_about_its_length_is_skipped_whole(tmp_path: Path) -> None:
    plain = write_warc(tmp_path / "w.warc", response(A, PAGE, T1), response(A, EDITED, T2), response(B, OTHER, T3))
    data = lie_about_length(plain.read_bytes(), 1, 1000)
    starts = [m.start() for m in re.finditer(rb"WARC/1\.[01]\r\n", data)]
    members = [gzip.compress(data[s:e]) for s, e in zip(starts, [*starts[1:], len(data)])]
    warc = tmp_path / "w.warc.gz"
    warc.write_bytes(b"".join(members))
    db = tmp_path / "a.db"
    code, _, err = run("import", str(warc), "--db", str(db))
    assert code == 1 and f"record at byte {len(members[0])} ({A}) is not whole: Content-Length says" in err
    assert titles(db) == [(A, 1, "Council passes budget"), (B, 1, "Harbour storm closes bridge")]


def test_a_whole_file_gzipped_is_refused_with_the_fix(tmp_path: Path) -> None:
    plain = write_warc(tmp_path / "w.warc", response(A, PAGE, T1), response(B, OTHER, T2))
    warc = tmp_path / "w.warc.gz"
    warc.write_bytes(gzip.compress(plain.read_bytes()))
    code, out, err = run("import", str(warc), "--db", str(tmp_path / "a.db"))
    assert code == 1 and out.startswith("records: 0 read; captures: 0 imported")
    assert err == (f"Error: {warc}: broken at byte 0 (several records in one gzip member (was the whole file gzipped?);"
                   f" run `warcio recompress FILE OUT.warc.gz` and import OUT.warc.gz); nothing after it was read\n")


def test_bytes_that_are_no_record_between_records_are_reported_and_skipped(tmp_path: Path) -> None:
    first = write_warc(tmp_path / "1.warc.gz", response(A, PAGE, T1), compress=True).read_bytes()
    second = write_warc(tmp_path / "2.warc.gz", response(B, OTHER, T2), compress=True).read_bytes()
    warc = tmp_path / "w.warc.gz"
    warc.write_bytes(first + b"<html>junk</html>" + second)
    db = tmp_path / "a.db"
    code, _, err = run("import", str(warc), "--db", str(db))
    assert code == 1
    assert err == (f"Error: {warc}: broken at byte {len(first)} (not a gzip member: the bytes here are not a WARC record);"
                   f" resumed at byte {len(first) + 17}\n")
    assert [t[0] for t in titles(db)] == [A, B]


# -- bodies that are not whole ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name, payload, headers", [
    ("gzip cut in half", gzip.compress(EDITED)[: len(gzip.compress(EDITED)) // 2], [("Content-Encoding", "gzip")]),
    ("deflate cut in half", zlib.compress(EDITED)[: len(zlib.compress(EDITED)) // 2], [("Content-Encoding", "deflate")]),
    ("brotli cut in half", brotli.compress(EDITED)[: len(brotli.compress(EDITED)) // 2], [("Content-Encoding", "br")]),
    ("shorter than its Content-Length", EDITED[: len(EDITED) // 2], [("Content-Length", str(len(EDITED)))]),
    ("chunked without its last chunk", b"%x\r\n%s\r\n" % (len(EDITED) // 2, EDITED[: len(EDITED) // 2]),
     [("Transfer-Encoding", "chunked")]),
])
def test_a_body_that_is_not_whole_never_becomes_a_version(tmp_path: Path, name: str, payload: bytes,
                                                          headers: list[tuple[str, str]]) -> None:
    warc = write_warc(tmp_path / "w.warc.gz", response(A, PAGE, T1), response(A, payload, T2, headers),
                      response(B, OTHER, T3), compress=True)
    db = tmp_path / "a.db"
    code, out, err = run("import", str(warc), "--db", str(db))
    assert (code, err) == (0, ""), name
    assert "captures: 3 imported (2 new, 0 updated, 0 unchanged, 1 failed; 0 without an article)" in out, name
    assert captures(db) == [(A, A, 200, None, 1), (A, A, 200, "truncated", None), (B, B, 200, None, 1)], name


def test_a_body_that_decompresses_whole_is_a_version(tmp_path: Path) -> None:
    payload = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (gzip.compress(EDITED), b"")) 
    warc = write_warc(tmp_path / "w.warc.gz", response(A, PAGE, T1),
                      response(A, payload, T2, [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]), compress=True)
    db = tmp_path / "a.db"
    assert run("import", str(warc), "--db", str(db))[0] == 0
    assert titles(db) == [(A, 1, "Council passes budget"), (A, 2, "Council passes amended budget")]


# -- bad records: skipped, counted; the rest goes in -----------------------------------------------------------


def test_records_with_a_bad_target_uri_or_date_are_skipped_and_counted(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "w.warc.gz", response("http://[::1/x", PAGE, T1), response(A, PAGE, "9999-01-01T00:00:00Z"),
                      response(A, PAGE, "1970-01-01T00:00:00Z"), response(A, PAGE, T2), response(B, OTHER, T3), compress=True)
    db = tmp_path / "a.db"
    code, out, err = run("import", str(warc), "--db", str(db))
    assert (code, err) == (0, "")
    assert out == ("records: 5 read; captures: 2 imported (2 new, 0 updated, 0 unchanged, 0 failed; 0 without an"
                   " article); articles: 2 new; skipped: bad-date 2, bad-uri 1\n")
    assert [t[0] for t in titles(db)] == [A, B]


@pytest.mark.parametrize("kind, payload", [
    ("capture", {"article_url": A, "status": "200", "headers": {}, "error": None, "version": 1, "body": True}),
    ("capture", {"article_url": A, "status": 200, "headers": {"Date": 5}, "error": None, "version": 1, "body": True}),
    ("capture", {"article_url": 5, "status": 200, "headers": {}, "error": None, "version": None, "body": True}),
    ("version", {"article_url": A, "version": "1", "text": "x"}),
    ("version", {"article_url": A, "version": 1, "text": "x", "authors": "[5]"}),
    ("article", {"url": A, "source": "daily", "first_seen_at": T1, "aliases": [{"url": 5, "kind": "feed"}]}),
    ("article", [1, 2, 3]),
])
def test_our_metadata_with_fields_of_the_wrong_type_is_skipped_and_the_page_still_goes_in(
        tmp_path: Path, kind: str, payload: object) -> None:
    content_type = f"application/vnd.newsarchive.{kind}+json"
    warc = write_warc(tmp_path / "w.warc.gz", response(A, PAGE, T1), response(B, OTHER, T2), compress=True,
                      extra=[("metadata", "metadata://newsarchive/" + A, content_type, json.dumps(payload).encode())])
    db = tmp_path / "a.db"
    code, out, err = run("import", str(warc), "--db", str(db))
    assert (code, err) == (0, "")
    assert "captures: 2 imported (2 new, 0 updated, 0 unchanged, 0 failed; 0 without an article)" in out
    assert out.endswith("skipped: bad-metadata 1\n")
    assert [t[0] for t in titles(db)] == [A, B]


def test_a_record_over_the_size_cap_is_skipped_and_a_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 8_000_000)
    warc = write_warc(tmp_path / "w.warc.gz", response(A, PAGE + b"<!--" + b"x" * 3_000_000 + b"-->", T1),
                      response(C, bomb, T2, [("Content-Encoding", "gzip")]), response(B, OTHER, T3), compress=True)
    db = tmp_path / "a.db"
    code, out, err = run("import", str(warc), "--db", str(db), "--max-size", "1000000")
    assert (code, err) == (0, "")
    assert out == ("records: 3 read; captures: 2 imported (1 new, 0 updated, 0 unchanged, 0 failed; 1 without an"
                   " article); articles: 1 new; skipped: too-large 1\n")
    assert captures(db) == [(None, C, 200, "too-large", None), (B, B, 200, None, 1)]


def test_extraction_is_bounded_in_time_and_the_import_goes_on(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "w.warc.gz", response(C, HEAVY, T1), response(B, OTHER, T2), compress=True)
    db = tmp_path / "a.db"
    code, out, err = run("import", str(warc), "--db", str(db), "--extract-timeout", "1")
    assert (code, err) == (0, "")
    assert captures(db) == [(None, C, 200, "extract-timeout", None), (B, B, 200, None, 1)]
