"""Sitemap discovery: robots.txt ``Sitemap:`` lines, sitemap indexes, gzip and Google News sitemaps.

Parsing is Scrapy's own (:class:`scrapy.utils.sitemap.Sitemap`, ``gunzip`` with the download size cap);
we add the Google News fields, a bounded index depth and a per-run cap so self-referencing indexes end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import lxml.etree
import scrapy
from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from archive import DiscoveredLink, EntryHints, canonical_url
from archive.clock import iso, now_iso, parse_iso, utcnow
from scraper.entries import DocumentError, EntriesRead, plausible_date, read_entries
from scraper.nesting import shallow_xml
from scraper.sources import Source

from .base import configured_url, validators_of

MAX_DEPTH = 3  # robots.txt → index → index → urlset


class NewsSitemap(Sitemap):
    """Scrapy's sitemap parser, also keeping ``<news:publication_date>`` and ``<news:title>``."""

    __slots__ = ()

    def _process_sitemap_element(self, elem: lxml.etree._Element) -> dict[str, Any] | None:
        # the parent flattens each child to its text, losing <news:news>'s children: read them first
        news = {}
        for child in elem.iter():
            name = self._get_tag_name(child)
            if name in ("publication_date", "title") and child.getparent() is not elem:
                news[f"news_{name}"] = (child.text or "").strip()
        entry = super()._process_sitemap_element(elem)
        if entry is not None:
            entry.update(news)
        return entry


def sitemap_body(response: Response, max_size: int) -> bytes:
    """The sitemap XML of a response, gunzipped when it is a ``.xml.gz`` file (raises ValueError/OSError)."""
    if gzip_magic_number(response):
        return gunzip(response.body, max_size=max_size)
    return response.body


def read_sitemap(response: Response, max_size: int) -> tuple[str, list[dict[str, Any]]]:
    """``(type, entries)`` of the sitemap or index of a response; raises :class:`DocumentError`
    (``not-a-sitemap``). libxml2 stops at 256 levels without a word, losing every entry after a deep
    one: such a sitemap is read again without its excess levels (:func:`scraper.nesting.shallow_xml`)."""
    try:
        body = sitemap_body(response, max_size)
        sitemap = NewsSitemap(body)
        entries = list(sitemap)
        if any("Excessive depth" in error.message for error in sitemap.xmliter.error_log):
            sitemap = NewsSitemap(shallow_xml(body))
            entries = list(sitemap)
    except (ValueError, OSError, EOFError, StopIteration, lxml.etree.LxmlError) as exc:
        raise DocumentError("not-a-sitemap", str(exc) or type(exc).__name__) from None
    if sitemap.type not in ("urlset", "sitemapindex"):
        raise DocumentError("not-a-sitemap", f"root element <{sitemap.type}>, not <urlset> or <sitemapindex>")
    return sitemap.type, entries


def w3c_datetime(value: str | None) -> str | None:
    """A sitemap date (``2024-05-01`` or ``2024-05-01T10:00:00+02:00``) as the archive's ISO UTC, or None
    (also for a date no sitemap can mean, see :func:`scraper.entries.plausible_date`)."""
    if not value:
        return None
    try:
        return plausible_date(parse_iso(value))
    except (ValueError, OverflowError):
        return None


def entry_link(entry: dict[str, Any]) -> DiscoveredLink | None:
    """The article link of one ``<url>`` entry, with its dates and news title as hints."""
    loc = entry.get("loc", "")
    if not loc.startswith(("http://", "https://")):
        return None
    hints = EntryHints(
        title=entry.get("news_title") or None,
        published_at=w3c_datetime(entry.get("news_publication_date")),
        updated_at=w3c_datetime(entry.get("lastmod")),
        origin="sitemap",
    )
    return DiscoveredLink(canonical_url(loc), hints)


class SitemapPolling:
    """Mixin for the crawl spider: poll a source's sitemaps (every pass; the requests are conditional)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sitemaps_seen: dict[str, set[str]] = {}  # per source: sitemap documents requested this pass

    def sitemap_request(self, url: str, source: str, depth: int = 0) -> scrapy.Request | None:
        """A request for a sitemap, robots.txt or index child; None past the depth or per-run cap."""
        mine = self._sitemaps_seen.setdefault(source, set())
        if depth > MAX_DEPTH or url in mine or len(mine) >= self.settings.getint("NEWSARCHIVE_SITEMAP_MAX_DOCUMENTS"):
            self.count("sitemaps/skipped")
            return None
        mine.add(url)
        if self._server_asked_to_wait(url):
            self.count("sitemaps/deferred")
            return None
        return self.poll_request(url, source, self.parse_sitemap, kind="sitemap", depth=depth)

    def _server_asked_to_wait(self, url: str) -> bool:
        """Sitemaps are polled every pass, except one whose last poll got a 429/503: it waits for its
        ``next_poll_at`` (no earlier than the server's ``Retry-After``)."""
        state = self.archive.feed(url)
        return bool(state and state.get("last_error") in ("http-429", "http-503")
                    and (state.get("next_poll_at") or "") > now_iso())

    def parse_sitemap(self, response: Response, source: str, kind: str, depth: int) -> Iterator[scrapy.Request]:
        if response.status == 304:
            self.record_not_modified(response, source, "sitemap")
            return
        url = configured_url(response.request)
        if url.endswith("/robots.txt"):
            children = self.read_document(response, source, "sitemap", lambda: read_entries(
                sitemap_urls_from_robots(response.body, base_url=response.url), DiscoveredLink, url))
            if children is not None:
                self.archive.record_feed_poll(url, source, status=response.status, kind="sitemap")
                yield from self._polled_index(children, source, depth)
            return
        sitemap = self.read_document(
            response, source, "sitemap", lambda: read_sitemap(response, self.settings.getint("DOWNLOAD_MAXSIZE"))
        )
        if sitemap is None:
            return
        kind, entries = sitemap
        if kind == "sitemapindex":
            children = read_entries(entries, self._changed_child, url)
            self.archive.record_feed_poll(url, source, status=response.status, kind="sitemap", **validators_of(response))
            yield from self._polled_index(children, source, depth)
            return
        horizon = iso(utcnow() - self._source(source).horizon)
        read = read_entries(entries, lambda entry: self._recent_link(entry, horizon), url)
        update = self.archive.record_feed_poll(
            url, source, status=response.status, kind="sitemap", links=read.links, **validators_of(response)
        )
        self.count("sitemaps/polled")
        self.count("sitemaps/entries", len(read.links))
        self.count_skipped("sitemap", read.skipped)
        self.count("articles/triggered", len(update.triggered_ids))
        yield from self.fetch_articles(update.article_ids)

    def _polled_index(self, children: EntriesRead, source: str, depth: int) -> Iterator[scrapy.Request]:
        """Count a polled robots.txt or sitemap index and request its children."""
        self.count("sitemaps/polled")
        self.count_skipped("sitemap", children.skipped)
        for child in children.links:
            if request := self.sitemap_request(child.url, source, depth + 1):
                yield request

    def _changed_child(self, entry: dict[str, Any]) -> DiscoveredLink | None:
        """An index child to poll: its ``loc``, unless its ``lastmod`` is not newer than our last poll of it."""
        return DiscoveredLink(entry["loc"]) if self._child_changed(entry) else None

    def _child_changed(self, entry: dict[str, Any]) -> bool:
        """An index child whose ``lastmod`` is not newer than our last poll of it is skipped."""
        lastmod = w3c_datetime(entry.get("lastmod"))
        state = self.archive.feed(entry["loc"])
        if lastmod and state and state.get("last_polled_at") and state.get("last_error") is None:
            if lastmod <= state["last_polled_at"]:
                self.count("sitemaps/unchanged_children")
                return False
        return True

    def _recent_link(self, entry: dict[str, Any], horizon: str) -> DiscoveredLink | None:
        """An entry's link, unless it is first seen now and older than the source's horizon."""
        link = entry_link(entry)
        if link is None:
            return None
        dated = link.hints.published_at or link.hints.updated_at
        if dated and dated < horizon and self.archive.article_by_url(link.url) is None:
            self.count("sitemaps/too_old")
            return None
        return link

    def _source(self, name: str) -> Source:
        return next(source for source in self.sources if source.name == name)

