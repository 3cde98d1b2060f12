"""newsarchive's own WARC ``metadata`` records: what a WARC cannot say by itself about a capture, a version
and an article, written by the export and read back (type-checked) by the import.

Three JSON payloads, each a ``metadata`` record whose ``WARC-Concurrent-To`` is the capture's response or
revisit record (or, for a fetch that got no response, which has no such record, the capture record alone):

- ``capture`` (every capture): the stored status and headers (a 304's own, which the replayable revisit record
  does not carry), the failure reason, the article it belongs to (none for a page that is no article or a
  requisite), the number of the version it showed, and for a requisite its source and referrer.
- ``version`` (the first exported capture of each version): the extracted fields and timestamps.
- ``article`` (the first exported capture of each article): URL, source, provenance, feed-entry hints, aliases
  and requisites.

Their ``WARC-Target-URI`` is ``metadata://newsarchive/<url>``, not the page's: pywb indexes metadata records,
and one with the page's URI and date would be served in place of the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from .errors import ArchiveError
from .model import Extraction

URI_PREFIX = "metadata://newsarchive/"
VERSION_TYPE = "application/vnd.newsarchive.version+json"
CAPTURE_TYPE = "application/vnd.newsarchive.capture+json"
ARTICLE_TYPE = "application/vnd.newsarchive.article+json"
TYPES = {VERSION_TYPE: "version", CAPTURE_TYPE: "capture", ARTICLE_TYPE: "article"}

_STR = (str,)
_OPT_STR = (str, type(None))
_OPT_INT = (int, type(None))

_CAPTURE_FIELDS = {"article_url": _OPT_STR, "status": _OPT_INT, "headers": (dict,), "error": _OPT_STR,
                   "version": _OPT_INT, "body": (bool,), "requisite": (dict, type(None))}
_REQUISITE_FIELDS = {"source": _STR, "first_seen_at": _STR, "parent": _OPT_STR}
_ARTICLE_FIELDS = {"url": _STR, "source": _STR, "first_seen_at": _STR, "discovered_via": _OPT_STR,
                   "entry_title": _OPT_STR, "entry_author": _OPT_STR, "entry_published_at": _OPT_STR,
                   "entry_updated_at": _OPT_STR, "entry_source": _OPT_STR, "aliases": (list,), "requisites": (list,)}
_ALIAS_FIELDS = {"url": _STR, "kind": _STR, "first_seen_at": _OPT_STR}
_EXTRACTION_FIELDS = {f.name for f in fields(Extraction)}
_VERSION_FIELDS = {
    **{name: _OPT_STR for name in _EXTRACTION_FIELDS}, "text": _STR, "authors": _OPT_STR,
    "version": (int,), "article_url": _STR, "source": _OPT_STR, "first_seen_at": _OPT_STR, "last_seen_at": _OPT_STR,
    "reverts_to": _OPT_INT, "content_hash": _OPT_STR, "entry_title": _OPT_STR, "entry_author": _OPT_STR,
    "entry_published_at": _OPT_STR, "entry_updated_at": _OPT_STR,
}


class BadMetadata(ArchiveError):
    """A newsarchive metadata record that is not JSON of the expected shape (it is skipped, counted)."""


@dataclass(frozen=True)
class CaptureMeta:
    article_url: str | None
    status: int | None
    headers: dict[str, str]
    error: str | None
    version: int | None
    body: bool  # whether the capture stored a body (a failure may keep none; the record's payload is then empty)
    requisite: dict[str, Any] | None


def dumps(payload: dict[str, Any]) -> bytes:
    """A metadata payload as the export writes it (UTF-8 JSON, keys sorted)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


def parse(kind: str, raw: bytes) -> Any:
    """The checked payload of a ``kind`` record (``capture``: a :class:`CaptureMeta`; else a dict); raise
    :class:`BadMetadata` naming the first field of the wrong type."""
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadMetadata(f"{kind} metadata is not JSON ({exc})") from None
    if kind == "capture":
        _check(payload, _CAPTURE_FIELDS, kind, required=("headers", "body"))
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in payload["headers"].items()):
            raise BadMetadata("capture metadata: 'headers' must map names to strings")
        if payload.get("requisite") is not None:
            _check(payload["requisite"], _REQUISITE_FIELDS, "requisite", required=("source", "first_seen_at"))
        return CaptureMeta(**{name: payload.get(name) for name in _CAPTURE_FIELDS})  # type: ignore[arg-type]
    if kind == "version":
        _check(payload, _VERSION_FIELDS, kind, required=("text", "version", "article_url"))
        authors(payload)
        return payload
    _check(payload, _ARTICLE_FIELDS, kind, required=("url", "source", "first_seen_at"))
    for alias in payload.get("aliases", []):
        _check(alias, _ALIAS_FIELDS, "alias", required=("url", "kind"))
    if not all(isinstance(url, str) for url in payload.get("requisites", [])):
        raise BadMetadata("article metadata: 'requisites' must be a list of URLs")
    return payload


def _check(payload: Any, spec: dict[str, tuple[type, ...]], kind: str, *, required: tuple[str, ...]) -> None:
    if not isinstance(payload, dict):
        raise BadMetadata(f"{kind} metadata is not a JSON object")
    for name in required:
        if name not in payload:
            raise BadMetadata(f"{kind} metadata has no {name!r}")
    for name, allowed in spec.items():
        value = payload.get(name)
        if name in payload and (not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed)):
            raise BadMetadata(f"{kind} metadata: {name!r} is {type(value).__name__}, not {' or '.join(t.__name__ for t in allowed)}")


def authors(version: dict[str, Any]) -> tuple[str, ...]:
    """A version payload's ``authors`` (a JSON array of names, as the ``versions`` column stores it)."""
    raw = version.get("authors")
    if raw is None:
        return ()
    try:
        names = json.loads(raw)
    except ValueError:
        names = None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise BadMetadata("version metadata: 'authors' is not a JSON array of names")
    return tuple(names)


def extraction(version: dict[str, Any]) -> Extraction:
    """The :class:`Extraction` a version payload records (so an import stores the version as it was)."""
    values = {name: version.get(name) for name in _EXTRACTION_FIELDS if name != "authors"}
    return Extraction(**values, authors=authors(version))
