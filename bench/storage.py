"""Archive bytes against the same captures written as a gzipped WARC (warcio)."""

from __future__ import annotations

import json
import sqlite3
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive import Archive


def archive_bytes(db: Path) -> int:
    """Bytes the archive occupies (after a WAL checkpoint; free pages not counted)."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("pragma wal_checkpoint(truncate)")
        pages, free, size = (conn.execute(f"pragma {name}").fetchone()[0] for name in ("page_count", "freelist_count", "page_size"))
        return (pages - free) * size
    finally:
        conn.close()


NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def warc_bytes(db: Path, first_id: int, last_id: int, out: Path, *, revisits: bool = False) -> int:
    """Write captures ``first_id..last_id`` as a gzipped WARC at ``out``; return its size.

    With ``revisits`` a capture whose body was already written becomes a WARC revisit record
    (identical-payload-digest), and a 304 a server-not-modified revisit, as a deduplicating crawler
    would write them; without, a 304 is a response record with no payload.
    """
    seen: set[str] = set()
    with Archive(db) as archive, out.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        rows = archive.db.query(
            "select id, url, status, headers, body_hash, fetched_at from captures_full"
            " where id between ? and ? and (body_hash is not null or status = 304) order by id", [first_id, last_id])
        for row in rows:
            headers = [(k, v) for k, v in json.loads(row["headers"]).items()]
            http = StatusAndHeaders(f"{row['status']} {HTTPStatus(row['status']).phrase}", headers, protocol="HTTP/1.1")
            date = row["fetched_at"]
            if revisits and row["body_hash"] is None:
                known = archive.db.execute(  # warcio wants a digest: the payload the 304 confirms
                    "select body_hash from captures_full where url = ? and body_hash is not null order by id desc limit 1",
                    [row["url"]]).fetchone()
                record = writer.create_revisit_record(
                    row["url"], digest=known[0] if known else "sha256:", refers_to_uri=row["url"],
                    refers_to_date=date, http_headers=http)
                record.rec_headers.replace_header("WARC-Profile", NOT_MODIFIED_PROFILE)
            elif revisits and row["body_hash"] in seen:
                record = writer.create_revisit_record(  # body_hash is already "sha256:<hex>"
                    row["url"], digest=row["body_hash"], refers_to_uri=row["url"],
                    refers_to_date=date, http_headers=http)
            else:
                body = (archive.capture_body(row["id"]) or b"") if row["body_hash"] else b""
                record = writer.create_warc_record(row["url"], "response", payload=BytesIO(body),
                                                   http_headers=http, warc_headers_dict={"WARC-Date": date})
            if row["body_hash"]:
                seen.add(row["body_hash"])
            writer.write_record(record)
    return out.stat().st_size
