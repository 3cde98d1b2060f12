"""Section and home pages (sites without feeds): their same-site links matching the source's ``follow``
regexes are articles."""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.linkextractors import LinkExtractor

from archive import DiscoveredLink, EntryHints, canonical_url
from scraper.canonical import same_site
from scraper.entries import read_entries
from scraper.extraction.sanitize import FLATTEN_ABOVE, flatten_markup, tree_depth
from scraper.follow import FollowPatterns

from .base import configured_url, validators_of


class PagePolling:
    """Mixin for the crawl spider: poll section pages (conditional GET, adaptive interval like feeds)."""

    def _follow(self, source: str) -> FollowPatterns:
        """The source's ``follow`` patterns, compiled once per pass (a pattern given up stays given up)."""
        cache = self.__dict__.setdefault("_follow_patterns", {})
        if source not in cache:
            patterns = next(s.follow for s in self.sources if s.name == source)
            cache[source] = FollowPatterns(patterns, on_timeout=lambda: self.count("pages/follow_timeout"))
        return cache[source]

    def page_request(self, url: str, source: str) -> scrapy.Request | None:
        return self.poll_request(url, source, self.parse_page, kind="page")

    def parse_page(self, response: Response, source: str, kind: str) -> Iterator[scrapy.Request]:
        if response.status == 304:
            self.record_not_modified(response, source, "page")
            return
        url = configured_url(response.request)
        if not isinstance(response, HtmlResponse):
            self.poll_error(url, source, response.status, "not-html", "not-html: section page is not HTML", kind="page")
            return
        follow = self._follow(source)
        found = self.read_document(response, source, "page", lambda: page_links(response))
        if found is None:
            return
        read = read_entries((link for link in found if follow.matches(link.url)),
                            lambda link: _article_link(link.url, response.url), url)
        update = self.archive.record_feed_poll(
            url, source, status=response.status, kind="page", links=read.links, **validators_of(response)
        )
        self.count("pages/polled")
        self.count("pages/links", len(read.links))
        self.count_skipped("page", read.skipped)
        yield from self.fetch_articles(update.article_ids)


def page_links(response: HtmlResponse) -> list:
    """The links of a section page; one nested past libxml2's limit is flattened first (its links after
    the deep part were lost without a word), as article pages are (:mod:`scraper.extraction.sanitize`)."""
    if tree_depth(response.selector.root) > FLATTEN_ABOVE:
        response = response.replace(body=flatten_markup(response.text).encode(response.encoding, "replace"))
    return LinkExtractor().extract_links(response)


def _article_link(href: str, page_url: str) -> DiscoveredLink | None:
    """A link of a section page as an article link, when it stays on the page's site."""
    if not same_site(href, page_url):
        return None
    return DiscoveredLink(canonical_url(href), EntryHints(origin="page"))
