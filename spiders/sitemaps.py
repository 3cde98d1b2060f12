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
from archive.clock import iso, parse_iso, utcnow
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


def w3c_datetime(value: str | None) -> str | None:
    """A sitemap date (``2024-05-01`` or ``2024-05-01T10:00:00+02:00``) as the archive's ISO UTC, or None."""
    if not value:
        return None
    try:
        return iso(parse_iso(value))
    except ValueError:
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
        return self.poll_request(url, source, self.parse_sitemap, kind="sitemap", depth=depth)

    def parse_sitemap(self, response: Response, source: str, kind: str, depth: int) -> Iterator[scrapy.Request]:
        if response.status == 304:
            self.record_not_modified(response, source, "sitemap")
            return
        url = configured_url(response.request)
        if url.endswith("/robots.txt"):
            self.archive.record_feed_poll(url, source, status=response.status, kind="sitemap")
            for child in sitemap_urls_from_robots(response.body, base_url=response.url):
                if request := self.sitemap_request(child, source, depth + 1):
                    yield request
            return
        try:
            body = sitemap_body(response, self.settings.getint("DOWNLOAD_MAXSIZE"))
            sitemap = NewsSitemap(body)
            entries = list(sitemap)
            if sitemap.type not in ("urlset", "sitemapindex"):
                raise ValueError(f"root element <{sitemap.type}>, not <urlset> or <sitemapindex>")
        except (ValueError, OSError, EOFError, StopIteration, lxml.etree.LxmlError) as exc:
            self.poll_error(url, source, response.status, "not-a-sitemap", f"not-a-sitemap: {exc}", kind="sitemap")
            return
        self.count("sitemaps/polled")
        if sitemap.type == "sitemapindex":
            self.archive.record_feed_poll(url, source, status=response.status, kind="sitemap", **validators_of(response))
            for entry in entries:
                if self._child_changed(entry) and (request := self.sitemap_request(entry["loc"], source, depth + 1)):
                    yield request
            return
        links = self._recent_links(entries, self._source(source))
        update = self.archive.record_feed_poll(
            url, source, status=response.status, kind="sitemap", links=links, **validators_of(response)
        )
        self.count("sitemaps/entries", len(links))
        self.count("articles/triggered", len(update.triggered_ids))
        yield from self.fetch_articles(update.article_ids)

    def _child_changed(self, entry: dict[str, Any]) -> bool:
        """An index child whose ``lastmod`` is not newer than our last poll of it is skipped."""
        lastmod = w3c_datetime(entry.get("lastmod"))
        state = self.archive.feed(entry["loc"])
        if lastmod and state and state.get("last_polled_at") and state.get("last_error") is None:
            if lastmod <= state["last_polled_at"]:
                self.count("sitemaps/unchanged_children")
                return False
        return True

    def _recent_links(self, entries: list[dict[str, Any]], source: Source) -> list[DiscoveredLink]:
        """Entries' links, without the ones first seen now that are older than the source's horizon."""
        horizon = iso(utcnow() - source.horizon)
        links: dict[str, DiscoveredLink] = {}
        for entry in entries:
            link = entry_link(entry)
            if link is None or link.url in links:
                continue
            dated = link.hints.published_at or link.hints.updated_at
            if dated and dated < horizon and self.archive.article_by_url(link.url) is None:
                self.count("sitemaps/too_old")
                continue
            links[link.url] = link
        return list(links.values())

    def _source(self, name: str) -> Source:
        return next(source for source in self.sources if source.name == name)

