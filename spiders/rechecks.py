"""Rechecks: conditional requests for known articles and the fast paths that skip extraction."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from archive import canonical_url
from archive.codec import body_hash

NOT_MODIFIED = "not-modified"
SAME_BODY = "same-body"


def conditional_headers(row: dict[str, Any]) -> dict[str, str]:
    """``If-None-Match``/``If-Modified-Since`` from the article's last successful response."""
    if not row.get("versions"):
        return {}
    headers = {}
    if row.get("etag"):
        headers["If-None-Match"] = row["etag"]
    if row.get("last_modified"):
        headers["If-Modified-Since"] = row["last_modified"]
    return headers


def fast_path(response: Response, last_body_hash: str | None) -> tuple[str | None, str | None]:
    """``(unchanged, body_hash)``: ``not-modified`` for a 304, ``same-body`` when the raw bytes equal
    the last successful capture's (servers lie about validators); ``(None, hash)`` otherwise."""
    if response.status == 304:
        return NOT_MODIFIED, None
    digest = body_hash(response.body)
    if last_body_hash is not None and digest == last_body_hash:
        return SAME_BODY, digest
    return None, digest


def fetch_aliases(response: Response, requested: str) -> tuple[tuple[str, str], ...]:
    """The other URLs the fetch itself showed for the article: its redirect chain (final URL first, home
    pages left out). What the page declares (canonical, AMP) comes from the extractor, which parses the
    page anyway: see :func:`scraper.canonical.with_declared`."""
    redirects = response.request.meta.get("redirect_urls")
    if not redirects:
        return ()  # the common case: no redirect, nothing to canonicalise
    found: dict[str, str] = {}
    for url in [response.url, *reversed(redirects)]:
        if urlsplit(url).path in ("", "/"):
            continue  # a removed article redirected to the home page is not the home page
        found.setdefault(canonical_url(url), "redirect")
    found.pop(canonical_url(requested), None)
    return tuple(found.items())
