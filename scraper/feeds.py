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
from feedparser.encodings import convert_to_utf8

from archive.model import DiscoveredLink, EntryHints
from archive.urls import canonical_url

from .entries import DocumentError, clean_text, plausible_date, read_entries
from .nesting import loads_shallow

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# A numeric character reference to a code point XML forbids (a surrogate, NUL, beyond U+10FFFF):
# feedparser's loose parser calls chr() on it and the whole feed fails; it becomes U+FFFD instead.
_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]+|[0-9]+);")
_MAX_PERIOD = timedelta(days=365)


class FeedError(DocumentError):
    """The body is not a usable feed; ``reason`` is a short code."""


_PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 30 * 86400, "yearly": 365 * 86400}


@dataclass(frozen=True)
class FeedDocument:
    """A parsed feed: its links and the update period it declares (``sy:updatePeriod``/``ttl``), if any."""

    links: list[DiscoveredLink]
    period: timedelta | None = None
    skipped: int = 0  # entries that could not be read (see scraper.entries)


def parse_feed(body: bytes, feed_url: str, content_type: str = "") -> list[DiscoveredLink]:
    """The article links of a feed, canonicalised, with what each entry says about its article."""
    return parse_feed_document(body, feed_url, content_type).links


def parse_feed_document(body: bytes, feed_url: str, content_type: str = "") -> FeedDocument:
    """:func:`parse_feed` plus the feed's declared update period and the number of unreadable entries."""
    if _looks_like_json(body, content_type):
        return _json_feed(body, feed_url)
    media_type = content_type.split(";")[0].strip() or "application/xml"
    # feedparser's own decoding (BOM, XML declaration, charset, EBCDIC...): the check below reads the
    # very bytes its parsers would read, whatever the feed's encoding.
    data = convert_to_utf8({"content-type": content_type or media_type}, body, {})
    if declares_entities(data) or declares_entities(body):
        # feedparser's loose parser expands entities the strict parser refused: never let it try.
        raise FeedError("feed-entities", "feed declares XML entities (refused: entity expansion attack)")
    # Entry HTML (descriptions, content:encoded) is never used: skipping its sanitising and URI
    # rewriting makes big feeds 2-3× faster (tests/test_feed_entities.py measures it).
    parsed = feedparser.parse(
        _CHAR_REF.sub(_safe_char_ref, data),
        response_headers={"content-location": feed_url, "content-type": f"{media_type}; charset=utf-8"},
        sanitize_html=False, resolve_relative_uris=False,
    )
    problem = getattr(parsed, "bozo_exception", None)
    if not parsed.get("version") and not parsed.get("entries"):
        raise FeedError("not-a-feed", _first_line(problem or "no RSS/Atom/JSON Feed root element"))
    read = read_entries(parsed.entries, lambda entry: _entry(entry, feed_url), feed_url)
    if not read.links and not read.skipped and isinstance(problem, SAXException):
        # Not well-formed and nothing recovered (typically a truncated download). A malformed feed
        # whose entries the loose parser recovers is common on the real web and counts as polled.
        raise FeedError("feed-malformed", _first_line(problem))
    return FeedDocument(read.links, _declared_period(parsed.feed), read.skipped)


def _safe_char_ref(match: re.Match[bytes]) -> bytes:
    ref = match.group(1)
    hexadecimal = ref[:1] in (b"x", b"X")
    digits = (ref[1:] if hexadecimal else ref).lstrip(b"0") or b"0"
    if len(digits) > 7:  # past U+10FFFF either way (and int() refuses 4,300+ digits)
        return b"&#xFFFD;"
    code = int(digits, 16 if hexadecimal else 10)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return match.group(0)
    return b"&#xFFFD;"


def _entry(entry: feedparser.FeedParserDict, feed_url: str) -> DiscoveredLink | None:
    link = _entry_link(entry, feed_url)
    return DiscoveredLink(link, _hints(entry)) if link else None


def _declared_period(channel: feedparser.FeedParserDict) -> timedelta | None:
    """RSS ``<ttl>`` (minutes) or ``sy:updatePeriod`` / ``sy:updateFrequency``."""
    try:
        if channel.get("ttl"):
            period = timedelta(minutes=min(int(channel["ttl"]), 10**7))
        elif seconds := _PERIODS.get(str(channel.get("sy_updateperiod", "")).strip().lower()):
            period = timedelta(seconds=seconds / max(1, min(int(channel.get("sy_updatefrequency") or 1), 10**7)))
        else:
            return None
    except (TypeError, ValueError, OverflowError):
        return None
    # a period of years (or a negative one) is not one the publisher can mean; the poll bounds apply anyway
    return min(period, _MAX_PERIOD) if period > timedelta(0) else None


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
    try:
        return plausible_date(datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc))
    except (ValueError, OverflowError, OSError):  # year 0, or past year 9999
        return None


def _looks_like_json(body: bytes, content_type: str) -> bool:
    return "json" in content_type.lower() or body.lstrip()[:1] == b"{"


def _json_feed(body: bytes, feed_url: str) -> FeedDocument:
    try:
        data = loads_shallow(body)
    except ValueError as exc:
        raise FeedError("not-a-feed", f"invalid JSON ({str(exc)[:200]})") from None
    if not isinstance(data, dict) or "jsonfeed.org/version" not in str(data.get("version", "")):
        raise FeedError("not-a-feed", "JSON without a jsonfeed.org version")
    items = data.get("items") or []
    if not isinstance(items, list):
        raise FeedError("not-a-feed", f"JSON Feed 'items' is a {type(items).__name__}, not a list")
    read = read_entries(items, lambda item: _json_item(item, feed_url), feed_url)
    return FeedDocument(read.links, skipped=read.skipped)


def _json_item(item: object, feed_url: str) -> DiscoveredLink | None:
    if not isinstance(item, dict):
        return None
    link = _http_link(item.get("url") or item.get("external_url"), feed_url)
    return DiscoveredLink(link, _json_hints(item)) if link else None


def _json_hints(item: dict) -> EntryHints:
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item["author"]] if isinstance(item.get("author"), dict) else []
    names = [name for a in authors if isinstance(a, dict) and (name := clean_text(a.get("name")))]
    return EntryHints(
        title=clean_text(item.get("title")),
        author=", ".join(names) or None,
        published_at=_rfc3339(item.get("date_published")),
        updated_at=_rfc3339(item.get("date_modified")),
    )


def _rfc3339(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return plausible_date(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def _unique(links: list[DiscoveredLink]) -> list[DiscoveredLink]:
    seen: dict[str, DiscoveredLink] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return list(seen.values())
