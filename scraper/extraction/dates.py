"""Publication and update times of an article page, each with the source it came from.

Order of trust, per field (the first *sane* candidate wins, see docs/extraction.md):

1. ``json-ld`` — ``datePublished`` / ``dateModified`` of the page's article node;
2. ``meta`` — OpenGraph ``article:published_time`` / ``article:modified_time`` and their Dublin Core,
   Parse.ly, Sailthru… cousins;
3. ``microdata`` — ``itemprop`` microdata and RDFa ``property``/``content`` (Drupal's ``dc:created``);
4. ``time`` — ``<time datetime>`` marked as the published/updated time (WordPress themes);
5. ``text`` — visible lines ("Updated March 1, 2024 01:47", "Aktualisiert am…", "Mis à jour le…"); for the
   publication time also elements a theme marks as dates (``class="date"``), then htmldate's oldest day;
6. ``feed`` — what the feed/sitemap entry said;
7. ``http`` — the ``Last-Modified`` header, for the update time only.

A candidate is sane when it is not before 1995 nor in the future (see :mod:`.moments`); an update time
must also not precede the publication time. trafilatura's own date is the page's *latest* date, so it is
not used.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import htmldate
from lxml.html import HtmlElement

from archive.model import EntryHints

from . import moments
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

_PUBLISHED_LABELS = (
    r"published(?:\s+on)?|posted(?:\s+on)?|first\s+published(?:\s+on)?|veröffentlicht(?:\s+am)?|erschienen(?:\s+am)?|"
    r"publié(?:\s+le)?|publicado(?:\s+(?:el|em|a|às))?|pubblicato(?:\s+il)?|gepubliceerd(?:\s+op)?"
)
_UPDATED_LABELS = (
    r"last\s+updated?(?:\s+on)?|updated(?:\s+on)?|modified(?:\s+on)?|zuletzt\s+aktualisiert(?:\s+am)?|"
    r"aktualisiert(?:\s+am)?|stand:|mis\s+à\s+jour(?:\s+le)?|modifié(?:\s+le)?|última\s+actualización:?|"
    r"actualizado(?:\s+el)?|ultimo\s+aggiornamento:?|aggiornato(?:\s+il)?|modificato(?:\s+il)?|modifica\s+il|"
    r"última\s+atualização:?|"
    r"atualizado(?:\s+em)?|bijgewerkt(?:\s+op)?"
)
PUBLISHED_LINE = re.compile(rf"\b(?:{_PUBLISHED_LABELS})\s*[:\-–]?\s*(?P<date>.{{0,70}})", re.IGNORECASE)
UPDATE_LINE = re.compile(rf"\b(?:{_UPDATED_LABELS})\s*[:\-–]?\s*(?P<date>.{{0,70}})", re.IGNORECASE)
_ANY_LABEL = re.compile(rf"(?:{_PUBLISHED_LABELS}|{_UPDATED_LABELS})|\bby\b", re.IGNORECASE)
_FIELD_BREAK = re.compile(r"[|·•]")  # "Updated March 1, 2024 | Politics", but also "12 marzo 2024 | 18:30"
_DATED_ELEMENTS = (
    ".//time[not(@datetime)] | .//*[contains(@class, 'date') or contains(@class, 'time')"
    " or contains(@class, 'publi')][not(*[contains(@class, 'date') or contains(@class, 'time')])]"
)
_MAX_LINE = 240


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
    return next(_published_candidates(tree, page, language, hints or EntryHints()), None)


def modified(tree: HtmlElement, page: PageData, *, published_at: Dated | None = None, language: str | None = None,
             hints: EntryHints | None = None, last_modified_header: str | None = None) -> Dated | None:
    """The page's own declared update time (never the crawl time), not earlier than ``published_at``."""
    for candidate in _modified_candidates(tree, page, language, hints or EntryHints(), last_modified_header):
        if candidate.source == "text" and published_at and published_at.moment.offset:
            # "Stand: 21.03.2024 14:35 Uhr": a visible time without zone is in the zone of the page's own dates
            candidate = Dated(moments.in_zone(candidate.moment, published_at.moment.offset), "text")
        if published_at is None or not _before(candidate.moment, published_at.moment):
            return candidate
    return None


def _published_candidates(tree: HtmlElement, page: PageData, language: str | None,
                          hints: EntryHints) -> Iterator[Dated]:
    yield from _sane("json-ld", (node.get("datePublished") for node in page.jsonld))
    yield from _sane("meta", page.meta_values(*PUBLISHED_META))
    yield from _sane("microdata", _microdata(page, "datePublished"))
    yield from _sane("microdata", _rdfa(tree, _RDFA_PUBLISHED))
    yield from _sane("time", _time_elements(tree, "published"))
    if found := _labelled_text(tree, PUBLISHED_LINE, language):
        yield Dated(found, "text")
    if found := _dated_element(tree, language):
        yield Dated(found, "text")
    if found := _htmldate(tree):
        yield Dated(found, "text")
    yield from _feed(hints.published_at, hints.origin)


def _modified_candidates(tree: HtmlElement, page: PageData, language: str | None, hints: EntryHints,
                         header: str | None) -> Iterator[Dated]:
    yield from _sane("json-ld", (node.get("dateModified") for node in page.jsonld))
    yield from _sane("meta", page.meta_values(*MODIFIED_META))
    yield from _sane("microdata", _microdata(page, "dateModified"))
    yield from _sane("microdata", _rdfa(tree, _RDFA_MODIFIED))
    yield from _sane("time", _time_elements(tree, "updated"))
    if found := _labelled_text(tree, UPDATE_LINE, language):
        yield Dated(found, "text")
    yield from _feed(hints.updated_at, hints.origin)
    if found := moments.from_http(header):
        yield Dated(found, "http")


def _sane(source: str, values) -> Iterator[Dated]:
    for value in values:
        if isinstance(value, list):  # JSON-LD allows several values; the first is the declared one
            value = value[0] if value else None
        if found := moments.from_structured(value):
            yield Dated(found, source)


def _feed(value: str | None, origin: str) -> Iterator[Dated]:
    """Feed/sitemap dates reach us normalised to UTC: the offset they wrote is not known any more."""
    for found in _sane(origin, [value]):
        yield Dated(replace(found.moment, offset=None), origin)


def _before(candidate: Moment, published_at: Moment) -> bool:
    if "day" in (candidate.precision, published_at.precision):
        return candidate.value[:10] < published_at.value[:10]
    return candidate.value < published_at.value


def _microdata(page: PageData, prop: str) -> Iterator[object]:
    for item in page.microdata:
        yield item.get(prop)


def _rdfa(tree: HtmlElement, properties: tuple[str, ...]) -> Iterator[str]:
    for node in tree.xpath("//*[@property and @content]"):
        if node.tag == "meta":
            continue
        declared = (node.get("property") or "").lower().split()
        if any(prop in declared for prop in properties):
            yield node.get("content")


def _time_elements(tree: HtmlElement, kind: str) -> Iterator[str]:
    """``<time datetime>`` a theme marks as published/updated (``class="entry-date published"``, ``pubdate``)."""
    if kind == "published":
        xpath = '//time[@datetime][@pubdate or contains(@class, "published") or contains(@class, "pubdate")]'
    else:
        xpath = '//time[@datetime][contains(@class, "updated") or contains(@class, "modified")]'
    for node in tree.xpath(xpath):
        yield node.get("datetime")


def _labelled_text(tree: HtmlElement, line: re.Pattern[str], language: str | None) -> Moment | None:
    """The first visible "Updated …"/"Published …" line whose date parses.

    Walks text nodes (linear in the page, whatever its nesting); a label's line is the text of the element
    holding it, so "Updated <time>March 7, 2024</time>" reads as one line.
    """
    for text in tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]"):
        if not line.search(text):
            continue
        holder = text.getparent()
        if text.is_tail and holder is not None:
            holder = holder.getparent()
        joined = " ".join(" ".join(holder.itertext()).split()) if holder is not None else ""
        if not joined or len(joined) > _MAX_LINE:
            joined = " ".join(text.split())
        for match in line.finditer(joined):
            if found := _date_in(match.group("date"), language):
                return found
    return None


def _date_in(text: str, language: str | None) -> Moment | None:
    """The date at the start of ``text``, which ends at the next label (or field separator)."""
    snippet = _ANY_LABEL.split(text, maxsplit=1)[0].strip(" ,(")
    return moments.from_text(snippet, language) or moments.from_text(_FIELD_BREAK.split(snippet)[0], language)


def _dated_element(tree: HtmlElement, language: str | None) -> Moment | None:
    """The first short element a theme marks as a date (``<time>`` without ``datetime``, ``class="date"``),
    read without its update part ("12 marzo 2024 (modifica il …)")."""
    # within the article when the page marks it up, so a sidebar's "Recent posts" dates do not come first
    scope = (tree.xpath("//article[not(ancestor::article)]") + tree.xpath("//main") + tree.xpath("//body") + [tree])[0]
    for node in scope.xpath(_DATED_ELEMENTS):
        text = " ".join(" ".join(node.itertext()).split())
        if not text or len(text) > 80:
            continue
        if UPDATE_LINE.match(text):
            continue
        if found := _date_in(text, language):
            return found
    return None


def _htmldate(tree: HtmlElement) -> Moment | None:
    """htmldate's oldest plausible day, after removing the visible update lines it would otherwise take.

    Without ``extensive_search``: that last resort turns a footer's "© 2024" into 2024-01-01.
    """
    pruned = copy.deepcopy(tree)
    for node in pruned.xpath("//body//*[text()]"):
        if node.text and UPDATE_LINE.search(node.text):
            node.text = ""
    found = htmldate.find_date(pruned, original_date=True, outputformat="%Y-%m-%d", extensive_search=False)
    return moments.from_structured(found) if found else None
