"""Publication and update times of an article page, each with the source it came from.

Order of trust, per field (the first *sane* candidate wins, see docs/extraction.md):

1. ``json-ld`` — ``datePublished`` / ``dateModified`` of the page's article node;
2. ``meta`` — OpenGraph ``article:published_time`` / ``article:modified_time`` and their Dublin Core,
   Parse.ly, Sailthru… cousins;
3. ``microdata`` — the article's microdata item, ``itemprop`` dates and RDFa ``property``/``content``
   (Drupal's ``dc:created``) inside the article;
4. ``time`` — ``<time datetime>`` marked as the published/updated time (WordPress themes), inside the article;
5. ``text`` — visible lines ("Published …", "Updated March 1, 2024 01:47", "Aktualisiert am…") and, for the
   publication time, the date line near the headline (:mod:`.datelines`);
6. ``url`` — the date in the URL's path (``/2019/10/22/``), for the publication day;
7. ``feed`` — what the feed/sitemap entry said;
8. ``text`` again for the publication time: htmldate's extensive search (with the URL), then an update line
   when it is the only date the page shows;
9. ``http`` — the ``Last-Modified`` header, for the update time only.

The publication time is then checked against what its reader sees (:func:`_reconciled`): a time written in
UTC takes the page's own offset when the page shows the same instant in its zone (:mod:`.zones`); the URL's
day outranks a structured date of another day; structured candidates of different days are decided by the
visible date. A candidate is sane when it is not before 1995 nor in the future (see :mod:`.moments`); an
update time must also not precede the publication time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from lxml.etree import XPath
from lxml.html import HtmlElement

from archive.model import EntryHints

from . import htmldates, moments, zones
from .datelines import DateLines
from .moments import Moment
from .structured import PageData

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article.published", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "parsely-pub-date", "sailthru.date",
    "dcterms.created", "dcterms.date", "dc.date.issued", "dc.date", "date",
)
MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "article.updated",
    "datemodified", "last-modified", "lastmod", "dcterms.modified", "dc.date.modified",
)
_RDFA_PUBLISHED = ("dc:created", "dcterms:created", "schema:datepublished", "datepublished", "dc:date")
_RDFA_MODIFIED = ("dc:modified", "dcterms:modified", "schema:datemodified", "datemodified")
_TIME_PUBLISHED = XPath('//time[@datetime][@pubdate or contains(@class, "published") or contains(@class, "pubdate")]')
_TIME_UPDATED = XPath('//time[@datetime][contains(@class, "updated") or contains(@class, "modified")]')
_URL_DATE = re.compile(r"\D((?:199\d|20[0-3]\d))[/_-]([01]?\d)[/_-]([0-3]?\d)(?:\D|$)")


@dataclass(frozen=True)
class Dated:
    """A chosen time and where it came from."""

    moment: Moment
    source: str

    @property
    def value(self) -> str:
        return self.moment.value


def published(tree: HtmlElement, page: PageData, *, language: str | None = None,
              hints: EntryHints | None = None) -> Dated | None:
    """The page's declared publication time, by the order of trust above."""
    hints = hints or EntryHints()
    structured = list(_structured_published(page))
    url = url_day(page.url)
    if structured:
        return _reconciled(structured, page, language, url)
    lines = page.lines(language)
    for found in (lines.published, lines.near_headline):
        if found and (url is None or local_day(found) == url.value):
            return Dated(found, "text")
    if url:
        return Dated(url, "url")
    return next(_feed(hints.published_at, hints.origin), None) or _last_resort(page, lines, language)


def modified(tree: HtmlElement, page: PageData, *, published_at: Dated | None = None, language: str | None = None,
             hints: EntryHints | None = None, last_modified_header: str | None = None) -> Dated | None:
    """The page's own declared update time (never the crawl time), not earlier than ``published_at``."""
    for candidate in _modified_candidates(page, language, hints or EntryHints(), last_modified_header):
        if candidate.source == "text" and published_at and published_at.moment.offset:
            # "Stand: 21.03.2024 14:35 Uhr": a visible time without zone is in the zone of the page's own dates
            candidate = Dated(moments.in_zone(candidate.moment, published_at.moment.offset), "text")
        elif published_at and published_at.moment.offset not in (None, "+00:00"):
            candidate = _in_page_zone(candidate, page, [], None, look=False)
            if candidate.moment.offset == "+00:00":  # written in UTC like the publication: the page's zone is known
                candidate = Dated(zones.with_offset(candidate.moment, published_at.moment.offset), candidate.source)
        if published_at is None or not _before(candidate.moment, published_at.moment):
            return candidate
    return None


def url_day(url: str | None) -> Moment | None:
    """The publication day a URL's path spells (``/2019/10/22/``, ``/2017/7/12/``), if sane."""
    match = _URL_DATE.search(url or "")
    if match is None:
        return None
    try:
        return moments.from_structured(date(int(match[1]), int(match[2]), int(match[3])).isoformat())
    except ValueError:
        return None


def local_day(moment: Moment) -> str:
    """The calendar day of a stored time in the offset the page wrote (a bare day as it is)."""
    if moment.precision == "day" or not moment.offset:
        return moment.value[:10]
    sign = -1 if moment.offset.startswith("-") else 1
    hours, minutes = moment.offset[1:].split(":")
    utc = datetime.fromisoformat(moment.value.replace("Z", ""))
    return (utc + sign * timedelta(hours=int(hours), minutes=int(minutes))).date().isoformat()


def _reconciled(candidates: list[Dated], page: PageData, language: str | None, url: Moment | None) -> Dated:
    """The first structured candidate, checked against the URL's day and the date its reader sees."""
    fixed = [_in_page_zone(candidate, page, candidates, language) for candidate in candidates]
    days = [local_day(candidate.moment) for candidate in fixed]
    if url is not None and days[0] != url.value:
        return next((c for c, day in zip(fixed, days) if day == url.value), Dated(url, "url"))
    shown = _shown(page, language) if url is None else None
    if shown is not None and days[0] not in (local_day(shown), shown.alternative):
        # the article shows its reader another day: a structured candidate of that day if there is one (it has
        # the time), else the shown date itself; "03/04/2024" agrees with 3 April and with 4 March
        return next((c for c, day in zip(fixed, days) if day == local_day(shown)), Dated(shown, "text"))
    first = fixed[0]
    return first


def _in_page_zone(candidate: Dated, page: PageData, others: list[Dated], language: str | None, *,
                  look: bool = True) -> Dated:
    """``candidate`` in the page's own offset when it was written in UTC or without a zone (see :mod:`.zones`);
    ``look``: also at the date line the article shows."""
    moment = candidate.moment
    if not zones.written_in_utc(moment):
        return candidate
    if moment.offset is None:
        offset = zones.from_timestamps(moment, page.timestamps)
        return Dated(moments.in_zone(moment, offset), candidate.source) if offset else candidate
    same = zones.same_instant(moment, [other.moment for other in others])
    offset = same.offset if same else zones.from_timestamps(moment, page.timestamps)
    if offset is None and look and (shown := _shown(page, language)) is not None:
        if shown.precision != "day" and shown.offset is None:
            offset = zones.wall_clock_offset(moment, datetime.fromisoformat(shown.value.replace("Z", "")))
    return Dated(zones.with_offset(moment, offset), candidate.source) if offset else candidate


def _shown(page: PageData, language: str | None) -> Moment | None:
    """The publication date the article shows its reader: a labelled line, else the date near the headline."""
    lines = page.lines(language)
    return lines.published or lines.near_headline


def _one_day_apart(left: str, right: str) -> bool:
    return abs((date.fromisoformat(left[:10]) - date.fromisoformat(right[:10])).days) == 1


def _structured_published(page: PageData) -> Iterator[Dated]:
    yield from _sane("json-ld", (node.get("datePublished") for node in page.jsonld))
    yield from _sane("meta", page.meta_values(*PUBLISHED_META))
    yield from _sane("microdata", (item.get("datePublished") for item in page.microdata))
    yield from _sane("microdata", _scoped_dates(page, "datePublished", _RDFA_PUBLISHED))
    yield from _sane("time", (node.get("datetime") for node in _TIME_PUBLISHED(page.tree) if page.scope.contains(node)))


def _modified_candidates(page: PageData, language: str | None, hints: EntryHints, header: str | None) -> Iterator[Dated]:
    yield from _sane("json-ld", (node.get("dateModified") for node in page.jsonld))
    yield from _sane("meta", page.meta_values(*MODIFIED_META))
    yield from _sane("microdata", (item.get("dateModified") for item in page.microdata))
    yield from _sane("microdata", _scoped_dates(page, "dateModified", _RDFA_MODIFIED))
    yield from _sane("time", (node.get("datetime") for node in _TIME_UPDATED(page.tree) if page.scope.contains(node)))
    if found := page.lines(language).updated:
        yield Dated(found, "text")
    yield from _feed(hints.updated_at, hints.origin)
    if found := moments.from_http(header):
        yield Dated(found, "http")


def _last_resort(page: PageData, lines: DateLines, language: str | None) -> Dated | None:
    """htmldate's extensive search, then an update line when it is the only date the page shows."""
    if found := htmldates.oldest_day(page, language):
        return Dated(found, "text")
    return Dated(found, "text") if (found := lines.updated) else None


def _sane(source: str, values) -> Iterator[Dated]:
    seen = set()
    for value in values:
        if isinstance(value, list):  # JSON-LD allows several values; the first is the declared one
            value = value[0] if value else None
        if not isinstance(value, str) or value in seen:  # og: and Dublin Core often repeat one value
            continue
        seen.add(value)
        if found := moments.from_structured(value):
            yield Dated(found, source)


def _feed(value: str | None, origin: str) -> Iterator[Dated]:
    """Feed/sitemap dates reach us normalised to UTC: the offset they wrote is not known any more."""
    for found in _sane(origin, [value]):
        yield Dated(replace(found.moment, offset=None), origin)


def _before(candidate: Moment, published_at: Moment) -> bool:
    if "day" in (candidate.precision, published_at.precision):
        return local_day(candidate) < local_day(published_at)
    return candidate.value < published_at.value


def _scoped_dates(page: PageData, itemprop: str, rdfa: tuple[str, ...]) -> Iterator[str]:
    """``itemprop`` dates outside any article item and RDFa ``property`` dates, inside the article only."""
    for node in page.marked:
        if node.get("itemprop") == itemprop and page.scope.contains(node):
            yield node.get("content") or node.get("datetime") or node.text_content()
    for node in page.marked:
        declared = (node.get("property") or "").lower().split()
        if node.get("content") and any(prop in declared for prop in rdfa) and page.scope.contains(node):
            yield node.get("content")
