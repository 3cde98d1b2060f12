"""Canonical article URLs: one function, used wherever a link enters the archive."""

from __future__ import annotations

from urllib.parse import urlsplit

import courlan
from w3lib.url import canonicalize_url


def canonical_url(url: str) -> str:
    """Return the canonical form of an article URL.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``, ``mc_*``, ``ref`` …, courlan's list) and sorts the query.

    >>> canonical_url("HTTP://Example.COM:80/a/b?utm_source=x&id=3&fbclid=9#top")
    'http://example.com/a/b?id=3'
    >>> canonical_url("https://example.com/s?id=7&section=world&lang=en")
    'https://example.com/s?id=7&lang=en&section=world'
    """
    # courlan HTML-unescapes a URL string, turning "?id=1&section=2" into "?id=1§ion=2" and
    # "&lang=en" into "〈=en"; handed a SplitResult it does not. Only a doubly escaped "&amp;"
    # (common in sloppy feeds) is undone here.
    return canonicalize_url(courlan.normalize_url(urlsplit(url.strip().replace("&amp;", "&"))))
