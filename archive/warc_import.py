"""Import the HTML responses of any WARC as captures at their WARC-Date, extracted and versioned like crawled ones.

Two passes: the first scans every file (a broken one is reported where it broke; what was read before stays),
the second replays the usable records in capture-time order, so versions are numbered in the order their
content was seen whatever the order of files and records.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from .clock import iso, parse_iso
from .codec import body_hash
from .decide import Outcome
from .errors import UnknownArticle
from .model import Capture, EntryHints
from .queries import resolve_article
from .store import Archive
from .urls import canonical_url
from .warc_export import METADATA_TYPE

logger = logging.getLogger(__name__)

DEFAULT_SOURCE = "import"
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")

# extract(body, url, last_modified=..., hints=...) -> an object with .extraction and .failure
# (scraper.extraction.extract_article); injected so archive/ does not depend on the extractor.
Extract = Callable[..., Any]


@dataclass
class ImportReport:
    """What an import read, stored and skipped."""

    records: int = 0
    captures: int = 0
    new_articles: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One-line summary for the CLI."""
        outcomes = ", ".join(f"{self.outcomes[o.value]} {o.value}" for o in Outcome)
        skipped = ", ".join(f"{reason} {count}" for reason, count in sorted(self.skipped.items())) or "none"
        return (f"records: {self.records} read; captures: {self.captures} imported ({outcomes});"
                f" articles: {self.new_articles} new; skipped: {skipped}")


@dataclass(frozen=True)
class _Entry:
    date: str
    file_index: int
    offset: int
    uri: str
    record_type: str
    record_id: str
    payload_digest: str | None
    refers_to_uri: str | None
    refers_to_date: str | None


def _status(record: ArcWarcRecord) -> int | None:
    if record.http_headers is None:
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _is_html(record: ArcWarcRecord) -> bool:
    content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _warc_date(record: ArcWarcRecord) -> str:
    return iso(parse_iso(record.rec_headers.get_header("WARC-Date")))


class NotAWarc(ValueError):
    """A file (or the rest of it) is not WARC records: it broke here."""


class _Scan:
    """Pass one over one file: usable entries, newsarchive metadata by response id, and skips."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.entries: list[_Entry] = []
        self.metadata: dict[str, dict[str, Any]] = {}

    def file(self, path: Path, file_index: int) -> None:
        kept = end = 0
        with open(path, "rb") as handle:
            iterator = ArchiveIterator(handle, check_digests=True)
            try:
                for record in iterator:
                    offset = self._record(record, iterator, file_index)
                    end = offset + iterator.get_record_length()
                    kept += 1
                handle.seek(end)
                rest = handle.read(1024)
                # warcio stops quietly at a cut gzip member; bytes left over (beyond the final CRLFs) say it broke.
                if rest.strip(b"\r\n"):
                    left = path.stat().st_size - end
                    raise NotAWarc(f"{left} bytes after the last complete record are not a WARC record")
            except Exception as exc:  # warcio, gzip and zlib raise many types; all mean "broken here"
                self.report.broken.append(
                    f"{path}: broken at byte {end} ({type(exc).__name__}: {exc}); kept the {kept} records read before it"
                )

    def _record(self, record: ArcWarcRecord, iterator: ArchiveIterator, file_index: int) -> int:
        """Take in one record; return its offset."""
        if record.format != "warc":  # warcio falls back to ARC parsing for anything else, even junk
            raise NotAWarc(f"not a WARC record ({record.format} format is not supported)")
        kind = record.rec_type
        content = record.content_stream().read()
        if getattr(record.raw_stream, "limit", 0) > 0:
            raise NotAWarc(f"{kind} record ends early: {record.raw_stream.limit} bytes missing")
        offset = iterator.get_record_offset()  # (after the read: asking first would skip the content)
        self.report.records += 1
        if record.digest_checker.passed is False:
            self.report.skipped["bad-digest"] += 1
            return offset
        if kind == "metadata" and record.rec_headers.get_header("Content-Type") == METADATA_TYPE:
            concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
            if concurrent:
                self.metadata[concurrent] = json.loads(content)
            self.report.skipped[kind] += 1
            return offset
        if kind not in ("response", "revisit") or not (record.rec_headers.get_header("WARC-Target-URI") or "").startswith("http"):
            self.report.skipped[kind] += 1
            return offset
        status = _status(record)
        if record.rec_headers.get_header("WARC-Truncated"):  # the crawler cut the payload: not the page
            self.report.skipped["truncated-payload"] += 1
            return offset
        if kind == "response" and (status is None or not _is_html(record)):
            self.report.skipped["not-html"] += 1
            return offset
        if status is not None and 300 <= status < 400:
            self.report.skipped["redirect"] += 1
            return offset
        headers = record.rec_headers
        self.entries.append(_Entry(
            date=_warc_date(record), file_index=file_index, offset=offset,
            uri=headers.get_header("WARC-Target-URI"), record_type=kind,
            record_id=headers.get_header("WARC-Record-ID"), payload_digest=headers.get_header("WARC-Payload-Digest"),
            refers_to_uri=headers.get_header("WARC-Refers-To-Target-URI"),
            refers_to_date=headers.get_header("WARC-Refers-To-Date"),
        ))
        return offset


def import_warcs(
    archive: Archive, paths: Sequence[str | Path], extract: Extract, *, source: str | None = None
) -> ImportReport:
    """Import the HTML responses (and revisits of them) of ``paths`` into ``archive``."""
    report = ImportReport()
    scan = _Scan(report)
    files = [Path(p) for p in paths]
    for index, path in enumerate(files):
        scan.file(path, index)
    replay = _Replay(archive, extract, source, scan.metadata, report)
    handles: dict[int, BinaryIO] = {}
    try:
        for entry in sorted(scan.entries, key=lambda e: (e.date, e.file_index, e.offset)):
            if entry.file_index not in handles:
                handles[entry.file_index] = open(files[entry.file_index], "rb")
            replay.entry(entry, handles[entry.file_index])
    finally:
        for handle in handles.values():
            handle.close()
    return report


class _Replay:
    """Pass two: one capture per entry through :meth:`Archive.record_capture`."""

    def __init__(self, archive: Archive, extract: Extract, source: str | None,
                 metadata: dict[str, dict[str, Any]], report: ImportReport) -> None:
        self.archive, self.extract, self.source = archive, extract, source
        self.metadata, self.report = metadata, report
        self.capture_by_digest: dict[str, int] = {}
        # Fetched URL -> article, learned from our metadata records: a redirected article's later captures
        # (which carry no metadata record) belong to the article, not to the URL it redirected to.
        self.article_by_uri: dict[str, int] = {}

    def entry(self, entry: _Entry, handle: BinaryIO) -> None:
        handle.seek(entry.offset)
        record = next(iter(ArchiveIterator(handle)))
        body = record.content_stream().read()
        meta = self.metadata.get(entry.record_id, {})
        if entry.record_type == "revisit":
            original_id = self._original(entry)
            if original_id is None:
                self.report.skipped["revisit-unresolved"] += 1
                return
            body = self.archive.capture_body(original_id) or b""
        status = _status(record) or 200
        headers = _headers(record)
        article_id = self._article(entry.uri, meta, entry.date)
        digest = body_hash(body) if body else None
        if self._already_archived(article_id, entry, digest):
            return
        capture = Capture(entry.uri, entry.date, status, headers, body or None)
        if status >= 400:
            decision = self.archive.record_capture(article_id, capture, None, f"http-{status}")
        else:
            decision = self.archive.record_capture(article_id, capture, *self._extract(body, entry.uri, headers, meta))
        self.report.captures += 1
        self.report.outcomes[decision.outcome.value] += 1
        if entry.record_type == "response" and entry.payload_digest:
            row = self.archive.db.execute(
                "select max(id) from captures where article_id = ? and fetched_at = ?", [article_id, entry.date]
            ).fetchone()
            self.capture_by_digest[entry.payload_digest] = row[0]

    def _original(self, entry: _Entry) -> int | None:
        if entry.payload_digest in self.capture_by_digest:
            return self.capture_by_digest[entry.payload_digest]
        if entry.refers_to_uri and entry.refers_to_date:
            when = iso(parse_iso(entry.refers_to_date))
            try:  # first among the captures of the URL's article (indexed), not a scan of every capture
                article_id = resolve_article(self.archive.db, entry.refers_to_uri)["id"]
                row = self.archive.db.execute(
                    "select id from captures_full where article_id = ? and url = ? and fetched_at = ?"
                    " and body_hash is not null order by id limit 1", [article_id, entry.refers_to_uri, when],
                ).fetchone()
                if row:
                    return row[0]
            except UnknownArticle:
                pass
            row = self.archive.db.execute(  # a URL that now leads to another article (a merge), or none
                "select id from captures_full where url = ? and fetched_at = ? and body_hash is not null order by id limit 1",
                [entry.refers_to_uri, when],
            ).fetchone()
            return row[0] if row else None
        return None

    def _article(self, uri: str, meta: dict[str, Any], seen_at: str) -> int:
        """The article of a record's URL; a new one is first seen at the record's date, not the import's."""
        if not meta and uri in self.article_by_uri:
            return self.article_by_uri[uri]
        url = canonical_url(meta.get("article_url") or uri)
        try:
            article_id = resolve_article(self.archive.db, url)["id"]
        except UnknownArticle:
            self.report.new_articles += 1
            article_id = self.archive.add_article(url, self.source or meta.get("source") or DEFAULT_SOURCE, seen_at=seen_at)
        if meta:
            self.article_by_uri[uri] = article_id
        return article_id

    def _already_archived(self, article_id: int, entry: _Entry, digest: str | None) -> bool:
        """Re-importing is a no-op; a capture older than the article's newest one would misorder versions."""
        db = self.archive.db
        if db.execute(
            "select 1 from captures_full where article_id = ? and fetched_at = ? and url = ? and body_hash is ?",
            [article_id, entry.date, entry.uri, digest],
        ).fetchone():
            self.report.skipped["duplicate"] += 1
            return True
        newest = db.execute("select max(fetched_at) from captures where article_id = ?", [article_id]).fetchone()[0]
        if newest is not None and newest > entry.date:
            self.report.skipped["older-than-archive"] += 1
            return True
        return False

    def _extract(self, body: bytes, uri: str, headers: dict[str, str], meta: dict[str, Any]) -> tuple[Any, str | None]:
        hints = EntryHints(meta.get("entry_title"), meta.get("entry_author"), meta.get("entry_published_at"),
                           meta.get("entry_updated_at"))
        last_modified = next((v for k, v in headers.items() if k.lower() == "last-modified"), None)
        try:
            result = self.extract(body, uri, last_modified=last_modified, hints=hints)
        except Exception as exc:  # one boundary: a bad record must not stop the import
            logger.warning("extraction failed for %s: %r", uri, exc)
            return None, "parse-error"
        return result.extraction, result.failure


def _headers(record: ArcWarcRecord) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in record.http_headers.headers if record.http_headers else []:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers
