"""Import WARC files, record by record, as captures at their WARC-Date.

Pass one (:mod:`archive.warc_scan`) reads every file; pass two replays the usable records in capture-time
order (then file and position), so versions are numbered in the order their content was seen. A record
newsarchive exported comes back as it was stored: its capture metadata gives its status, headers, failure
and article, its version metadata the extracted fields (nothing is re-extracted). Any other record is
judged as the crawl judges a fetch: a page that extracts as an article is one (a new article is filed under
``source``, provenance ``import``); every other response is kept as a capture without an article.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.recordloader import ArcWarcRecord

from . import aliases, requisites, warc_meta
from .clock import iso, parse_iso
from .codec import body_hash
from .db import write_unit
from .decide import Outcome
from .model import Capture, EntryHints, Extraction
from .store import Archive
from .urls import canonical_url
from .warc_framing import read_frame
from .warc_payload import Damaged, decode_payload
from .warc_scan import DEFAULT_CAP, Entry, Scan, parse_record, scan_files

logger = logging.getLogger(__name__)

DEFAULT_SOURCE = "import"
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")
_ARTICLE_KEYS = ("discovered_via", "entry_title", "entry_author", "entry_published_at", "entry_updated_at", "entry_source")

# extract(body, url, last_modified=..., hints=...) -> an object with .extraction and .failure
# (scraper.extraction.extract_article, or the crawl's worker pool); injected: archive/ has no extractor.
Extract = Callable[..., Any]


@dataclass
class ImportReport:
    """What an import read, stored and skipped."""

    records: int = 0
    captures: int = 0
    without_article: int = 0  # of the captures
    new_articles: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One-line summary for the CLI."""
        outcomes = ", ".join(f"{self.outcomes[o.value]} {o.value}" for o in Outcome)
        skipped = ", ".join(f"{reason} {count}" for reason, count in sorted(self.skipped.items())) or "none"
        return (f"records: {self.records} read; captures: {self.captures} imported ({outcomes};"
                f" {self.without_article} without an article); articles: {self.new_articles} new; skipped: {skipped}")


@dataclass
class _Fetch:
    """One record as a fetch: what the capture will store."""

    entry: Entry
    status: int | None
    headers: dict[str, str]  # as stored (our capture metadata's, else the record's HTTP headers)
    body: bytes | None
    meta: warc_meta.CaptureMeta | None
    content_type: str = ""
    error: str | None = None


def import_warcs(archive: Archive, paths: Sequence[str | Path], extract: Extract, *, source: str | None = None,
                 cap: int = DEFAULT_CAP) -> ImportReport:
    """Import the records of ``paths`` into ``archive`` (articles it creates get ``source``, when given)."""
    files = [Path(p) for p in paths]
    scan = scan_files(files, cap)
    report = ImportReport(records=scan.records, skipped=scan.skipped, broken=scan.broken)
    replay = _Replay(archive, extract, source, scan, files, report, cap)
    for entry in sorted(scan.entries, key=lambda e: (e.date, e.file_index, e.offset)):
        replay.entry(entry)
    return report


class _Replay:
    """Pass two: each entry through :meth:`Archive.record_capture` (or as a capture without an article)."""

    def __init__(self, archive: Archive, extract: Extract, source: str | None, scan: Scan, files: list[Path],
                 report: ImportReport, cap: int) -> None:
        self.archive, self.extract, self.source, self.scan = archive, extract, source, scan
        self.files, self.report, self.cap = files, report, cap
        self.capture_by_digest: dict[str, int] = {}  # WARC-Payload-Digest -> a capture storing that body
        self.article_by_uri: dict[str, int] = {}  # fetched URL -> article, from metadata (a redirect's target)
        self._versions: dict[tuple[str, int], Extraction] = {}

    def entry(self, entry: Entry) -> None:
        fetch = self._fetch(entry)
        if fetch is None:
            return
        if fetch.meta is not None:
            self._ours(fetch)
        else:
            self._foreign(fetch)

    # -- reading a record -------------------------------------------------------------------------

    def _fetch(self, entry: Entry) -> _Fetch | None:
        meta = self._metadata("capture", self.scan.captures.get(entry.record_id or ""))
        if entry.record_type == "metadata":  # a fetch that got no response
            return _Fetch(entry, None, meta.headers, None, meta, error=meta.error) if meta else None
        record = parse_record(read_frame(self.files[entry.file_index], entry.offset, self.cap).data,
                              check_digests=entry.damage is None)
        http = _http_headers(record)
        status = _status(record)
        fetch = _Fetch(entry, status, http, None, meta, _content_type(http))
        if meta is not None:
            fetch.status, fetch.headers, fetch.error = meta.status, meta.headers, meta.error
        if entry.damage is not None:
            fetch.error = "truncated"
            return fetch
        if meta is not None and not meta.body and not (meta.status == 304 and entry.record_type == "response"):
            return fetch  # the capture stored no body: the record's empty payload is not one
        raw = record.raw_stream.read(self.cap + 1)
        record.raw_stream.read()  # to the end, for the digest check
        if record.digest_checker.passed is False:
            self.report.skipped["bad-digest"] += 1
            return None
        if entry.record_type == "revisit":
            original = self._original(entry)
            if original is None:
                self.report.skipped["revisit-unresolved"] += 1
                return None
            fetch.body = self.archive.capture_body(original)
            return fetch
        try:
            fetch.body = decode_payload(raw, http, self.cap)
        except Damaged as exc:
            logger.info("%s: %s (%s)", entry.uri, exc, exc.reason)
            fetch.error, fetch.body = exc.reason, None
        return fetch

    def _original(self, entry: Entry) -> int | None:
        """The capture holding the body a revisit refers to (in this import, else already in the archive)."""
        if entry.payload_digest in self.capture_by_digest:
            return self.capture_by_digest[entry.payload_digest]
        if not (entry.refers_to_uri and entry.refers_to_date):
            return None
        try:
            when = iso(parse_iso(entry.refers_to_date))
        except ValueError:
            return None
        article_id = aliases.resolve(self.archive.db, _canonical(entry.refers_to_uri) or entry.refers_to_uri)
        match = "url = ? and fetched_at = ? and body_hash is not null order by id limit 1"
        if article_id is not None:  # first among the article's captures (indexed), not a scan of every capture
            row = self.archive.db.execute(f"select id from captures_full where article_id = ? and {match}",
                                          [article_id, entry.refers_to_uri, when]).fetchone()
            if row:
                return row[0]
        row = self.archive.db.execute(f"select id from captures_full where {match}", [entry.refers_to_uri, when]).fetchone()
        return row[0] if row else None  # (a URL that now leads to another article, or to none)

    # -- our own records: stored as they were --------------------------------------------------------

    def _ours(self, fetch: _Fetch) -> None:
        meta = fetch.meta
        assert meta is not None
        if meta.article_url is None:
            if meta.requisite is not None and fetch.status is not None:
                info = meta.requisite
                requisites.restore(self.archive, fetch.entry.uri, info["source"], info["first_seen_at"], info.get("parent"),
                                   fetch.entry.date)
            self._without_article(fetch)
            return
        article_id = self._article_from_meta(meta.article_url, fetch.entry.date)
        if self._duplicate(article_id, fetch):
            return
        if fetch.error is not None or fetch.status is None:
            self._record(article_id, fetch, None, fetch.error or "fetch-error")
            return
        latest = self.archive.latest_version(article_id, "content_hash")
        if fetch.status == 304 and latest is not None:
            self._record(article_id, fetch, None, unchanged="not-modified")
            return
        extraction = self._version(meta.article_url, meta.version) if meta.version is not None else None
        if extraction is None:
            self._record(article_id, fetch, *self._extracted(fetch))
        elif self._same_body_as_last(article_id, fetch) and latest is not None:
            self._record(article_id, fetch, None, unchanged="same-body")
        else:
            self._record(article_id, fetch, extraction)

    def _article_from_meta(self, url: str, seen_at: str) -> int:
        """The article an exported capture belongs to: by its URL exactly (an alias may name another), made
        from its article record when new."""
        row = self.archive.db.execute("select id from articles where url = ?", [url]).fetchone()
        if row is not None:
            return row[0]
        payload = self.scan.articles.get(url)
        source = self.source or (payload or {}).get("source") or self.scan.sources.get(url) or DEFAULT_SOURCE
        self.report.new_articles += 1
        if payload is None:
            return self.archive.add_article(url, source, seen_at=seen_at, via=DEFAULT_SOURCE)
        with write_unit(self.archive.db):
            article_id = self.archive.db.execute(
                "insert into articles (url, source, status, first_seen_at, versions, discovered_via, entry_title,"
                " entry_author, entry_published_at, entry_updated_at, entry_source) values (?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?, ?)",
                [url, source, payload["first_seen_at"], *(payload.get(key) for key in _ARTICLE_KEYS)],
            ).lastrowid
            for alias in payload.get("aliases", []):
                self.archive.db.execute(
                    "insert into article_urls (url, article_id, kind, first_seen_at) values (?, ?, ?, ?)"
                    " on conflict(url) do update set kind = excluded.kind, first_seen_at = excluded.first_seen_at"
                    " where article_urls.article_id = excluded.article_id",
                    [alias["url"], article_id, alias["kind"], alias.get("first_seen_at")])
        requisites.link(self.archive, article_id, payload.get("requisites", []), source, now=payload["first_seen_at"])
        return article_id

    def _version(self, article_url: str, number: int) -> Extraction | None:
        """The extraction a version record of ours holds (None when the export had no record for it)."""
        key = (article_url, number)
        if key not in self._versions:
            if key not in self.scan.versions:
                return None
            if len(self._versions) > 256:
                self._versions.clear()
            self._versions[key] = warc_meta.extraction(self._metadata("version", self.scan.versions[key]))
        return self._versions[key]

    def _metadata(self, kind: str, where: tuple[int, int] | None) -> Any:
        """A metadata record the scan found (and checked) at ``where``, read again."""
        if where is None:
            return None
        record = parse_record(read_frame(self.files[where[0]], where[1], self.cap).data)
        return warc_meta.parse(kind, record.content_stream().read())

    # -- anyone's records: judged as the crawl judges a fetch -------------------------------------------

    def _foreign(self, fetch: _Fetch) -> None:
        entry = fetch.entry
        version_key = self.scan.versions_by_record.get(entry.record_id or "")  # an export from before capture records
        article_id = self._known_article(entry, version_key)
        if self._duplicate(article_id, fetch):
            return
        status = fetch.status
        if fetch.error is not None or status is None or not 200 <= status < 300 or fetch.body is None:
            reason = fetch.error or (f"http-{status}" if status is not None and status >= 400 else None)
            if reason is not None and reason.startswith("http-"):
                fetch.body = None  # as the crawl: an error page is not kept
            if status == 304 and article_id is not None and self.archive.latest_version(article_id, "id"):
                self._record(article_id, fetch, None, unchanged="not-modified")
            elif article_id is not None and reason is not None:
                self._record(article_id, fetch, None, reason)
            else:
                self._without_article(fetch)
            return
        if fetch.content_type not in _HTML_TYPES:
            if article_id is not None:
                self._record(article_id, fetch, None, "not-html")
            else:
                self._without_article(fetch)
            return
        if article_id is not None and self._same_body_as_last(article_id, fetch):
            self._record(article_id, fetch, None, unchanged="same-body")
            return
        if version_key is not None:
            extraction, failure = self._version(*version_key), None
        else:
            extraction, failure = self._extracted(fetch)
        if article_id is None:
            if extraction is None:  # not an article: kept, never an article, never in search
                self._without_article(fetch, failure)
                return
            article_id = self._new_article(entry)
        self._record(article_id, fetch, extraction, failure)

    def _known_article(self, entry: Entry, version_key: tuple[str, int] | None) -> int | None:
        """The article a record's URL leads to: named by a version record, learned from one for this fetched
        URL (a redirect's target carries no record), or the URL's own (canonical, or an alias)."""
        if version_key is not None:
            self.article_by_uri[entry.uri] = self._article_from_meta(version_key[0], entry.date)
        if entry.uri in self.article_by_uri:
            return self.article_by_uri[entry.uri]
        url = _canonical(entry.uri)
        return aliases.resolve(self.archive.db, url) if url else None

    def _new_article(self, entry: Entry) -> int:
        self.report.new_articles += 1
        return self.archive.add_article(_canonical(entry.uri) or entry.uri, self.source or DEFAULT_SOURCE,
                                        seen_at=entry.date, via=DEFAULT_SOURCE)

    def _extracted(self, fetch: _Fetch) -> tuple[Extraction | None, str | None]:
        headers = {name.lower(): value for name, value in fetch.headers.items()}
        try:
            result = self.extract(fetch.body or b"", fetch.entry.uri, last_modified=headers.get("last-modified"),
                                  hints=EntryHints(origin=DEFAULT_SOURCE))
        except Exception as exc:  # one boundary: a bad record must not stop the import
            logger.warning("extraction failed for %s: %r", fetch.entry.uri, exc)
            return None, "parse-error"
        return result.extraction, result.failure

    # -- storing ----------------------------------------------------------------------------------------

    def _record(self, article_id: int, fetch: _Fetch, extraction: Extraction | None, failure: str | None = None, *,
                unchanged: str | None = None) -> None:
        entry, body = fetch.entry, fetch.body
        digest = body_hash(body) if body is not None else None
        if unchanged == "not-modified":
            body = digest = None
        elif unchanged == "same-body":
            body = None
        capture = Capture(entry.uri, entry.date, fetch.status, fetch.headers, body, unchanged=unchanged, body_hash=digest)
        decision = self.archive.record_capture(article_id, capture, extraction, failure)
        self.report.captures += 1
        self.report.outcomes[decision.outcome.value] += 1
        self._remember_body(entry, digest, article_id)

    def _without_article(self, fetch: _Fetch, error: str | None = None) -> None:
        if self._duplicate(None, fetch):
            return
        entry = fetch.entry
        capture = Capture(entry.uri, entry.date, fetch.status, fetch.headers, fetch.body)
        self.archive.record_capture_without_article(capture, error or fetch.error)
        self.report.captures += 1
        self.report.without_article += 1
        self._remember_body(entry, body_hash(fetch.body) if fetch.body is not None else None, None)

    def _remember_body(self, entry: Entry, digest: str | None, article_id: int | None) -> None:
        if entry.record_type != "response" or not entry.payload_digest or digest is None:
            return
        row = self.archive.db.execute(
            "select id from captures where body_hash = ? and fetched_at = ? and article_id is ? order by id desc limit 1",
            [digest, entry.date, article_id]).fetchone()
        if row:
            self.capture_by_digest[entry.payload_digest] = row[0]

    def _same_body_as_last(self, article_id: int, fetch: _Fetch) -> bool:
        """The crawl's fast path: the bytes of the article's last successful capture again."""
        if fetch.body is None:
            return False
        row = self.archive.db.execute(
            "select body_hash from captures where article_id = ? and version_id is not null and body_hash is not null"
            " order by id desc limit 1", [article_id]).fetchone()
        return row is not None and row[0] == body_hash(fetch.body)

    def _duplicate(self, article_id: int | None, fetch: _Fetch) -> bool:
        """Re-importing is a no-op; a capture older than the article's newest one would misorder versions."""
        entry, db = fetch.entry, self.archive.db
        digest = body_hash(fetch.body) if fetch.body is not None and fetch.status != 304 else None
        if db.execute(
            "select 1 from captures_full where article_id is ? and fetched_at = ? and url = ? and status is ?"
            " and (body_hash is ? or ? is null)",
            [article_id, entry.date, entry.uri, fetch.status, digest, digest],
        ).fetchone():
            self.report.skipped["duplicate"] += 1
            return True
        if article_id is None:
            return False
        newest = db.execute("select max(fetched_at) from captures where article_id = ?", [article_id]).fetchone()[0]
        if newest is not None and newest > entry.date:
            self.report.skipped["older-than-archive"] += 1
            return True
        return False


def _canonical(uri: str) -> str | None:
    try:
        return canonical_url(uri)
    except ValueError:
        return None


def _status(record: ArcWarcRecord) -> int | None:
    if record.http_headers is None:
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _http_headers(record: ArcWarcRecord) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in record.http_headers.headers if record.http_headers else []:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _content_type(headers: dict[str, str]) -> str:
    value = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return value.split(";")[0].strip().lower()

