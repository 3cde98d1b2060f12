"""Reading the entries of a feed, sitemap or section page one at a time: a bad entry costs only itself.

A hostile or broken document mixes good entries with ones no code expects: a date in year 0, a link
whose port is out of range, a lone surrogate in a title, a number where a string belongs. Each entry
is read inside :func:`read_entries`; one that raises is skipped, counted and logged with its reason,
and the others still reach the archive. What an entry yields is made storable here (text SQLite can
encode, dates it can order), so the write of the poll never fails on it either.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TypeVar
from urllib.parse import urlsplit

from archive.clock import iso, utcnow
from archive.errors import ArchiveError
from archive.model import DiscoveredLink, EntryHints

logger = logging.getLogger(__name__)

Entry = TypeVar("Entry")

EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST_AHEAD = timedelta(days=366)  # a date further in the future than this is not meant
_SURROGATES = re.compile("[\ud800-\udfff]")


class DocumentError(ValueError):
    """A polled document (feed, sitemap, section page) that cannot be read at all; ``reason`` is a short code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


class BadEntry(ValueError):
    """An entry that cannot be archived (the message says why)."""


@dataclass
class EntriesRead:
    """The links of a document's entries, and how many entries were skipped as unreadable."""

    links: list[DiscoveredLink] = field(default_factory=list)
    skipped: int = 0


def read_entries(
    entries: Iterable[Entry], read: Callable[[Entry], DiscoveredLink | None], where: str
) -> EntriesRead:
    """Apply ``read`` to every entry (None: the entry has no article link); an entry that raises is
    skipped and counted, and so is the rest of ``entries`` if iterating them raises. Links are
    de-duplicated (first entry wins) and checked with :func:`storable_link`."""
    result = EntriesRead()
    seen: set[str] = set()
    iterator = iter(entries)
    index = 0
    while True:
        try:
            entry = next(iterator)
        except StopIteration:
            break
        except ArchiveError:
            raise
        except Exception as exc:  # the document itself breaks off: keep what was read
            _skipped(result, where, index, exc)
            break
        index += 1
        try:  # one boundary: whatever one entry does, the others are read
            link = read(entry)
            if link is not None:
                link = storable_link(link)
        except ArchiveError:  # the archive failing is not the entry's fault: it stops the crawl
            raise
        except Exception as exc:
            _skipped(result, where, index, exc)
            continue
        if link is not None and link.url not in seen:
            seen.add(link.url)
            result.links.append(link)
    return result


def _skipped(result: EntriesRead, where: str, index: int, exc: Exception) -> None:
    result.skipped += 1
    logger.warning("%s: entry %d skipped (%s: %s)", where, index, type(exc).__name__, str(exc)[:200])


def storable_link(link: DiscoveredLink) -> DiscoveredLink:
    """The link with text SQLite can store (lone surrogates become U+FFFD); raises :class:`BadEntry`
    for a URL that is not an absolute http(s) URL with a host and a valid port."""
    url = link.url
    if _SURROGATES.search(url):
        raise BadEntry(f"URL {url.encode('utf-8', 'backslashreplace').decode()[:100]!r} is not valid Unicode")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadEntry(f"{url[:100]!r} is not an http(s) URL with a host")
    parts.port  # raises ValueError when out of range
    hints = link.hints
    return DiscoveredLink(url, EntryHints(
        title=clean_text(hints.title), author=clean_text(hints.author),
        published_at=hints.published_at, updated_at=hints.updated_at, origin=hints.origin,
    ))


def clean_text(value: object) -> str | None:
    """A hint's text: None unless a non-empty string; lone surrogates replaced by U+FFFD."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _SURROGATES.sub("\ufffd", value)


def plausible_date(moment: datetime | None) -> str | None:
    """``moment`` as the archive's ISO UTC when a news entry can mean it (from 1900 to a year ahead),
    else None: year 0, year 1 with an offset or year 9999 are not dates anyone published at."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        utc = moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None
    if utc < EARLIEST or utc > utcnow() + LATEST_AHEAD:
        return None
    return iso(utc)
