"""Jinja filters the plugin's templates use: times, hashes, texts as paragraphs, URLs of our pages."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape


def short_hash(value: str | None) -> str:
    """``sha256:`` and the first 12 hex digits.

    >>> short_hash("sha256:537aafe9e6b2665996a508f493abb5584a1a1b3289013f4e9e1913d4660dc6b3")
    'sha256:537aafe9e6b2'
    """
    if not value:
        return ""
    scheme, _, digest = value.partition(":")
    return f"{scheme}:{digest[:12]}" if digest else value[:19]


def when(value: str | None) -> Markup:
    """A stored time as ``<time>``: ``2024-05-03 10:00`` (UTC), the full value on hover; a bare date stays one."""
    if not value:
        return Markup('<span class="na-none">—</span>')
    shown = value.replace("T", " ").removesuffix("Z")
    if re.fullmatch(r".* \d\d:\d\d:00", shown):
        shown = shown[:-3]
    return Markup(f'<time datetime="{escape(value)}" title="{escape(value)}">{escape(shown)}</time>')


def paragraphs(text: str | None) -> Markup:
    """A version's text as one ``<p>`` per line."""
    return Markup("".join(f"<p>{escape(line.strip())}</p>" for line in (text or "").splitlines() if line.strip()))


def timestamp14(value: str) -> str:
    """A stored time as a WARC/pywb 14-digit timestamp.

    >>> timestamp14("2024-05-03T10:00:00Z")
    '20240503100000'
    """
    return re.sub(r"\D", "", value)[:14]


def query(params: dict[str, Any]) -> str:
    """A query string of the non-empty ``params`` (a list repeats its key).

    >>> query({"source": ["a", "b"], "since": None, "url": "http://x/?a=1"})
    'source=a&source=b&url=http%3A%2F%2Fx%2F%3Fa%3D1'
    """
    pairs = []
    for name, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                pairs.append((name, item))
    return urlencode(pairs)


def page_url(datasette: Any, path: str, params: dict[str, Any]) -> str:
    """The address of one of the plugin's pages (Datasette's ``base_url`` honoured) with ``params``."""
    encoded = query(params)
    return datasette.urls.path(path) + (f"?{encoded}" if encoded else "")


FILTERS = {"na_hash": short_hash, "na_when": when, "na_paragraphs": paragraphs, "na_ts14": timestamp14,
           "na_query": query}
