"""Export captures as WARC/1.1 (warcio): request + response per capture, revisit records for repeated bodies,
a metadata record per version, written as ``.open`` files renamed when complete, rotated at ``max_size``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .atomicio import atomic_output
from .clock import now_iso
from .errors import ArchiveError
from .queries import normalise_time
from .store import Archive

DEFAULT_MAX_SIZE = 1_000_000_000
SOFTWARE = "newsarchive"
METADATA_TYPE = "application/vnd.newsarchive.version+json"
# Not the page's own URI: replay tools (pywb) index metadata records too, and one with the page's URI and
# timestamp would be served in place of the page.
METADATA_URI_PREFIX = "metadata://newsarchive/"
# The stored body is decoded (no transfer/content coding), so these headers would lie about it.
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcInvalid(ArchiveError):
    """A WARC we wrote does not read back with valid digests (it is left as ``.open``… and removed)."""


@dataclass
class WarcExportReport:
    """What an export wrote."""

    files: list[Path] = field(default_factory=list)
    responses: int = 0
    revisits: int = 0
    requests: int = 0
    metadata: int = 0
    skipped_no_response: int = 0


@dataclass(frozen=True)
class _Original:
    uri: str
    date: str
    record_id: str
    digest: str


def http_headers_for(status: int, headers: dict[str, str], body_length: int) -> StatusAndHeaders:
    """The response's status line and headers, made consistent with the stored (decoded) body."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    items = [(name, value) for name, value in headers.items() if name.lower() not in _DROPPED_HEADERS]
    items.append(("Content-Length", str(body_length)))
    return StatusAndHeaders(f"{status} {reason}", items, protocol="HTTP/1.1")


def _request_headers(url: str) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc)], protocol="HTTP/1.1",
                            is_http_request=True)


def _captures(archive: Archive, sources: Sequence[str], since: str | None, until: str | None) -> Iterator[dict[str, Any]]:
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if sources:
        where.append(f"a.source in ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    if since:
        where.append("c.fetched_at >= ?")
        params.append(normalise_time(since))
    if until:
        where.append("c.fetched_at < ?")
        params.append(normalise_time(until))
    sql = (
        "select c.id, c.article_id, c.version_id, c.url, c.fetched_at, c.status, c.headers, c.body_hash,"
        " a.url as article_url, a.source, a.entry_title, a.entry_author, a.entry_published_at, a.entry_updated_at"
        f" from captures_full c join articles a on a.id = c.article_id where {' and '.join(where)}"
        " order by c.fetched_at, c.id"
    )
    yield from archive.db.query(sql, params)


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
    """Write the captures fetched in ``[since, until)`` (of ``sources``) to ``out`` (rotating past ``max_size``)."""
    report = WarcExportReport()
    files = _Writer(Path(out), max_size, version)
    originals: dict[str, _Original] = {}
    exported_versions: set[int] = set()
    try:
        for capture in _captures(archive, sources, since, until):
            if capture["status"] is None:
                report.skipped_no_response += 1
                continue
            writer = files.current()
            response_id = _write_capture(archive, writer, capture, originals, report)
            if capture["version_id"] is not None and capture["version_id"] not in exported_versions:
                exported_versions.add(capture["version_id"])
                _write_metadata(archive, writer, capture, response_id)
                report.metadata += 1
            files.maybe_rotate()
        if not files.files:
            files.current()  # an empty export still writes one valid file (a warcinfo record)
    except BaseException as exc:
        files.close(exc)
        raise
    files.close()
    report.files = files.files
    return report


def _write_capture(
    archive: Archive, writer: WARCWriter, capture: dict[str, Any], originals: dict[str, _Original],
    report: WarcExportReport,
) -> str:
    body = archive.capture_body(capture["id"]) if capture["body_hash"] else None
    body = body or b""
    headers = json.loads(capture["headers"] or "{}")
    http_headers = http_headers_for(capture["status"], headers, len(body))
    uri, date = capture["url"], capture["fetched_at"]
    original = originals.get(capture["body_hash"]) if capture["body_hash"] else None
    if original is not None:
        record = writer.create_revisit_record(
            uri, original.digest, original.uri, original.date, http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": original.record_id},
        )
        report.revisits += 1
    else:
        record = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http_headers,
                                           warc_headers_dict={"WARC-Date": date})
        report.responses += 1
    response_id = record.rec_headers.get_header("WARC-Record-ID")
    if original is None and capture["body_hash"]:
        originals[capture["body_hash"]] = _Original(uri, date, response_id,
                                                    record.rec_headers.get_header("WARC-Payload-Digest"))
    request = writer.create_warc_record(uri, "request", http_headers=_request_headers(uri),
                                        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id})
    writer.write_record(record)
    writer.write_record(request)
    report.requests += 1
    return response_id


def metadata_for(archive: Archive, capture: dict[str, Any]) -> dict[str, Any]:
    """The metadata record's JSON: the version's extracted fields, its article, and the feed entry hints."""
    version = archive.db.table("versions").get(capture["version_id"])
    payload = {key: value for key, value in version.items() if key not in ("id", "article_id")}
    payload.update(
        article_url=capture["article_url"], source=capture["source"],
        entry_title=capture["entry_title"], entry_author=capture["entry_author"],
        entry_published_at=capture["entry_published_at"], entry_updated_at=capture["entry_updated_at"],
    )
    return payload


def _write_metadata(archive: Archive, writer: WARCWriter, capture: dict[str, Any], response_id: str) -> None:
    payload = json.dumps(metadata_for(archive, capture), ensure_ascii=False, sort_keys=True).encode()
    record = writer.create_warc_record(
        METADATA_URI_PREFIX + capture["url"], "metadata", payload=BytesIO(payload), length=len(payload), warc_content_type=METADATA_TYPE,
        warc_headers_dict={"WARC-Date": capture["fetched_at"], "WARC-Concurrent-To": response_id},
    )
    writer.write_record(record)
