"""The items that flow through the pipelines: one fetch of one article page, or of one page requisite."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.model import EntryHints, Extraction


@dataclass
class ArticlePage:
    """A fetched (or failed) article page; the extract pipeline fills ``extraction``/``failure``."""

    article_id: int
    source: str
    url: str
    fetched_at: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    hints: EntryHints = field(default_factory=EntryHints)
    extraction: Extraction | None = None
    failure: str | None = None
    unchanged: str | None = None  # fast path taken (not-modified | same-body): no body, no extraction
    body_hash: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # (url, kind): redirect | canonical | amp
    requested_url: str | None = None  # before redirects; the extractor's declared aliases leave it out
    retry_at: str | None = None  # failed with a Retry-After: not to be fetched again before this (ISO)


@dataclass
class RequisitePage:
    """A fetched (or failed) stylesheet, image, font or script of an article page (``spiders.requisites``)."""

    source: str
    url: str
    fetched_at: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    failure: str | None = None
