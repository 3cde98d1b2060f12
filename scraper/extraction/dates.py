"""Publication and update dates of an article page, each with the source it came from.

Order of trust, per field: JSON-LD, ``<meta>``/``itemprop``/``<time>`` (``meta``), visible text
(``text``), then what the feed said (``feed``) and, for the update time only, HTTP ``Last-Modified`` (``http``).
trafilatura's own date is the page's *latest* date on pages like the seed article, so it is not used.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import htmldate
from dateutil import parser as dateparser
from lxml.html import HtmlElement

from archive.clock import iso, utcnow

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date",
)
MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "dateModified",
    "last-modified", "lastmod", "dc.date.modified",
)
# Visible update lines in the languages we see most ("Last update: March 1, 2024 01:47").
UPDATE_LINE = re.compile(
    r"(?:last\s+updated?|updated(?:\s+on)?|aktualisiert(?:\s+am)?|mis\s+à\s+jour(?:\s+le)?|"
    r"actualizado(?:\s+el)?|aggiornato(?:\s+il)?|atualizado(?:\s+em)?)\s*[:\-–]?\s*(?P<date>[^\n|]{6,60})",
    re.IGNORECASE,
)
_MIN_YEAR = 1995


@dataclass(frozen=True)
class Dated:
    value: str
    source: str


def published(tree: HtmlElement, jsonld: list[dict]) -> Dated | None:
    """The page's declared publication time."""
    for node in jsonld:
        if found := _parse(node.get("datePublished")):
            return Dated(found, "json-ld")
    if found := _meta_date(tree, PUBLISHED_META):
        return Dated(found, "meta")
    if found := _time_element(tree, "datePublished"):
        return Dated(found, "meta")
    if found := _text_published(tree):
        return Dated(found, "text")
    return None


def modified(tree: HtmlElement, jsonld: list[dict], last_modified_header: str | None = None) -> Dated | None:
    """The page's own declared update time (never the crawl time)."""
    for node in jsonld:
        if found := _parse(node.get("dateModified")):
            return Dated(found, "json-ld")
    if found := _meta_date(tree, MODIFIED_META):
        return Dated(found, "meta")
    if found := _time_element(tree, "dateModified"):
        return Dated(found, "meta")
    if found := _text_modified(tree):
        return Dated(found, "text")
    if last_modified_header and (found := _http_date(last_modified_header)):
        return Dated(found, "http")
    return None


def _meta_date(tree: HtmlElement, names: tuple[str, ...]) -> str | None:
    wanted = {name.lower() for name in names}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in wanted and (found := _parse(meta.get("content"))):
            return found
    return None


def _time_element(tree: HtmlElement, itemprop: str) -> str | None:
    for node in tree.xpath(f'//*[@itemprop="{itemprop}"]'):
        if found := _parse(node.get("datetime") or node.get("content") or node.text_content()):
            return found
    return None


def _text_modified(tree: HtmlElement) -> str | None:
    for text in tree.xpath("//body//text()"):
        match = UPDATE_LINE.search(str(text))
        if match and (found := _parse(match.group("date"), fuzzy=True)):
            return found
    return None


def _text_published(tree: HtmlElement) -> str | None:
    """htmldate's oldest plausible date, after removing the visible update lines it would otherwise take."""
    pruned = copy.deepcopy(tree)
    for node in pruned.xpath("//body//*[text()]"):
        if node.text and UPDATE_LINE.search(node.text):
            node.text = ""
    found = htmldate.find_date(pruned, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S", extensive_search=True)
    return _parse(found) if found else None


def _parse(value: object, *, fuzzy: bool = False) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = dateparser.parse(value.strip(), fuzzy=fuzzy)
    except (ValueError, OverflowError):
        return None
    return _sane(moment)


def _http_date(value: str) -> str | None:
    try:
        return _sane(parsedate_to_datetime(value))
    except (TypeError, ValueError):
        return None


def _sane(moment: datetime) -> str | None:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if moment.year < _MIN_YEAR or moment > utcnow() + timedelta(days=1):
        return None
    return iso(moment)


def parse_jsonld(tree: HtmlElement) -> list[dict]:
    """Article-like JSON-LD objects on the page (``NewsArticle``, ``Article``, ``BlogPosting``…), flattened."""
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        found.extend(node for node in _walk(data) if _is_article(node))
    return found


def _walk(data: object):
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        yield from _walk(data.get("@graph", []))


def _is_article(node: dict) -> bool:
    kinds = node.get("@type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return any(isinstance(kind, str) and (kind.endswith("Article") or kind in {"BlogPosting", "Report"}) for kind in kinds)
