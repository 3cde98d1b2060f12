"""Plain value objects passed between the crawler, the extractor and the archive (no Scrapy types)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class EntryHints:
    """What a feed (or sitemap) entry said about an article; fills gaps the page leaves."""

    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class DiscoveredLink:
    """An article link found while polling a feed, already canonicalised."""

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

    def as_row(self) -> dict[str, str | None]:
        """The extraction as ``versions`` columns."""
        return asdict(self)


@dataclass(frozen=True)
class Capture:
    """One HTTP fetch of an article page, successful or not."""

    url: str
    fetched_at: str
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    error: str | None = None


@dataclass(frozen=True)
class ArticleCapture:
    """One fetch of one article with its extraction (or failure reason): a unit of a write batch."""

    article_id: int
    capture: Capture
    extraction: Extraction | None = None
    failure: str | None = None
