"""Export captures as WARC/1.1 (warcio) that replay in pywb and import back losslessly.

Per capture: the first capture of a body is a ``response``; a later capture of the same bytes an
``identical-payload-digest`` revisit; a 304 recheck a ``server-not-modified`` revisit of the response it
confirmed, whose HTTP header block is that response's status and headers updated by the 304's (RFC 9111
§4.3.4) — pywb replays a revisit whose header block says 304 as an empty page. Then a ``request`` record and
newsarchive's metadata records (:mod:`archive.warc_meta`). Files are written as ``.open``, read back with
every digest checked, renamed, and rotated at ``max_size``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import warc_meta
from .atomicio import atomic_output
from .clock import now_iso
from .errors import ArchiveError
from .store import Archive
from .warc_select import ExportSelection, select_captures

DEFAULT_MAX_SIZE = 1_000_000_000
SOFTWARE = "newsarchive"
PROFILE = "http://netpreserve.org/warc/1.1/revisit/"
IDENTICAL, NOT_MODIFIED = PROFILE + "identical-payload-digest", PROFILE + "server-not-modified"
# The stored body is decoded (no transfer/content coding), so these headers would lie about it.
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
METADATA_TYPE = warc_meta.VERSION_TYPE  # (the name before the capture and article records existed)


class WarcInvalid(ArchiveError):
    """A WARC we wrote does not read back with valid digests (it is left as ``.open``… and removed)."""


@dataclass
class WarcExportReport:
    """What an export wrote."""

    files: list[Path] = field(default_factory=list)
    responses: int = 0
    revisits: int = 0
    not_modified: int = 0  # of the revisits, 304 rechecks
    requests: int = 0
    metadata: int = 0
    no_response: int = 0  # fetches that got no response: a capture metadata record only
    # article id -> (URL, time, version id) of its latest exported capture that showed a version (WACZ pages)
    latest: dict[int, tuple[str, str, int]] = field(default_factory=dict)

    def line(self) -> str:
        """One-line summary for the CLI."""
        return (f"{', '.join(str(p) for p in self.files)}: {self.responses} responses, {self.revisits} revisits"
                f" ({self.not_modified} not modified), {self.requests} requests, {self.metadata} metadata;"
                f" {self.no_response} fetches without a response as metadata only")


@dataclass(frozen=True)
class _Payload:
    """A response record already written in this export, by the sha256 of its body."""

    uri: str
    date: str
    record_id: str
    digest: str  # its WARC-Payload-Digest
    length: int


def http_headers_for(status: int, headers: dict[str, str], body_length: int) -> StatusAndHeaders:
    """The response's status line and headers, made consistent with the stored (decoded) body."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    items = [(name, value) for name, value in headers.items() if name.lower() not in _DROPPED_HEADERS]
    items.append(("Content-Length", str(body_length)))
    return StatusAndHeaders(f"{status} {reason}", items, protocol="HTTP/1.1")


def updated_headers(stored: dict[str, str], not_modified: dict[str, str]) -> dict[str, str]:
    """A stored response's headers updated by a 304's (RFC 9111 §4.3.4), names compared case-insensitively."""
    merged = {name.lower(): (name, value) for name, value in stored.items()}
    for name, value in not_modified.items():
        if name.lower() not in _DROPPED_HEADERS:
            merged[name.lower()] = (name, value)
    return dict(merged.values())


def _request_headers(url: str) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc)], protocol="HTTP/1.1",
                            is_http_request=True)


def rotated_name(out: Path, index: int) -> Path:
    """``news.warc.gz`` for the first file, then ``news-00001.warc.gz``, ``news-00002.warc.gz``…"""
    if index == 0:
        return out
    name = out.name
    for ext in (".warc.gz", ".warc"):
        if name.endswith(ext):
            return out.with_name(f"{name[: -len(ext)]}-{index:05d}{ext}")
    return out.with_name(f"{name}-{index:05d}")


def validate_warc(path: Path) -> None:
    """Read every record back with warcio, checking every digest; raise :class:`WarcInvalid` on a problem."""
    try:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle, check_digests="raise"):
                record.content_stream().read()
    except Exception as exc:  # warcio raises several types; any of them means the file is unusable
        raise WarcInvalid(f"{path}: written WARC does not read back ({exc})") from exc


class _Writer:
    """One WARC file at a time, rotating to the next name when the current one reaches ``max_size``."""

    def __init__(self, out: Path, max_size: int, version: str) -> None:
        self.out, self.max_size, self.version = out, max_size, version
        self.index = 0
        self._context: Any = None
        self.handle: BinaryIO | None = None
        self.writer: WARCWriter | None = None
        self.files: list[Path] = []

    def current(self) -> WARCWriter:
        if self.writer is None:
            path = rotated_name(self.out, self.index)
            self._context = atomic_output(path, suffix=".open", validate=validate_warc)
            self.handle = self._context.__enter__()
            self.writer = WARCWriter(self.handle, gzip=path.name.endswith(".gz"), warc_version="1.1")
            info = {"software": f"{SOFTWARE} {self.version}", "format": "WARC File Format 1.1",
                    "description": "newsarchive export: captures, revisits and extracted versions"}
            record = self.writer.create_warcinfo_record(path.name, info)
            record.rec_headers.replace_header("WARC-Date", now_iso())
            self.writer.write_record(record)
            self.files.append(path)
        return self.writer

    def maybe_rotate(self) -> None:
        if self.handle is not None and self.handle.tell() >= self.max_size:
            self.close()
            self.index += 1

    def close(self, exc: BaseException | None = None) -> None:
        if self._context is not None:
            context, self._context, self.writer, self.handle = self._context, None, None, None
            if exc is None:
                context.__exit__(None, None, None)
            else:
                context.__exit__(type(exc), exc, exc.__traceback__)


def export_warc(
    archive: Archive,
    out: str | Path,
    *,
    sources: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
    version: str = "",
) -> WarcExportReport:
    """Write the captures fetched in ``[since, until)`` (of ``sources``, with the requisites their articles
    use) to ``out``, rotating past ``max_size``."""
    files = _Writer(Path(out), max_size, version)
    export = _Export(archive, files)
    try:
        for capture in select_captures(archive.db, ExportSelection(tuple(sources), since, until)):
            export.capture(capture)
            files.maybe_rotate()
        if not files.files:
            files.current()  # an empty export still writes one valid file (a warcinfo record)
    except BaseException as exc:
        files.close(exc)
        raise
    files.close()
    export.report.files = files.files
    return export.report


class _Export:
    """The records of each capture, remembering which bodies, versions and articles are already written."""

    def __init__(self, archive: Archive, files: _Writer) -> None:
        self.archive, self.files = archive, files
        self.report = WarcExportReport()
        self.payloads: dict[str, _Payload] = {}
        self.versions: set[int] = set()
        self.articles: set[int] = set()
        self.requisites = "requisites" in archive.db.table_names()  # (an archive before migration 0011 has none)

    def capture(self, capture: dict[str, Any]) -> None:
        writer = self.files.current()
        record_id = None
        if capture["status"] is not None:
            record = self._http_record(writer, capture)
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            request = writer.create_warc_record(capture["url"], "request", http_headers=_request_headers(capture["url"]),
                                                warc_headers_dict={"WARC-Date": capture["fetched_at"],
                                                                   "WARC-Concurrent-To": record_id})
            writer.write_record(record)
            writer.write_record(request)
            self.report.requests += 1
        else:
            self.report.no_response += 1
        if capture["version_id"] is not None and record_id is not None:
            self.report.latest[capture["article_id"]] = (capture["url"], capture["fetched_at"], capture["version_id"])
        if capture["article_id"] is not None and capture["article_id"] not in self.articles:
            self.articles.add(capture["article_id"])
            self._metadata(writer, capture, record_id, warc_meta.ARTICLE_TYPE, self._article_payload(capture["article_id"]))
        if capture["version_id"] is not None and capture["version_id"] not in self.versions:
            self.versions.add(capture["version_id"])
            self._metadata(writer, capture, record_id, warc_meta.VERSION_TYPE, metadata_for(self.archive, capture))
        self._metadata(writer, capture, record_id, warc_meta.CAPTURE_TYPE, _capture_payload(capture))

    def _http_record(self, writer: WARCWriter, capture: dict[str, Any]) -> Any:
        """The response or revisit record of a capture that got a response."""
        uri, date, digest = capture["url"], capture["fetched_at"], capture["body_hash"]
        headers = json.loads(capture["headers"] or "{}")
        status, profile, payload = capture["status"], IDENTICAL, self.payloads.get(digest) if digest else None
        if status == 304 and digest is None and (confirmed := self._confirmed(capture)) is not None:
            # a recheck answered 304: it confirms the article's last successful response
            headers = updated_headers(json.loads(confirmed["headers"] or "{}"), headers)
            status, digest, profile = confirmed["status"], confirmed["body_hash"], NOT_MODIFIED
            payload = self.payloads.get(digest)
            if payload is None:  # that response is outside the export: carry its body, so the slice replays alone
                return self._response(writer, uri, date, status, headers, self.archive.capture_body(confirmed["id"]) or b"", digest)
        if payload is None:
            body = self.archive.capture_body(capture["id"]) if digest else None
            return self._response(writer, uri, date, status, headers, body or b"", digest)
        record = writer.create_revisit_record(
            uri, payload.digest, payload.uri, payload.date, http_headers=http_headers_for(status, headers, payload.length),
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": payload.record_id},
        )
        record.rec_headers.replace_header("WARC-Profile", profile)
        self.report.revisits += 1
        self.report.not_modified += profile == NOT_MODIFIED
        return record

    def _response(self, writer: WARCWriter, uri: str, date: str, status: int, headers: dict[str, str], body: bytes,
                  digest: str | None) -> Any:
        record = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http_headers_for(status, headers, len(body)),
                                           warc_headers_dict={"WARC-Date": date})
        if digest:
            self.payloads[digest] = _Payload(uri, date, record.rec_headers.get_header("WARC-Record-ID"),
                                             record.rec_headers.get_header("WARC-Payload-Digest"), len(body))
        self.report.responses += 1
        return record

    def _confirmed(self, capture: dict[str, Any]) -> dict[str, Any] | None:
        """The article's last successful capture before this 304 (the response whose validators it answered)."""
        return next(self.archive.db.query(
            "select id, status, headers, body_hash from captures_full where article_id = ? and id < ?"
            " and body_hash is not null and version_id is not null order by id desc limit 1",
            [capture["article_id"], capture["id"]],
        ), None)

    def _metadata(self, writer: WARCWriter, capture: dict[str, Any], concurrent: str | None, kind: str,
                  payload: dict[str, Any]) -> None:
        data = warc_meta.dumps(payload)
        headers = {"WARC-Date": capture["fetched_at"]}
        if concurrent:
            headers["WARC-Concurrent-To"] = concurrent
        writer.write_record(writer.create_warc_record(
            warc_meta.URI_PREFIX + capture["url"], "metadata", payload=BytesIO(data), length=len(data),
            warc_content_type=kind, warc_headers_dict=headers,
        ))
        self.report.metadata += 1

    def _article_payload(self, article_id: int) -> dict[str, Any]:
        article = self.archive.article(article_id)
        aliases = list(self.archive.db.query(
            "select url, kind, first_seen_at from article_urls where article_id = ? order by first_seen_at, url", [article_id]))
        requisites = [row[0] for row in self.archive.db.execute(
            "select r.url from article_requisites ar join requisites r on r.id = ar.requisite_id"
            " where ar.article_id = ? order by r.url", [article_id])] if self.requisites else []
        keys = ("url", "source", "first_seen_at", "discovered_via", "entry_title", "entry_author", "entry_published_at",
                "entry_updated_at", "entry_source")
        return {**{key: article[key] for key in keys}, "aliases": aliases, "requisites": requisites}


def _capture_payload(capture: dict[str, Any]) -> dict[str, Any]:
    payload = {"article_url": capture["article_url"], "status": capture["status"],
               "headers": json.loads(capture["headers"] or "{}"), "error": capture["error"],
               "version": capture["version_number"], "body": capture["body_hash"] is not None, "requisite": None}
    if capture["requisite_source"] is not None:
        payload["requisite"] = {"source": capture["requisite_source"], "first_seen_at": capture["requisite_first_seen_at"],
                                "parent": capture["requisite_parent"]}
    return payload


def metadata_for(archive: Archive, capture: dict[str, Any]) -> dict[str, Any]:
    """The version record's JSON: the version's extracted fields, its article, and the feed entry hints."""
    version = next(archive.db.query("select * from versions where id = ?", [capture["version_id"]]))
    article = archive.article(capture["article_id"])
    payload = {key: value for key, value in version.items() if key not in ("id", "article_id")}
    payload.update(article_url=article["url"], source=article["source"],
                   **{key: article[key] for key in ("entry_title", "entry_author", "entry_published_at", "entry_updated_at")})
    return payload
