"""Which stylesheets, images, fonts and scripts a page references (what a browser would load to show it).

Pure functions, no Scrapy: lxml for HTML, a regular expression for CSS ``url()`` and ``@import``. Only
http(s) URLs, resolved against the page (or its ``<base href>``), without fragments, in document order.

>>> html_requisites(b'<link rel="stylesheet" href="/s.css"><img src="a.png" srcset="b.png 2x">', "https://x.test/n/1")
['https://x.test/s.css', 'https://x.test/n/a.png', 'https://x.test/n/b.png']
>>> css_requisites(b'@import "base.css"; body { background: url(img/bg.png) }', "https://x.test/s/main.css")
['https://x.test/s/base.css', 'https://x.test/s/img/bg.png']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urldefrag, urljoin

import lxml.etree
import lxml.html

# element -> attributes holding one URL; srcset-style attributes hold several
_SINGLE = {"img": ("src", "data-src", "data-lazy-src"), "script": ("src",), "video": ("poster",),
           "input": ("src",), "source": ("src",), "image": ("href",), "embed": ("src",)}
_SRCSET = ("srcset", "data-srcset")
_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload"}
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s'"]+))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_MAX_CSS = 2 * 1024 * 1024  # characters of one stylesheet searched


def html_requisites(body: bytes, url: str, *, limit: int = 100) -> list[str]:
    """The requisites an HTML page references, at most ``limit``."""
    try:
        root = lxml.html.fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return []
    base = next((urljoin(url, href) for href in root.xpath("//base/@href")[:1]), url)
    return _clean(_references(root), base, limit)


def css_requisites(css: bytes, url: str, *, limit: int = 100) -> list[str]:
    """The fonts, images and stylesheets a stylesheet references (``url()`` and ``@import``), at most ``limit``."""
    text = css[:_MAX_CSS].decode("utf-8", "replace")
    found = (next(group for group in match.groups() if group is not None) for match in _CSS_URL.finditer(text))
    return _clean(found, url, limit)


def _references(root: lxml.html.HtmlElement) -> Iterator[str]:
    for element in root.iter(lxml.etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if tag == "link":
            rels = set((element.get("rel") or "").lower().split())
            if rels & _LINK_RELS and element.get("href"):
                yield element.get("href")
        for name in _SINGLE.get(tag, ()):
            if value := element.get(name):
                yield value
        if tag in ("img", "source"):
            for name in _SRCSET:
                yield from _srcset(element.get(name) or "")
        if tag == "style" and element.text:
            yield from (next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(element.text))
        if style := element.get("style"):
            yield from (next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(style))


def _srcset(value: str) -> Iterator[str]:
    for candidate in value.split(","):
        if parts := candidate.split():
            yield parts[0]


def _clean(references: Iterable[str], base: str, limit: int) -> list[str]:
    urls: dict[str, None] = {}
    for reference in references:
        reference = reference.strip()
        if not reference or reference.startswith(("data:", "javascript:", "blob:", "about:", "#")):
            continue
        try:
            absolute = urldefrag(urljoin(base, reference)).url
        except ValueError:
            continue
        if absolute.startswith(("http://", "https://")):
            urls.setdefault(absolute)
            if len(urls) >= limit:
                break
    return list(urls)
