"""What a page declares about itself: JSON-LD, microdata/RDFa and ``<meta>`` tags, read once per page.

extruct reads microdata; JSON-LD is parsed per ``<script>`` with a lenient JSON reader (extruct's own gives
up on the whole page at the first script wrapped in ``<!-- -->`` or with a trailing comma, both common).
``@id`` references (Yoast's ``"author": {"@id": ...}``) are resolved against the page's other nodes.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import jstyleson
from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = {"BlogPosting", "Report", "LiveBlogPosting", "SocialMediaPosting"}
_COMMENT_WRAPPER = re.compile(r"^\s*(?://\s*)?<!--|-->\s*$|^\s*//\s*<!\[CDATA\[|//\s*\]\]>\s*$")


@dataclass(frozen=True)
class PageData:
    """Structured metadata of one page: article nodes per syntax and every ``<meta>`` value by key."""

    jsonld: list[dict[str, Any]] = field(default_factory=list)
    microdata: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    publisher: str | None = None

    def meta_values(self, *keys: str) -> list[str]:
        """Contents of the ``<meta>`` tags named (``name``/``property``, case-insensitive), in key order."""
        return [value for key in keys for value in self.meta.get(key.lower(), [])]


def read(tree: HtmlElement, url: str) -> PageData:
    """Read JSON-LD, microdata and ``<meta>`` tags of a parsed page."""
    nodes = _jsonld_nodes(tree)
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str) and len(node) > 1}
    articles = [_resolve(node, by_id) for node in nodes if is_article(node.get("@type"))]
    microdata = _microdata_articles(tree, url)
    return PageData(articles, microdata, _meta(tree), _publisher(articles, microdata))


def is_article(kinds: object) -> bool:
    """Whether a schema.org ``@type`` (a string, a list, or a full URL) is an article type."""
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    names = [kind.rsplit("/", 1)[-1] for kind in kinds if isinstance(kind, str)]
    return any(name.endswith("Article") or name in _ARTICLE_TYPES for name in names)


def _jsonld_nodes(tree: HtmlElement) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        data = _loads(script.text or "")
        if data is not None:
            found.extend(_walk(data))
    return found


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    lines = [_COMMENT_WRAPPER.sub("", line) for line in text.splitlines()]
    try:
        return jstyleson.loads("\n".join(lines), strict=False)
    except ValueError as exc:
        logger.debug("unreadable JSON-LD: %s", exc)
        return None


def _walk(data: object):
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        yield from _walk(data.get("@graph", []))


def _resolve(node: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A copy of ``node`` whose ``author``/``publisher`` references point at the referenced nodes."""
    resolved = dict(node)
    for key in ("author", "publisher", "creator"):
        value = node.get(key)
        if isinstance(value, list):
            resolved[key] = [_lookup(item, by_id) for item in value]
        elif value is not None:
            resolved[key] = _lookup(value, by_id)
    return resolved


def _lookup(value: object, by_id: dict[str, dict[str, Any]]) -> object:
    if isinstance(value, dict) and "name" not in value and value.get("@id") in by_id:
        return by_id[value["@id"]]
    return value


def _microdata_articles(tree: HtmlElement, url: str) -> list[dict[str, Any]]:
    if not tree.xpath("//*[@itemscope]"):
        return []
    from extruct.w3cmicrodata import MicrodataExtractor  # 0.3 s of imports (mf2py, requests): only when needed

    try:
        items = MicrodataExtractor().extract_items(tree, url)
    except (ValueError, TypeError, AttributeError) as exc:
        logger.debug("unreadable microdata on %s: %s", url, exc)
        return []
    return [item.get("properties", {}) for item in items if is_article(item.get("type"))]


def _meta(tree: HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content:
            found.setdefault(key, []).append(content)
    return found


def _publisher(articles: list[dict[str, Any]], microdata: list[dict[str, Any]]) -> str | None:
    for node in [*articles, *microdata]:
        publisher = node.get("publisher")
        if isinstance(publisher, dict):
            name = publisher.get("name") or publisher.get("properties", {}).get("name")
            if isinstance(name, str) and name.strip():
                return name.strip()
    return None
