"""Import, pass one: read every file record by record, keep what the second pass replays, count what it skips.

A record that cannot be used (a target URI that is no URL, a WARC-Date that cannot be a capture's, our own
metadata with fields of the wrong type, over the size cap…) is skipped with a counted reason; every other
record still goes in. Where a file breaks, one line says where and why, and reading resumes at the next record.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.bufferedreaders import BufferedReader
from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader

from . import warc_meta
from .clock import iso, parse_iso, utcnow
from .urls import canonical_url
from .warc_framing import Break, Framed, frames

logger = logging.getLogger(__name__)

DEFAULT_CAP = 16 * 1024 * 1024  # the crawl's DOWNLOAD_MAXSIZE: a record's payload, and a decoded body
EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)  # before the web: no capture
FUTURE_SLACK = timedelta(days=7)  # a writer's clock may run a little fast, not more


@dataclass(frozen=True, slots=True)
class Entry:
    """A response or revisit record the second pass turns into a capture."""

    date: str
    file_index: int
    offset: int
    uri: str
    record_type: str
    record_id: str | None
    payload_digest: str | None
    refers_to_uri: str | None
    refers_to_date: str | None
    damage: str | None = None  # the record is not whole: it becomes a failed ``truncated`` capture


@dataclass
class Scan:
    """Everything pass one found in the files."""

    records: int = 0
    metadata: int = 0  # newsarchive metadata records read
    entries: list[Entry] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)
    # where our metadata records are (file, offset), read again when replayed: a version's text, a capture's
    # headers are not kept in memory for the whole import
    captures: dict[str, tuple[int, int]] = field(default_factory=dict)  # by the record they describe
    versions: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)  # by (article URL, number)
    versions_by_record: dict[str, tuple[str, int]] = field(default_factory=dict)  # record id -> (url, number)
    sources: dict[str, str] = field(default_factory=dict)  # article URL -> source, from its version records
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)  # article records by article URL


def parse_record(data: bytes, *, check_digests: bool = False) -> ArcWarcRecord:
    """A warcio record from one record's bytes (WARC only: warcio would take anything else for ARC)."""
    return ArcWarcRecordLoader().parse_record_stream(BufferedReader(BytesIO(data)), known_format="warc",
                                                     check_digests=check_digests)


def capture_date(value: str | None) -> str:
    """A WARC-Date as the archive stores times; ValueError when it is missing or cannot be a capture's."""
    if not value:
        raise ValueError("no WARC-Date")
    moment = parse_iso(value)
    if moment < EARLIEST or moment > utcnow() + FUTURE_SLACK:
        raise ValueError(f"WARC-Date {value} is not a possible capture time")
    return iso(moment)


def scan_files(paths: list[Path], cap: int = DEFAULT_CAP) -> Scan:
    """Pass one over every file (see the module docstring)."""
    scan = Scan()
    for index, path in enumerate(paths):
        for item in frames(path, cap):
            if isinstance(item, Break):
                after = f"resumed at byte {item.resumed_at}" if item.resumed_at is not None else "nothing after it was read"
                scan.broken.append(f"{path}: broken at byte {item.offset} ({item.reason}); {after}")
            else:
                _take(scan, path, index, item, cap)
    return scan


def _take(scan: Scan, path: Path, file_index: int, frame: Framed, cap: int) -> None:
    scan.records += 1
    try:
        record = parse_record(frame.data, check_digests=not frame.damage and not frame.too_large)
    except Exception as exc:  # warcio raises many types on a malformed header block
        scan.skipped["bad-record"] += 1
        why = frame.damage or f"{type(exc).__name__}: {exc}"
        scan.broken.append(f"{path}: record at byte {frame.offset} is not a readable WARC record ({why}); skipped")
        return
    headers, kind = record.rec_headers, record.rec_type
    if frame.too_large:
        scan.skipped["too-large"] += 1
        return
    if kind == "metadata" and (meta_kind := warc_meta.TYPES.get(headers.get_header("Content-Type") or "")):
        _metadata(scan, path, file_index, frame, record, meta_kind)
        return
    uri = headers.get_header("WARC-Target-URI") or ""
    if kind not in ("response", "revisit") or not uri.startswith(("http:", "https:")):
        scan.skipped[kind or "untyped"] += 1
        return
    try:
        canonical_url(uri)
        date = capture_date(headers.get_header("WARC-Date"))
    except ValueError as exc:
        scan.skipped["bad-uri" if "WARC-Date" not in str(exc) else "bad-date"] += 1
        logger.info("%s: record at byte %d skipped: %s", path, frame.offset, exc)
        return
    if frame.damage:
        scan.broken.append(f"{path}: record at byte {frame.offset} ({uri}) is not whole: {frame.damage};"
                           " kept as a failed 'truncated' capture")
    elif headers.get_header("WARC-Truncated"):  # the crawler cut the payload: not the page
        scan.skipped["truncated-payload"] += 1
        return
    scan.entries.append(Entry(
        date=date, file_index=file_index, offset=frame.offset, uri=uri, record_type=kind,
        record_id=headers.get_header("WARC-Record-ID"), payload_digest=headers.get_header("WARC-Payload-Digest"),
        refers_to_uri=headers.get_header("WARC-Refers-To-Target-URI"),
        refers_to_date=headers.get_header("WARC-Refers-To-Date"), damage=frame.damage,
    ))


def _metadata(scan: Scan, path: Path, file_index: int, frame: Framed, record: ArcWarcRecord, kind: str) -> None:
    """Index one of our metadata records (a version's text is read again when it is needed)."""
    scan.metadata += 1
    if frame.damage:
        scan.skipped["bad-metadata"] += 1
        return
    content = record.content_stream().read()
    if record.digest_checker.passed is False:
        scan.skipped["bad-digest"] += 1
        return
    try:
        payload = warc_meta.parse(kind, content)
    except warc_meta.BadMetadata as exc:
        scan.skipped["bad-metadata"] += 1
        logger.info("%s: metadata record at byte %d skipped: %s", path, frame.offset, exc)
        return
    concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
    if kind == "capture":
        scan.captures[concurrent or record.rec_headers.get_header("WARC-Record-ID")] = (file_index, frame.offset)
        if concurrent is None:  # a fetch that got no response: the capture record is all there is
            _no_response_entry(scan, file_index, frame, record)
    elif kind == "article":
        scan.articles.setdefault(payload["url"], payload)
    else:
        key = (payload["article_url"], payload["version"])
        scan.versions.setdefault(key, (file_index, frame.offset))
        if payload.get("source"):
            scan.sources.setdefault(payload["article_url"], payload["source"])
        if concurrent:
            scan.versions_by_record[concurrent] = key


def _no_response_entry(scan: Scan, file_index: int, frame: Framed, record: ArcWarcRecord) -> None:
    headers = record.rec_headers
    uri = (headers.get_header("WARC-Target-URI") or "").removeprefix(warc_meta.URI_PREFIX)
    try:
        date = capture_date(headers.get_header("WARC-Date"))
    except ValueError:
        scan.skipped["bad-date"] += 1
        return
    scan.entries.append(Entry(date, file_index, frame.offset, uri, "metadata", headers.get_header("WARC-Record-ID"),
                              None, None, None))
