"""Plain value objects passed between the crawler, the extractor and the archive (no Scrapy types)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class EntryHints:
    """What a feed (or sitemap) entry said about an article; fills gaps the page leaves."""

    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    origin: str = "feed"  # feed | sitemap | page | manual: the `*_source` of fields it fills


@dataclass(frozen=True)
class DiscoveredLink:
    """An article link found while polling a feed, sitemap or section page, already canonicalised."""

    url: str
    hints: EntryHints = field(default_factory=EntryHints)


@dataclass(frozen=True)
class Extraction:
    """The extracted article: the fields stored on a ``versions`` row."""

    text: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    published_source: str | None = None
    modified_at: str | None = None
    modified_source: str | None = None
    language: str | None = None
    description: str | None = None
    sitename: str | None = None
    # 0005_metadata: where each field came from, how precise the dates are, the offsets the page wrote
    title_source: str | None = None
    authors: tuple[str, ...] = ()
    author_source: str | None = None
    published_precision: str | None = None
    published_offset: str | None = None
    modified_precision: str | None = None
    modified_offset: str | None = None

    def as_row(self) -> dict[str, str | None]:
        """The extraction as ``versions`` columns (``authors`` as a JSON array)."""
        row = {f.name: getattr(self, f.name) for f in fields(self)}  # asdict() deep-copies: slower
        row["authors"] = json.dumps(list(self.authors), ensure_ascii=False)
        return row


@dataclass(frozen=True)
class Capture:
    """One HTTP fetch of an article page, successful or not."""

    url: str
    fetched_at: str
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    error: str | None = None
    # fast paths: "not-modified" (a 304) or "same-body" (raw bytes identical to the last capture);
    # then ``body`` is None and, for same-body, ``body_hash`` names the bytes that were not stored again
    unchanged: str | None = None
    body_hash: str | None = None  # sha256 of the raw body when the fetcher already computed it
    # other URLs this fetch showed for the article: (url, kind) with kind redirect | canonical | amp
    aliases: tuple[tuple[str, str], ...] = ()
    retry_at: str | None = None  # a failure whose server asked (Retry-After) not to come back before this


@dataclass(frozen=True)
class ArticleCapture:
    """One fetch of one article with its extraction (or failure reason): a unit of a write batch."""

    article_id: int
    capture: Capture
    extraction: Extraction | None = None
    failure: str | None = None
