"""export jsonl/json/warc and import: exact records, WARC read back with warcio, round trip, foreign and broken WARCs."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive import Archive
from archive.atomicio import atomic_output
from archive.warc_meta import ARTICLE_TYPE, CAPTURE_TYPE, TYPES
from scraper.cli import main

from .archivist import PAGE_A1, PAGE_A2, PAGE_B1, T1, T2, T3, URL_A, URL_B, archive_file, build_archive  # noqa: F401
from .pages import article_html, paragraphs


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def versions(db: Path) -> list[tuple]:
    with Archive(db, readonly=True) as archive:
        return [tuple(row.values()) for row in archive.db.query(
            "select a.url, a.source, v.version, v.content_hash, v.first_seen_at, v.last_seen_at, v.title"
            " from versions v join articles a on a.id = v.article_id order by a.url, v.version")]


def captures(db: Path) -> list[tuple]:
    with Archive(db, readonly=True) as archive:
        return [tuple(row.values()) for row in archive.db.query(
            "select a.url, c.fetched_at, c.status, c.error, v.version from captures c join articles a on a.id = c.article_id"
            " left join versions v on v.id = c.version_id order by c.fetched_at, a.url")]


# -- JSON ---------------------------------------------------------------------------------------------


def test_export_jsonl_one_object_per_version_with_stable_names(archive_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.jsonl"
    code, _, err = run("export", "jsonl", str(out), "--db", str(archive_file))
    assert (code, err) == (0, f"{out}: 3 versions\n")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert list(rows[0]) == [
        "article_id", "url", "source", "status", "article_first_seen_at", "discovered_via", "version", "content_hash",
        "first_seen_at", "last_seen_at", "reverts_to", "title", "title_source", "author", "authors", "author_source",
        "description", "sitename", "language", "published_at", "published_source", "published_precision",
        "published_offset", "modified_at", "modified_source", "modified_precision", "modified_offset", "text"]
    assert [(r["url"], r["version"], r["first_seen_at"], r["last_seen_at"], r["title"]) for r in rows] == [
        (URL_A, 1, T1, T2, "Council passes budget"),
        (URL_A, 2, T3, T3, "Council passes amended budget"),
        (URL_B, 1, T1, T1, "Harbour storm closes bridge"),
    ]
    assert rows[0]["source"] == "daily" and rows[0]["status"] == "archived" and rows[0]["content_hash"].startswith("sha256:")
    assert not list(tmp_path.glob("*.partial"))


def test_export_jsonl_to_stdout_with_filters(archive_file: Path) -> None:
    code, out, _ = run("export", "jsonl", "-", "--db", str(archive_file), "--source", "daily", "--since", "2024-05-04")
    assert code == 0
    assert [(r["url"], r["version"]) for r in map(json.loads, out.splitlines())] == [(URL_A, 2)]
    code, out, _ = run("export", "jsonl", "-", "--db", str(archive_file), "--until", T1)
    assert (code, out) == (0, "")


def test_export_json_one_object_per_article(archive_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    code, _, err = run("export", "json", str(out), "--db", str(archive_file))
    assert (code, err) == (0, f"{out}: 2 articles\n")
    articles = json.loads(out.read_text())
    assert [(a["url"], a["source"], [v["version"] for v in a["versions"]]) for a in articles] == [
        (URL_A, "daily", [1, 2]), (URL_B, "wire", [1])]
    assert "url" not in articles[0]["versions"][0] and articles[0]["versions"][1]["title"] == "Council passes amended budget"
    code, out_text, _ = run("export", "json", "-", "--db", str(archive_file), "--source", "nobody")
    assert (code, json.loads(out_text)) == (0, [])


# -- WARC export ----------------------------------------------------------------------------------------


def read_warc(path: Path) -> list[dict]:
    records = []
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            headers = record.rec_headers
            records.append({
                "type": record.rec_type,
                "date": headers.get_header("WARC-Date"),
                "uri": headers.get_header("WARC-Target-URI"),
                "id": headers.get_header("WARC-Record-ID"),
                "concurrent": headers.get_header("WARC-Concurrent-To"),
                "refers_to": (headers.get_header("WARC-Refers-To"), headers.get_header("WARC-Refers-To-Target-URI"),
                              headers.get_header("WARC-Refers-To-Date")),
                "profile": headers.get_header("WARC-Profile"),
                "meta": TYPES.get(headers.get_header("Content-Type") or "") if record.rec_type == "metadata" else None,
                "digest": headers.get_header("WARC-Payload-Digest"),
                "version": headers.protocol,
                "http": record.http_headers,
                "body": record.content_stream().read(),
            })
    return records


def test_export_warc_records_dates_digests_and_revisits(archive_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSARCHIVE_NOW", "2024-06-01T00:00:00Z")
    out = tmp_path / "news.warc.gz"
    code, stdout, _ = run("export", "warc", str(out), "--db", str(archive_file))
    assert code == 0
    assert stdout == (f"{out}: 4 responses, 1 revisits (0 not modified), 5 requests, 10 metadata;"
                      " 0 fetches without a response as metadata only\n")
    assert sorted(p.name for p in tmp_path.iterdir() if "warc" in p.name) == ["news.warc.gz"]
    records = read_warc(out)
    meta_a, meta_b = "metadata://newsarchive/" + URL_A, "metadata://newsarchive/" + URL_B
    assert [(r["type"], r["date"], r["uri"], r["meta"]) for r in records] == [
        ("warcinfo", "2024-06-01T00:00:00Z", None, None),
        ("response", T1, URL_A, None), ("request", T1, URL_A, None),
        ("metadata", T1, meta_a, "article"), ("metadata", T1, meta_a, "version"), ("metadata", T1, meta_a, "capture"),
        ("response", T1, URL_B, None), ("request", T1, URL_B, None),
        ("metadata", T1, meta_b, "article"), ("metadata", T1, meta_b, "version"), ("metadata", T1, meta_b, "capture"),
        ("revisit", T2, URL_A, None), ("request", T2, URL_A, None), ("metadata", T2, meta_a, "capture"),
        ("response", T3, URL_A, None), ("request", T3, URL_A, None),
        ("metadata", T3, meta_a, "version"), ("metadata", T3, meta_a, "capture"),
        ("response", T3, URL_B, None), ("request", T3, URL_B, None), ("metadata", T3, meta_b, "capture"),
    ]
    assert {r["version"] for r in records} == {"WARC/1.1"}
    first, revisit, edited, missing = records[1], records[11], records[14], records[18]
    assert first["body"] == PAGE_A1 and edited["body"] == PAGE_A2 and records[6]["body"] == PAGE_B1
    assert first["http"].statusline == "200 OK" and first["http"].get_header("Content-Length") == str(len(PAGE_A1))
    assert first["http"].get_header("Content-Encoding") is None
    assert first["http"].get_header("Content-Type") == "text/html; charset=utf-8"
    assert revisit["profile"] == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert revisit["refers_to"] == (first["id"], URL_A, T1) and revisit["digest"] == first["digest"]
    assert (missing["http"].statusline, missing["body"]) == ("404 Not Found", b"")
    for response, request in [(1, 2), (6, 7), (11, 12), (14, 15), (18, 19)]:
        assert records[request]["concurrent"] == records[response]["id"]
        assert records[request]["http"].protocol == "GET"
    metadata = json.loads(records[16]["body"])
    assert records[16]["concurrent"] == edited["id"]
    assert (metadata["article_url"], metadata["source"], metadata["version"], metadata["title"]) == (
        URL_A, "daily", 2, "Council passes amended budget")
    capture = json.loads(records[20]["body"])  # the stored status, headers and failure, as they were
    assert records[20]["concurrent"] == missing["id"]
    assert capture == {"article_url": URL_B, "status": 404, "headers": {"Content-Type": "text/html"}, "error": "http-404",
                       "version": None, "body": False, "requisite": None}
    assert json.loads(records[5]["body"])["headers"] == {"Content-Type": "text/html; charset=utf-8",
                                                         "Content-Encoding": "gzip", "Content-Length": "999"}
    article = json.loads(records[3]["body"])
    assert (article["url"], article["source"], article["first_seen_at"], article["discovered_via"]) == (
        URL_A, "daily", T1, "manual")
    assert article["aliases"] == [{"url": URL_A, "kind": "manual", "first_seen_at": T1}]


def test_export_warc_window_and_source(archive_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "part.warc"
    code, _, _ = run("export", "warc", str(out), "--db", str(archive_file), "--since", T2, "--source", "daily")
    assert code == 0
    records = read_warc(out)
    # The T1 original is outside the window, so the T2 capture is written in full (not as a revisit) and
    # carries version 1's metadata record.
    assert [(r["type"], r["date"], r["meta"]) for r in records[1:]] == [
        ("response", T2, None), ("request", T2, None), ("metadata", T2, "article"), ("metadata", T2, "version"),
        ("metadata", T2, "capture"), ("response", T3, None), ("request", T3, None), ("metadata", T3, "version"),
        ("metadata", T3, "capture")]
    assert [json.loads(r["body"])["version"] for r in records if r["meta"] in ("version", "capture")] == [1, 1, 2, 2]


def test_export_warc_rotates_at_max_size(archive_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "news.warc.gz"
    code, stdout, _ = run("export", "warc", str(out), "--db", str(archive_file), "--max-size", "1")
    assert code == 0
    names = ["news.warc.gz", *(f"news-{i:05d}.warc.gz" for i in range(1, 5))]
    assert sorted(p.name for p in tmp_path.iterdir() if "warc" in p.name) == sorted(names)
    assert stdout.startswith(", ".join(str(tmp_path / n) for n in names) + ": ")
    per_file = [[r["type"] for r in read_warc(tmp_path / n)] for n in names]
    assert per_file[0] == ["warcinfo", "response", "request", "metadata", "metadata", "metadata"]
    assert per_file[2] == ["warcinfo", "revisit", "request", "metadata"]


def test_export_warc_indexes_with_cdxj_indexer(archive_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "news.warc.gz"
    assert run("export", "warc", str(out), "--db", str(archive_file))[0] == 0
    index = subprocess.run([sys.executable, "-m", "cdxj_indexer.main", str(out)], capture_output=True, text=True, timeout=60)
    assert index.returncode == 0, index.stderr
    lines = index.stdout.splitlines()
    entries = [(line.split(" ")[0], line.split(" ")[1], json.loads(line.split(" ", 2)[2])) for line in lines]
    responses = [(key, stamp, e["status"], e.get("mime")) for key, stamp, e in entries if e.get("mime") != "warc/revisit"
                 and "status" in e]
    assert ("test,news)/politics/budget", "20240503100000", "200", "text/html") in responses
    assert ("test,wire)/story/harbour", "20240504093000", "404", "text/html") in responses
    assert any(e.get("mime") == "warc/revisit" and stamp == "20240503120000" for _, stamp, e in entries)


def test_atomic_output_leaves_nothing_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.warc.gz"
    with pytest.raises(RuntimeError):
        with atomic_output(target, suffix=".open") as handle:
            handle.write(b"half")
            assert (tmp_path / "out.warc.gz.open").exists() and not target.exists()
            raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


# -- import ----------------------------------------------------------------------------------------------


def test_round_trip_export_then_import_gives_the_same_articles_and_versions(archive_file: Path, tmp_path: Path) -> None:
    warc = tmp_path / "news.warc.gz"
    assert run("export", "warc", str(warc), "--db", str(archive_file))[0] == 0
    copy = tmp_path / "copy.db"
    code, out, err = run("import", str(warc), "--db", str(copy))
    assert (code, err) == (0, "")
    assert out == ("records: 21 read; captures: 5 imported (2 new, 1 updated, 1 unchanged, 1 failed; 0 without an"
                   " article); articles: 2 new; skipped: request 5, warcinfo 1\n")
    assert versions(copy) == versions(archive_file)
    assert captures(copy) == captures(archive_file)
    code, out, _ = run("import", str(warc), "--db", str(copy))
    assert code == 0 and "captures: 0 imported" in out and "duplicate 5" in out
    assert versions(copy) == versions(archive_file)


def foreign_warc(path: Path) -> None:
    """A WARC/1.0 shaped like wget's: gzip content coding and chunking kept, records out of time order, extras."""
    later = article_html("Tram line opens", paragraphs(7, 3) + ["A late correction was added."]).encode()
    first = article_html("Tram line opens", paragraphs(7, 3)).encode()
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False, warc_version="1.0")
        writer.write_record(writer.create_warcinfo_record("wget.warc", {"software": "Wget/1.21"}))

        def response(uri: str, date: str, body: bytes, content_type: str = "text/html", status: str = "200 OK",
                     encode: bool = True, chunked: bool = False) -> None:
            payload = gzip.compress(body) if encode else body
            headers = [("Content-Type", content_type)]
            if encode:
                headers.append(("Content-Encoding", "gzip"))
            if chunked:  # as received on the wire: two chunks, then the last
                half = len(payload) // 2
                payload = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (payload[:half], payload[half:]))
                payload += b"0\r\n\r\n"
                headers.append(("Transfer-Encoding", "chunked"))
            else:
                headers.append(("Content-Length", str(len(payload))))
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=BytesIO(payload), http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": date}))

        response("https://city.test/tram?utm_source=rss", "2024-05-06T08:00:00Z", later, chunked=True)
        response("https://city.test/tram", "2024-05-05T08:00:00Z", first)
        response("https://city.test/logo.png", "2024-05-05T08:00:01Z", b"\x89PNG", content_type="image/png", encode=False)
        response("https://city.test/old", "2024-05-05T08:00:02Z", b"", status="301 Moved Permanently", encode=False)
        writer.write_record(writer.create_warc_record("dns:city.test", "resource", payload=BytesIO(b"1.2.3.4"),
                                                      warc_content_type="text/dns"))


def test_import_a_warc_written_by_another_tool(tmp_path: Path) -> None:
    warc = tmp_path / "wget.warc"
    foreign_warc(warc)
    db = tmp_path / "imported.db"
    code, out, err = run("import", str(warc), "--db", str(db))
    assert (code, err) == (0, "")
    # the image and the redirect are kept as captures without an article (they replay; never in search)
    assert out == ("records: 6 read; captures: 4 imported (1 new, 1 updated, 0 unchanged, 0 failed; 2 without an"
                   " article); articles: 1 new; skipped: resource 1, warcinfo 1\n")
    assert [(url, source, version, first_seen, title) for url, source, version, _, first_seen, _, title in versions(db)] == [
        ("https://city.test/tram", "import", 1, "2024-05-05T08:00:00Z", "Tram line opens"),
        ("https://city.test/tram", "import", 2, "2024-05-06T08:00:00Z", "Tram line opens"),
    ]
    with Archive(db, readonly=True) as archive:
        text = archive.db.execute("select text from versions where version = 2").fetchone()[0]
        first_seen = archive.db.execute("select first_seen_at from articles").fetchone()[0]
    assert text.endswith("A late correction was added.")
    assert first_seen == "2024-05-05T08:00:00Z"  # its first capture's date, not the import's


def test_import_source_option_and_older_captures_are_not_misordered(tmp_path: Path) -> None:
    warc = tmp_path / "wget.warc"
    foreign_warc(warc)
    db = tmp_path / "imported.db"
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "city"\nfeeds = ["https://city.test/rss.xml"]\n')
    code, out, _ = run("import", str(warc), "--db", str(db), "--source", "city", "--sources", str(sources))
    assert code == 0 and {row[1] for row in versions(db)} == {"city"}
    older = tmp_path / "older.warc.gz"
    with open(older, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        page = article_html("Tram line planned", paragraphs(9, 3)).encode()
        writer.write_record(writer.create_warc_record(
            "https://city.test/tram", "response", payload=BytesIO(page),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2024-05-01T08:00:00Z"}))
    code, out, _ = run("import", str(older), "--db", str(db))
    assert code == 0
    assert out == ("records: 1 read; captures: 0 imported (0 new, 0 updated, 0 unchanged, 0 failed; 0 without an"
                   " article); articles: 0 new; skipped: older-than-archive 1\n")
    assert [row[2] for row in versions(db)] == [1, 2]


def test_import_truncated_warc_reports_where_and_keeps_what_was_read(archive_file: Path, tmp_path: Path) -> None:
    warc = tmp_path / "news.warc.gz"
    assert run("export", "warc", str(warc), "--db", str(archive_file))[0] == 0
    data = warc.read_bytes()
    offsets = []
    with open(warc, "rb") as handle:
        iterator = ArchiveIterator(handle)
        for record in iterator:
            record.content_stream().read()
            offsets.append(iterator.get_record_offset())
    cut = (offsets[14] + offsets[15]) // 2  # inside the gzip member of the T3 response of URL_A, in its body
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[:cut])
    db = tmp_path / "partial.db"
    code, out, err = run("import", str(broken), "--db", str(db))
    assert code == 1
    # the 14 whole records are imported; the cut one is a failed capture, never a version (as in a crawl)
    assert out.startswith("records: 15 read; captures: 4 imported (2 new, 0 updated, 1 unchanged, 1 failed;")
    [line] = err.splitlines()
    assert line.startswith(f"Error: {broken}: record at byte {offsets[14]} ({URL_A}) is not whole: gzip member cut short")
    assert line.endswith("the file ends inside it; kept as a failed 'truncated' capture")
    assert [(url, version, first, last) for url, _, version, _, first, last, _ in versions(db)] == [
        (URL_A, 1, T1, T2), (URL_B, 1, T1, T1)]
    assert captures(db)[-1] == (URL_A, T3, 200, "truncated", None)


def test_import_garbage_file_imports_nothing(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a WARC file at all\r\n\r\n")
    code, out, err = run("import", str(junk), "--db", str(tmp_path / "x.db"))
    assert code == 1 and out.startswith("records: 0 read; captures: 0 imported")
    assert err.startswith(f"Error: {junk}: broken at byte 0 (not a WARC record (")


def test_import_skips_a_record_whose_digest_does_not_match(archive_file: Path, tmp_path: Path) -> None:
    warc = tmp_path / "plain.warc"
    assert run("export", "warc", str(warc), "--db", str(archive_file))[0] == 0
    data = warc.read_bytes()
    at = data.index(b"Harbour storm closes bridge")  # inside B's T1 response body
    warc.write_bytes(data[:at] + b"h" + data[at + 1:])
    db = tmp_path / "copy.db"
    code, out, err = run("import", str(warc), "--db", str(db))
    assert (code, err) == (0, "")
    assert "skipped: bad-digest 1, request 5, warcinfo 1" in out
    assert [(url, version) for url, _, version, *_ in versions(db)] == [(URL_A, 1), (URL_A, 2)]


def test_round_trip_keeps_redirected_captures_with_their_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archive import Capture, Extraction

    monkeypatch.setenv("NEWSARCHIVE_NOW", T1)
    db = tmp_path / "redirects.db"
    final = "http://news.test/2024/05/final-slug"
    with Archive(db) as archive:
        article = archive.add_article("http://news.test/p/123", "daily")
        for when, body in ((T1, PAGE_A1), (T2, PAGE_A1 + b" "), (T3, PAGE_A1)):
            archive.record_capture(article, Capture(final, when, 200, {"Content-Type": "text/html"}, body),
                                   Extraction(text="Same text.", title="Same"))
    warc = tmp_path / "r.warc.gz"
    assert run("export", "warc", str(warc), "--db", str(db))[0] == 0
    copy = tmp_path / "copy.db"
    code, out, _ = run("import", str(warc), "--db", str(copy))
    assert code == 0 and "articles: 1 new" in out
    # The stored extraction was made up, so the copy re-extracts the page; only the article mapping matters here.
    with Archive(copy, readonly=True) as archive:
        assert [tuple(r.values()) for r in archive.db.query("select url from articles")] == [("http://news.test/p/123",)]
        assert archive.db.execute("select count(*) from captures").fetchone()[0] == 3


def test_import_skips_payloads_the_crawler_truncated(tmp_path: Path) -> None:
    warc = tmp_path / "cc.warc.gz"
    with open(warc, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        page = article_html("Cut short", paragraphs(3, 3)).encode()
        writer.write_record(writer.create_warc_record(
            "https://cc.test/cut", "response", payload=BytesIO(page[:300]),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": T1, "WARC-Truncated": "length"}))
    code, out, _ = run("import", str(warc), "--db", str(tmp_path / "cc.db"))
    assert (code, out) == (0, "records: 1 read; captures: 0 imported (0 new, 0 updated, 0 unchanged, 0 failed; 0 without"
                              " an article); articles: 0 new; skipped: truncated-payload 1\n")


def test_import_a_revisit_whose_original_is_already_in_the_archive(tmp_path: Path) -> None:
    warc, db = tmp_path / "tram.warc", tmp_path / "imported.db"
    foreign_warc(warc)
    assert run("import", str(warc), "--db", str(db))[0] == 0
    with Archive(db, readonly=True) as archive:
        original = archive.db.execute(
            "select id, url, fetched_at, body_hash from captures_full order by fetched_at desc limit 1").fetchone()
    later = tmp_path / "later.warc.gz"  # a later crawl's WARC: the page was the same, written as a revisit
    with open(later, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        record = writer.create_revisit_record(
            original[1], digest=original[3], refers_to_uri=original[1], refers_to_date=original[2],
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"))
        record.rec_headers.replace_header("WARC-Date", "2024-05-07T08:00:00Z")
        writer.write_record(record)

    code, out, _ = run("import", str(later), "--db", str(db))

    assert code == 0 and "captures: 1 imported (0 new, 0 updated, 1 unchanged, 0 failed; 0 without an article)" in out
    with Archive(db, readonly=True) as archive:
        last = archive.db.execute("select id, fetched_at, body_hash from captures order by id desc limit 1").fetchone()
        assert (last[1], last[2]) == ("2024-05-07T08:00:00Z", original[3])
        assert archive.capture_body(last[0]) == archive.capture_body(original[0])


def test_an_export_from_before_capture_records_still_imports_its_versions(archive_file: Path, tmp_path: Path) -> None:
    """Exports written before issue 16 had version records only, and a 304 as a response with status 304."""
    new = tmp_path / "new.warc.gz"
    assert run("export", "warc", str(new), "--db", str(archive_file))[0] == 0
    old = tmp_path / "old.warc.gz"
    with open(new, "rb") as source, open(old, "wb") as target:
        writer = WARCWriter(target, gzip=True, warc_version="1.1")
        for record in ArchiveIterator(source):
            if record.rec_headers.get_header("Content-Type") in (CAPTURE_TYPE, ARTICLE_TYPE):
                continue
            writer.write_record(record)
        check = writer.create_warc_record(URL_A, "response", payload=BytesIO(b""),
                                          http_headers=StatusAndHeaders("304 Not Modified", [], protocol="HTTP/1.1"),
                                          warc_headers_dict={"WARC-Date": "2024-05-04T12:00:00Z"})
        writer.write_record(check)
    copy = tmp_path / "copy.db"
    code, out, err = run("import", str(old), "--db", str(copy))
    assert (code, err) == (0, "")
    assert "captures: 6 imported (2 new, 1 updated, 2 unchanged, 1 failed; 0 without an article)" in out
    original = versions(archive_file)
    assert [row[:5] for row in versions(copy)] == [row[:5] for row in original]
    assert versions(copy)[1][5] == "2024-05-04T12:00:00Z"  # the 304 confirmed version 2
    assert captures(copy)[-1] == (URL_A, "2024-05-04T12:00:00Z", 304, None, 2)
