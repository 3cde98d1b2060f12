"""The URLs an article page declares for itself: ``<link rel=canonical>``, ``og:url``, ``<link rel=amphtml>``."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import courlan
from lxml.html import HtmlElement

from archive.urls import canonical_url


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on one host or one registered domain (``www.`` and ``amp.`` alike).

    >>> same_site("https://amp.example.co.uk/a", "https://www.example.co.uk/b")
    True
    >>> same_site("https://evil.example/a", "https://example.com/b")
    False
    """
    if urlsplit(url).hostname == urlsplit(other).hostname:
        return True
    return not courlan.is_external(url, other, ignore_suffix=False)


_CANONICAL = (".//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONICAL', 'canonical')), ' '),"
              " ' canonical ')]/@href")
_OG_URL = ".//meta[@property='og:url']/@content"
_AMP = ".//link[translate(@rel, 'AMPHTML', 'amphtml')='amphtml']/@href"


def declared_aliases(tree: HtmlElement, page_url: str) -> list[tuple[str, str]]:
    """``(url, kind)`` pairs a parsed page declares in its ``<head>`` on its own site: ``canonical``
    (rel=canonical, else og:url) and ``amp``; canonicalised, the page's own URL left out. The extractor
    calls it on the tree it parsed, so the crawl process does not parse the page a second time."""
    head = tree.find("head")
    root = head if head is not None else tree
    declared = [(_first(root, _CANONICAL) or _first(root, _OG_URL), "canonical"), (_first(root, _AMP), "amp")]
    own = canonical_url(page_url)
    found = []
    for href, kind in declared:
        if not href or not href.strip():
            continue
        absolute = urljoin(page_url, href.strip())
        parts = urlsplit(absolute)
        # a home or section page as "canonical" is a common template bug; trusting it would merge every article
        if parts.scheme not in ("http", "https") or is_section_of(parts.path, urlsplit(page_url).path):
            continue
        if not same_site(absolute, page_url):
            continue
        url = canonical_url(absolute)
        if url != own:
            found.append((url, kind))
    return found


# what a page's own URL may add to its canonical one: /story/amp, /story/print, /story/2 (its second page)
_SAME_PAGE_VARIANT = re.compile(r"(?:amp|amp\.html|print|index\.html?|comments?|\d{1,3})/?", re.IGNORECASE)


def is_section_of(path: str, page_path: str) -> bool:
    """Whether ``path`` is the site's root or a folder above ``page_path`` (a section, not the page).

    >>> is_section_of("/duengebehoerde/news", "/duengebehoerde/news/2019/neue-verordnung")
    True
    >>> is_section_of("/news/2019/neue-verordnung", "/news/neue-verordnung")
    False
    >>> is_section_of("/news/neue-verordnung", "/news/neue-verordnung/amp")
    False
    """
    folder = path.rstrip("/")
    if not folder:
        return True
    if page_path.rstrip("/") == folder or not page_path.startswith(folder + "/"):
        return False
    return not _SAME_PAGE_VARIANT.fullmatch(page_path[len(folder) + 1:])


def _first(root: HtmlElement, xpath: str) -> str | None:
    values = root.xpath(xpath)
    return str(values[0]) if values else None


def with_declared(
    aliases: tuple[tuple[str, str], ...], declared: tuple[tuple[str, str], ...], requested: str | None
) -> tuple[tuple[str, str], ...]:
    """The fetch's redirect ``aliases`` followed by the URLs the page ``declared`` (canonical, AMP) that
    are neither among them nor the ``requested`` URL itself."""
    if not declared:
        return aliases
    found = dict(aliases)
    own = canonical_url(requested) if requested else None
    for url, kind in declared:
        if url != own:
            found.setdefault(url, kind)
    return tuple(found.items())
