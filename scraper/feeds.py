"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed through json."""

from __future__ import annotations

import calendar
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXException

import feedparser

from archive.clock import iso
from archive.model import DiscoveredLink, EntryHints
from archive.urls import canonical_url

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class FeedError(ValueError):
    """The body is not a usable feed; ``reason`` is a short code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


_PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 30 * 86400, "yearly": 365 * 86400}


@dataclass(frozen=True)
class FeedDocument:
    """A parsed feed: its links and the update period it declares (``sy:updatePeriod``/``ttl``), if any."""

    links: list[DiscoveredLink]
    period: timedelta | None = None


def parse_feed(body: bytes, feed_url: str, content_type: str = "") -> list[DiscoveredLink]:
    """The article links of a feed, canonicalised, with what each entry says about its article."""
    return parse_feed_document(body, feed_url, content_type).links


def parse_feed_document(body: bytes, feed_url: str, content_type: str = "") -> FeedDocument:
    """:func:`parse_feed` plus the feed's declared update period."""
    if _looks_like_json(body, content_type):
        return FeedDocument(_json_feed_links(body, feed_url))
    if declares_entities(body):
        # feedparser's loose parser expands entities the strict parser refused: never let it try.
        raise FeedError("feed-entities", "feed declares XML entities (refused: entity expansion attack)")
    # Entry HTML (descriptions, content:encoded) is never used: skipping its sanitising and URI
    # rewriting makes big feeds 2-3× faster (tests/test_feed_entities.py measures it).
    parsed = feedparser.parse(
        body, response_headers={"content-location": feed_url, "content-type": content_type or "application/xml"},
        sanitize_html=False, resolve_relative_uris=False,
    )
    problem = getattr(parsed, "bozo_exception", None)
    if not parsed.get("version") and not parsed.get("entries"):
        raise FeedError("not-a-feed", _first_line(problem or "no RSS/Atom/JSON Feed root element"))
    links = []
    for entry in parsed.entries:
        if link := _entry_link(entry, feed_url):
            links.append(DiscoveredLink(link, _hints(entry)))
    if not links and isinstance(problem, SAXException):
        # Not well-formed and nothing recovered (typically a truncated download). A malformed feed
        # whose entries the loose parser recovers is common on the real web and counts as polled.
        raise FeedError("feed-malformed", _first_line(problem))
    return FeedDocument(_unique(links), _declared_period(parsed.feed))


def _declared_period(channel: feedparser.FeedParserDict) -> timedelta | None:
    """RSS ``<ttl>`` (minutes) or ``sy:updatePeriod`` / ``sy:updateFrequency``."""
    try:
        if channel.get("ttl"):
            return timedelta(minutes=int(channel["ttl"]))
        period = _PERIODS.get(str(channel.get("sy_updateperiod", "")).strip().lower())
        if period:
            return timedelta(seconds=period / max(1, int(channel.get("sy_updatefrequency") or 1)))
    except (TypeError, ValueError):
        return None
    return None


def declares_entities(body: bytes) -> bool:
    """True when the document declares an XML entity anywhere (also past a long prolog, also in UTF-16/32).

    >>> declares_entities('<!DOCTYPE r [<!ENTITY a "b">]><r/>'.encode("utf-16"))
    True
    """
    if _ENTITY_DECLARATION.search(body):
        return True
    # UTF-16/32: the ASCII of "<!ENTITY" is interleaved with NUL bytes
    return b"\x00" in body[:4096] and _ENTITY_DECLARATION.search(body.replace(b"\x00", b"")) is not None


def _first_line(problem: object) -> str:
    return str(problem).splitlines()[0][:200] if str(problem) else type(problem).__name__


def _entry_link(entry: feedparser.FeedParserDict, feed_url: str) -> str | None:
    href = entry.get("link")
    if not href:
        for candidate in entry.get("links", []):
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                href = candidate["href"]
                break
    return _http_link(href, feed_url)


def _http_link(href: object, base: str) -> str | None:
    if not isinstance(href, str) or not href.strip():
        return None
    absolute = urljoin(base, href.strip())
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return canonical_url(absolute)


def _hints(entry: feedparser.FeedParserDict) -> EntryHints:
    published = _struct_time(dict.get(entry, "published_parsed"))
    # dict.get: feedparser's own .get maps a missing `updated` to `published` (with a warning)
    updated = _struct_time(dict.get(entry, "updated_parsed"))
    return EntryHints(
        title=entry.get("title") or None,
        author=entry.get("author") or None,
        published_at=published or updated,
        updated_at=updated if updated != published else None,
    )


def _struct_time(value: time.struct_time | None) -> str | None:
    if not value:
        return None
    return iso(datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc))


def _looks_like_json(body: bytes, content_type: str) -> bool:
    return "json" in content_type.lower() or body.lstrip()[:1] == b"{"


def _json_feed_links(body: bytes, feed_url: str) -> list[DiscoveredLink]:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise FeedError("not-a-feed", f"invalid JSON ({exc})") from None
    if not isinstance(data, dict) or "jsonfeed.org/version" not in str(data.get("version", "")):
        raise FeedError("not-a-feed", "JSON without a jsonfeed.org version")
    links = []
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        link = _http_link(item.get("url") or item.get("external_url"), feed_url)
        if link:
            links.append(DiscoveredLink(link, _json_hints(item)))
    return _unique(links)


def _json_hints(item: dict) -> EntryHints:
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
    return EntryHints(
        title=item.get("title") or None,
        author=", ".join(names) or None,
        published_at=_rfc3339(item.get("date_published")),
        updated_at=_rfc3339(item.get("date_modified")),
    )


def _rfc3339(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return iso(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))


def _unique(links: list[DiscoveredLink]) -> list[DiscoveredLink]:
    seen: dict[str, DiscoveredLink] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return list(seen.values())
