"""Rechecks: conditional requests for known articles and the fast paths that skip extraction."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from archive import canonical_url
from archive.codec import body_hash
from scraper.canonical import page_aliases

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
    """Every other URL this fetch showed for the article: the redirect chain (final URL first, home
    pages left out), then the canonical and AMP URLs the page declares on its own site."""
    found: dict[str, str] = {}
    chain = [response.url, *reversed(response.request.meta.get("redirect_urls", []))]
    for url in chain:
        if urlsplit(url).path in ("", "/"):
            continue  # a removed article redirected to the home page is not the home page
        found.setdefault(canonical_url(url), "redirect")
    if response.status == 200:
        for url, kind in page_aliases(response.body, response.url):
            found.setdefault(url, kind)
    found.pop(canonical_url(requested), None)
    return tuple(found.items())
