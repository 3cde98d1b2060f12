"""Reconciling trafilatura's text with the article body the page declares in JSON-LD (``articleBody``).

A publisher's ``articleBody`` is the article as its CMS holds it: no teasers, no "most read", no ads.
It is often cut short (a teaser for search engines, a paywall's first paragraphs) or flattened into one
line, so it never replaces the text outright; it tells where the article ends, and which paragraphs
trafilatura lost:

- lines after the last one the declared body contains are extras appended to the article ("Temas",
  "Crédits photos", a membership appeal), when the declared body is the whole article (it covers the
  text and is about as long);
- when trafilatura's text is a small part of a long declared body (extraction stopped at an ad between
  paragraphs), the page's paragraphs that the body contains are taken in page order;
- when trafilatura found nothing usable, the declared body is the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.html import HtmlElement, fromstring

from .body_text import PageLines, norm

_WORD = re.compile(r"\w+")
_SHINGLE = 4
_MIN_BODY = 200  # characters: shorter declared bodies are descriptions, not bodies
_COVERS = 0.8  # the text holds this share of the declared body's shingles: the body is the whole article
_INSIDE = 0.5  # a line with this share of its shingles in the body is the body's
_SUBSET = 0.8  # the text lies this much inside the body...
_PART = 0.6  # ...but holds less than this share of it: paragraphs were lost
_PARAGRAPHS = "//p|//h2|//h3|//li|//blockquote"


def declared_body(nodes: Iterable[dict]) -> str | None:
    """The longest ``articleBody`` of the page's JSON-LD article nodes, as plain text."""
    bodies = [node.get("articleBody") for node in nodes]
    texts = [_plain(body) for body in bodies if isinstance(body, str)]
    texts = [text for text in texts if len(text) >= _MIN_BODY]
    return max(texts, key=len, default=None)


def reconcile(text: str, body: str | None, lines: PageLines) -> str:
    """``text`` with trailing extras dropped or lost paragraphs restored, as the declared ``body`` shows."""
    if not body:
        return text
    declared = _shingles(body)
    found = _shingles(text)
    if not declared or not found:
        return text
    shared = len(found & declared)
    if shared / len(declared) >= _COVERS and len(body) >= 0.6 * len(text):
        return _without_trailing(text, declared)
    if shared / len(found) >= _SUBSET and shared / len(declared) < _PART and len(body) >= 1.5 * len(text):
        return _page_paragraphs(lines, declared) or text
    return text


def fallback(body: str | None) -> str | None:
    """The declared body as the text, for a page where trafilatura found none (one paragraph per line)."""
    if not body:
        return None
    return "\n".join(line.strip() for line in body.splitlines() if line.strip())


def _without_trailing(text: str, declared: set[tuple[str, ...]]) -> str:
    lines = text.split("\n")
    last = max((i for i, line in enumerate(lines) if _inside(line, declared)), default=len(lines) - 1)
    return "\n".join(lines[:last + 1])


def _page_paragraphs(lines: PageLines, declared: set[tuple[str, ...]]) -> str:
    """The page's paragraphs that the declared body holds, in page order (each once)."""
    kept: list[str] = []
    for node in lines.tree.xpath(_PARAGRAPHS):
        if any(isinstance(child.tag, str) and child.tag in ("p", "li", "ul", "ol") for child in node):
            continue
        line = norm(node.text_content())
        if line and _inside(line, declared) and line not in kept:
            kept.append(line)
    return "\n".join(kept)


def _inside(line: str, declared: set[tuple[str, ...]]) -> bool:
    own = _shingles(line)
    return bool(own) and len(own & declared) >= _INSIDE * len(own)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < _SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def _plain(body: str) -> str:
    """A declared body without the markup some CMSs leave in it."""
    if "<" in body and ">" in body:
        try:
            tree: HtmlElement = fromstring(f"<div>{body}</div>")
        except (ValueError, TypeError):
            return body.strip()
        for block in tree.iter("p", "br", "div", "li", "h2", "h3"):
            block.tail = "\n" + (block.tail or "")
        return tree.text_content().strip()
    return body.strip()
