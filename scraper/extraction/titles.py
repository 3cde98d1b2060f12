"""The headline and the site's name, without the " | CNN Politics" suffix sites add to their titles.

Order of trust: ``json-ld`` ``headline``, ``meta`` (``og:title``, ``twitter:title``), ``microdata``
``headline``, ``html-title`` (``<title>``), ``h1``, ``feed``. Each candidate loses a trailing (or leading)
segment that names the site: the sitename, or any segment when the rest equals the page's ``<h1>``.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .structured import PageData

SITENAME_META = ("og:site_name", "application-name", "twitter:site:name", "al:android:app_name")
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " / ")


def sitename(page: PageData) -> str | None:
    """The site's name: ``og:site_name``, the JSON-LD/microdata publisher, else what trafilatura would say."""
    for value in page.meta_values(*SITENAME_META):
        if value.strip():
            return value.strip()
    return page.publisher or _trafilatura_sitename(page)


def _trafilatura_sitename(page: PageData) -> str | None:
    """trafilatura's own fallbacks, in its order: other ``<meta>`` (publisher, ``twitter:site``), a
    title part that is a domain, the host of the declared (or fetched) URL."""
    from trafilatura.metadata import META_URL, examine_meta, extract_sitename, extract_url

    if page.tree is None:
        return None
    declared = examine_meta(page.tree)
    name = page.as_trafilatura_reads.sitename or declared.sitename or extract_sitename(page.tree)
    if name:
        name = name.lstrip("@")
        return name.title() if name and "." not in name and not name[0].isupper() else name or None
    match = META_URL.match(declared.url or extract_url(page.tree, page.url) or "")
    return match[1] if match else None


def title(page: PageData, tree: HtmlElement, *, site: str | None, feed_title: str | None,
          feed_origin: str = "feed") -> tuple[str | None, str | None]:
    """The headline and its source."""
    h1 = _h1(tree)
    candidates = [
        ("json-ld", [node.get("headline") for node in page.jsonld]),
        ("meta", page.meta_values("og:title", "twitter:title")),
        ("microdata", [item.get("headline") for item in page.microdata]),
        ("html-title", [node.text_content() for node in tree.iterfind(".//title")][:1]),
        ("h1", [h1]),
        (feed_origin, [feed_title]),
    ]
    for source, values in candidates:
        for value in values:
            if isinstance(value, str) and (cleaned := strip_site(value, site, h1)):
                return cleaned, source
    return None, None


def strip_site(value: str, site: str | None, h1: str | None = None) -> str:
    """``value`` without a segment naming the site.

    >>> strip_site("Senate confirms new secretary | CNN Politics", "CNN")
    'Senate confirms new secretary'
    >>> strip_site("Brexit - what happens next - The Record", "The Record")
    'Brexit - what happens next'
    """
    text = " ".join(value.split())
    for separator in _SEPARATORS:
        if separator not in text:
            continue
        head, tail = text.rsplit(separator, 1)
        if _names_site(tail, site) or (h1 and _same(head, h1)):
            return head.strip()
        first, rest = text.split(separator, 1)
        if _names_site(first, site) or (h1 and _same(rest, h1)):
            return rest.strip()
    return text


def _names_site(segment: str, site: str | None) -> bool:
    if not site:
        return False
    segment, site = _fold(segment), _fold(site)
    return segment == site or segment.startswith(site + " ") or (len(site) > 3 and site in segment)


def _same(left: str, right: str) -> bool:
    return _fold(left) == _fold(right)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _h1(tree: HtmlElement) -> str | None:
    for node in tree.iterfind(".//h1"):
        text = " ".join(node.text_content().split())
        if text:
            return text
    return None
