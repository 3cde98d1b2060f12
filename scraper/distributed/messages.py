"""Results as they travel from workers to the writer: one Redis Stream entry per fetch or feed poll.

An entry has two fields: ``meta`` (JSON) and ``body`` (the raw page, zstd-compressed; empty for feeds and
failed fetches). Plain values only, no Scrapy types, so the writer imports neither Scrapy nor Twisted.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from archive import codec
from archive.model import DiscoveredLink, EntryHints, Extraction


@dataclass(frozen=True)
class ArticleResult:
    """One fetch of an article page, extracted (or failed)."""

    task: str
    link: str  # the canonical URL the request was made for (finds the article when ``article_id`` is 0)
    source: str
    url: str  # URL fetched, after redirects
    fetched_at: str
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    extraction: Extraction | None = None
    failure: str | None = None
    article_id: int = 0
    discovered_via: str | None = None
    unchanged: str | None = None  # fast path: not-modified | same-body (then no body, no extraction)
    body_hash: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FeedResult:
    """One poll of a feed: its links, validators, or the reason it failed."""

    task: str
    url: str
    source: str
    status: int | None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    links: tuple[DiscoveredLink, ...] = ()
    period: float | None = None  # update period the feed declares (sy:updatePeriod, ttl), in seconds


Result = ArticleResult | FeedResult


def encode(result: Result) -> dict[bytes, bytes]:
    """Stream entry fields for ``result``."""
    if isinstance(result, FeedResult):
        meta = {"kind": "feed", **asdict(result)}
        body = b""
    else:
        meta = {"kind": "article", **asdict(result)}
        meta.pop("body")
        body = codec.compress(result.body) if result.body is not None else b""
        meta["has_body"] = result.body is not None
    return {b"meta": json.dumps(meta, separators=(",", ":")).encode(), b"body": body}


def decode(fields: dict[bytes, bytes]) -> Result:
    """Inverse of :func:`encode`."""
    meta: dict[str, Any] = json.loads(fields[b"meta"])
    kind = meta.pop("kind")
    if kind == "feed":
        links = tuple(DiscoveredLink(link["url"], EntryHints(**link["hints"])) for link in meta.pop("links"))
        return FeedResult(**meta, links=links)
    has_body = meta.pop("has_body")
    extraction = meta.pop("extraction")
    body = codec.decompress(fields[b"body"]) if has_body else None
    aliases = tuple((url, kind) for url, kind in meta.pop("aliases"))
    return ArticleResult(**meta, body=body, aliases=aliases,
                         extraction=Extraction(**extraction) if extraction else None)
