"""What a page declares about itself: JSON-LD, microdata/RDFa and ``<meta>`` tags, read once per page.

JSON-LD is parsed per ``<script>``: strictly first, then without ``<!-- -->`` wrappers and comments
(jstyleson), then repaired (json_repair: a stray ``}`` or ``;`` after the object, an unescaped quote inside
a headline, single quotes) — a slip never throws the whole block away. ``@id`` references (Yoast's
``"author": {"@id": ...}``) are resolved against the page's other nodes. extruct reads the microdata of the
article items that belong to the article (see :mod:`.scope`: never a related post's item).

:class:`PageData` is handed to every metadata rule: it also holds the parsed tree and, built on first use,
the article's :class:`~.scope.Scope` and its visible :class:`~.datelines.DateLines`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import json_repair
import jstyleson
from lxml.etree import XPath
from lxml.html import HtmlElement, tostring

from .scope import Scope

if TYPE_CHECKING:
    from .datelines import DateLines

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = {"BlogPosting", "Report", "LiveBlogPosting", "SocialMediaPosting"}
_COMMENT_WRAPPER = re.compile(r"^\s*(?://\s*)?<!--|-->\s*$|^\s*//\s*<!\[CDATA\[|//\s*\]\]>\s*$")
_DESCRIPTION_META = ("og:description", "description", "dc.description", "dc:description", "dcterms.description",
                     "dcterms.abstract", "sailthru.description", "twitter:description")
_MARKED = XPath("//body//*[starts-with(@itemprop, 'date') or (@property and @content)]")
_SCRIPTS = XPath('//script[@type="application/ld+json"]')
_ARTICLE_ITEMS = XPath(
    "//*[@itemscope][contains(@itemtype, 'Article') or contains(@itemtype, 'Posting') or contains(@itemtype, 'Report')]"
)


@dataclass(frozen=True)
class PageData:
    """Structured metadata of one page: article nodes per syntax and every ``<meta>`` value by key.

    ``jsonld`` holds the page's JSON-LD article nodes as written (``articleBody`` included), references
    resolved; ``microdata`` the properties of the article's microdata item.
    """

    jsonld: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    tree: HtmlElement | None = field(default=None, repr=False, compare=False)
    scripts: list[Any] = field(default_factory=list, repr=False, compare=False)  # each JSON-LD script, parsed
    url: str = ""
    body: bytes | None = field(default=None, repr=False, compare=False)

    @cached_property
    def microdata(self) -> list[dict[str, Any]]:
        """The properties of the article's microdata items (never a related post's)."""
        if self.tree is None or (self.body is not None and b"itemscope" not in self.body):
            return []
        return _microdata_articles(self.tree, self.url, self.scope)

    @cached_property
    def publisher(self) -> str | None:
        """The publisher's name the article nodes or items declare."""
        return _publisher(self.jsonld, self.microdata)

    def meta_values(self, *keys: str) -> list[str]:
        """Contents of the ``<meta>`` tags named (``name``/``property``, case-insensitive), in key order."""
        return [value for key in keys for value in self.meta.get(key.lower(), [])]

    @cached_property
    def as_trafilatura_reads(self) -> Any:
        """What trafilatura's own JSON-LD reader makes of the parsed scripts (its author and site name, for the
        fallbacks that keep trafilatura's answers where ours find nothing)."""
        from trafilatura.json_metadata import extract_json
        from trafilatura.settings import Document

        found = Document()
        for data in self.scripts:
            try:
                found = extract_json(data, found)
            except (TypeError, ValueError, AttributeError, KeyError):  # its reader assumes well-formed nodes
                continue
        return found

    @property
    def description(self) -> str | None:
        """The page's own summary (OpenGraph first, then the ``<meta>`` descriptions trafilatura reads)."""
        return next(iter(self.meta_values(*_DESCRIPTION_META)), None)

    @cached_property
    def scope(self) -> Scope:
        """Where the article is on the page (its headline, and the blocks around it)."""
        return Scope(self.tree, self.title_hint) if self.tree is not None else Scope(HtmlElement())

    @property
    def title_hint(self) -> str | None:
        """The headline as declared (JSON-LD, OpenGraph) or the ``<title>``: enough to find the ``<h1>``."""
        for value in [node.get("headline") for node in self.jsonld] + self.meta_values("og:title"):
            if isinstance(value, str) and value.strip():
                return value
        found = self.tree.find(".//title") if self.tree is not None else None
        return found.text_content() if found is not None else None

    @cached_property
    def marked(self) -> list[HtmlElement]:
        """The body's elements marked with a date ``itemprop`` or an RDFa ``property`` (one scan for both fields)."""
        if self.tree is None:
            return []
        if self.body is not None:
            start = max(self.body.find(b"<body"), 0)  # og: <meta property> in the head says nothing
            if self.body.find(b"itemprop", start) < 0 and self.body.find(b"property=", start) < 0:
                return []
        return _MARKED(self.tree)

    @cached_property
    def timestamps(self) -> list:
        """The machine timestamps written anywhere in the page's bytes (see :func:`.zones.timestamps`)."""
        from .zones import timestamps

        return timestamps(self.body) if self.body else []

    def lines(self, language: str | None) -> DateLines:
        """The visible dates of the page, read in ``language``."""
        from .datelines import DateLines

        cache = self.__dict__.setdefault("_lines", {})
        if language not in cache:
            body = self.body if self.body is not None else tostring(self.tree) if self.tree is not None else b""
            cache[language] = DateLines(body, self.tree, self.scope, language)
        return cache[language]


def read(tree: HtmlElement, url: str, body: bytes | None = None) -> PageData:
    """Read JSON-LD, microdata and ``<meta>`` tags of a parsed page (``body``: its bytes, if at hand)."""
    scripts = [data for script in _SCRIPTS(tree) if (data := _loads(script.text or "")) is not None]
    nodes = [node for data in scripts for node in _walk(data)]
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str) and len(node) > 1}
    articles = [_resolve(node, by_id) for node in nodes if is_article(node.get("@type"))]
    return PageData(articles, _meta(tree), tree, scripts, url, body)


def is_article(kinds: object) -> bool:
    """Whether a schema.org ``@type`` (a string, a list, or a full URL) is an article type."""
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    names = [kind.rsplit("/", 1)[-1] for kind in kinds if isinstance(kind, str)]
    return any(name.endswith("Article") or name in _ARTICLE_TYPES for name in names)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    text = "\n".join(_COMMENT_WRAPPER.sub("", line) for line in text.splitlines())
    try:
        return jstyleson.loads(text, strict=False)
    except ValueError:
        pass
    try:
        repaired = json_repair.loads(text)
    except (ValueError, TypeError, RecursionError) as exc:
        logger.debug("unreadable JSON-LD: %s", exc)
        return None
    return repaired if isinstance(repaired, (dict, list)) and repaired else None


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


def _microdata_articles(tree: HtmlElement, url: str, scope: Scope) -> list[dict[str, Any]]:
    """The properties of the microdata article items that belong to the article, the headline's first."""
    nodes = [node for node in _ARTICLE_ITEMS(tree) if is_article((node.get("itemtype") or "").split())]
    nodes = [node for node in nodes if scope.contains(node)]
    if not nodes:
        return []
    from extruct.w3cmicrodata import MicrodataExtractor  # 0.3 s of imports (mf2py, requests): only when needed

    anchor = scope.anchor
    nodes.sort(key=lambda node: anchor is None or node not in set(anchor.iterancestors()))
    extractor, found = MicrodataExtractor(), []
    for node in nodes[:3]:
        try:
            items = extractor.extract_items(node, url)
        except (ValueError, TypeError, AttributeError) as exc:
            logger.debug("unreadable microdata on %s: %s", url, exc)
            continue
        found.extend(item.get("properties", {}) for item in items[:1] if is_article(item.get("type")))
    return found


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
