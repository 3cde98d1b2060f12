"""Author names: a list of people, cleaned of "By", roles, dates, handles, agencies and site names.

Order of trust: ``json-ld`` (the article's ``author``: ``Person`` names; organisations are not authors),
``meta`` (``<meta name="author">`` and cousins; profile URLs are ignored), ``microdata`` (``itemprop="author"``,
RDFa ``foaf:name``), ``byline`` (trafilatura's byline heuristics: its XPaths in its order, read inside the
article instead of on a pruned copy of the page), ``feed``. The first source that yields at least one person
wins; the byline is only looked for when the sources before it named nobody.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from lxml.etree import XPath
from lxml.html import HtmlElement

from .structured import PageData

AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl")
# Wire services and newsroom collectives: credited in bylines, never a person.
_NOT_PEOPLE = {
    "reuters", "ap", "afp", "dpa", "efe", "ansa", "lusa", "apa", "sda", "kna", "epd", "anp", "belga", "upi", "ips",
    "associated press", "the associated press", "agence france-presse", "agence france presse", "press association",
    "pa media", "bloomberg", "europa press", "agencia efe", "agência brasil", "staff", "staff reporter", "newsroom",
    "redaktion", "rédaction", "redacción", "redazione", "redação", "redactie", "editors", "the editors",
    "editorial board", "editorial", "admin", "administrator", "guest", "web desk", "news desk", "desk",
}
_ROLE_WORDS = re.compile(
    r"\b(?:correspondent|reporter|editor|writer|journalist|columnist|contributor|photographer|producer|analyst|"
    r"chief|senior|deputy|staff|bureau|korrespondent(?:in)?|redakteur(?:in)?|autor(?:in)?|journaliste|"
    r"correspondante?|rédacteur|rédactrice|envoyée?|periodista|corresponsal|redactora?|giornalista|"
    r"corrispondente|inviat[oa]|jornalista|correspondente|repórter|verslaggever|correspondent(?:e)?|"
    r"redactie|redação|redaktion|redacción|redazione|rédaction|updated|aktualisiert)\b",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    r"^(?:(?:written|reported|text|words|reporting|story|photos?)\s+by|by|von|text\s+von|par|por|di|door|"
    r"av|af|from|texto|text|autor(?:in)?|author)\s*[:\-]?\s+",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(
    r"\s*(?:,|;|\||/|&|\s[-–—]\s|\+|\b(?:and|und|et|y|e|en|with|mit|avec|con|com|og|och)\b)\s*", re.IGNORECASE
)
_HANDLE = re.compile(r"\(?@\w+\)?|\S+@\S+\.\w+")
_URL = re.compile(r"^(?:https?:|www\.)|/", re.IGNORECASE)
# trafilatura's AUTHOR_XPATHS as predicates on one element (its three tiers, most specific first)
_SPECIFIC_TAGS = {"a", "address", "div", "link", "p", "span", "strong"}
_GENERIC_TAGS = {"a", "div", "h3", "h4", "p", "span"}
_AUTHOR_NAME = re.compile(r"author-?name|AuthorName|authorName")
_GENERIC_ID = re.compile(r"author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = re.compile(r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_ANY_ID = re.compile(r"[Aa]uthor")
_ANY_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")


def _byline_specific(element: HtmlElement) -> bool:
    if element.tag == "author":
        return True
    get = element.get
    return element.tag in _SPECIFIC_TAGS and (
        get("rel") == "author" or get("id") == "author" or get("class") == "author" or get("itemprop") == "author name"
        or get("data-testid") in ("AuthorCard", "AuthorURL") or bool(_AUTHOR_NAME.search(get("class", ""))))


def _byline_generic(element: HtmlElement) -> bool:
    get = element.get
    return element.tag in _GENERIC_TAGS and (
        get("class") in ("byline", "username", "byl", "BBL") or "author" in get("itemprop", "")
        or bool(_GENERIC_ID.search(get("id", ""))) or bool(_GENERIC_CLASS.search(get("class", ""))))


def _byline_any(element: HtmlElement) -> bool:
    get = element.get
    return ("Byline" in get("data-component", "") or "author" in get("itemprop", "")
            or bool(_ANY_ID.search(get("id", ""))) or bool(_ANY_CLASS.search(get("class", ""))))


_BYLINE_DISCARD = re.compile(
    r"^\s*(?:title|date)\s*$|\bis-hidden\b|quote|embedly-instagram|article-(?:share|support)|\bprint\b|category|"
    r"meta-date|meta-reviewer"
)
_RDFA_NAMES = XPath('//*[@rel="sioc:has_creator"]//*[@property="foaf:name"]')
_PARTICLES = {"de", "da", "do", "dos", "das", "di", "del", "della", "van", "von", "der", "den", "la", "le", "du", "y", "ten", "ter", "bin", "al"}


def authors(page: PageData, tree: HtmlElement, *, feed_author: str | None, sitename: str | None,
            feed_origin: str = "feed") -> tuple[list[str], str | None]:
    """The article's authors and the source they came from (``([], None)`` when no person is named)."""
    # schema.org Person names may be one word (a mononym); free-text credits need two ("Staff", "Reuters")
    candidates: list[tuple[str, Callable[[], Iterable[str]], bool]] = [
        ("json-ld", lambda: _jsonld_names(page), True),
        ("meta", lambda: [value for value in page.meta_values(*AUTHOR_META) if not _URL.search(value)], False),
        ("microdata", lambda: [*_microdata_names(page), *_rdfa_names(page)], True),
        ("byline", lambda: [found] if (found := byline(page)) else [], False),
        (feed_origin, lambda: [feed_author] if feed_author else [], False),
    ]
    for source, raw, typed in candidates:
        names = _dedupe(name for value in raw() for name in clean(value, sitename, person=typed))
        if names:
            return names, source
    return [], None


def byline(page: PageData) -> str | None:
    """The credit trafilatura would give: what its own JSON-LD reader or its wider list of ``<meta>`` names
    says (Shareaholic, Sailthru…, lower-case names title-cased), else the credit line its heuristics pick, looked for around the headline and
    at the article's end: the first element its expressions select (specific ones first) whose text, without
    dates and figures, is 3–119 characters long."""
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.metadata import examine_meta

    if page.tree is None:
        return None
    if declared := page.as_trafilatura_reads.author or examine_meta(page.tree).author:
        return declared
    zone = page.scope.near + page.scope.end
    for selected in (_byline_specific, _byline_generic, _byline_any):
        for element in zone:
            if isinstance(element.tag, str) and selected(element) and not _byline_discarded(element):
                text = " ".join(_text_outside(element, ("time", "figure")).split())
                if 2 < len(text) < 120:
                    return normalize_authors(None, text)
    return None


def clean(raw: str, sitename: str | None = None, *, person: bool = False) -> list[str]:
    """Person names in one credit line (``person``: the line is a schema.org Person's name).

    >>> clean("By Jane Doe, Senior Correspondent and JOHN SMITH (@jsmith) | CNN", "CNN")
    ['Jane Doe', 'John Smith']
    >>> clean("Von Max Mustermann und Erika Musterfrau, dpa")
    ['Max Mustermann', 'Erika Musterfrau']
    """
    if not raw or _URL.search(raw.strip()):
        return []
    text = _HANDLE.sub(" ", " ".join(raw.split()))
    text = re.sub(r"\([^)]*\)", " ", text)
    names = []
    for index, part in enumerate(_SEPARATORS.split(_PREFIX.sub("", text.strip()))):
        name = _name(_PREFIX.sub("", part.strip(" .:-–—")), sitename, 1 if person else 2, leading=index == 0)
        if name:
            names.append(name)
    return names


def _name(part: str, sitename: str | None, min_tokens: int, *, leading: bool) -> str | None:
    """``part`` as a person's name, or None. Roles follow the name ("Jane Doe, Senior Correspondent"), so the
    leading segment is a role only when every word is one ("Staff Writer"; "Jane Reporter" is a name)."""
    if not part or any(char.isdigit() for char in part):
        return None
    lowered = part.casefold()
    if lowered in _NOT_PEOPLE:
        return None
    roles = [bool(_ROLE_WORDS.fullmatch(token)) for token in part.split()]
    if (all(roles) if leading else any(roles)):
        return None
    if sitename and (lowered == sitename.casefold() or lowered.startswith(sitename.casefold() + " ")):
        return None
    tokens = part.split()
    if not min_tokens <= len(tokens) <= 5 or not tokens[0][:1].isupper():
        return None
    if not all(token[:1].isupper() or token.casefold() in _PARTICLES for token in tokens):
        return None
    if part.isupper():
        part = " ".join(token.capitalize() if token.casefold() not in _PARTICLES else token.lower() for token in tokens)
    return part


def _jsonld_names(page: PageData) -> list[str]:
    for node in page.jsonld:
        found = [name for name in _people(node.get("author"))]
        if found:
            return found
    return []


def _people(value: Any) -> Iterable[str]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            kinds = item.get("@type", "Person")
            kinds = [kinds] if isinstance(kinds, str) else kinds
            if "Person" in kinds and isinstance(item.get("name"), str):
                yield item["name"]


def _microdata_names(page: PageData) -> list[str]:
    names = []
    for item in page.microdata:
        for author in item.get("author") or [] if isinstance(item.get("author"), list) else [item.get("author")]:
            if isinstance(author, str):
                names.append(author)
            elif isinstance(author, dict) and not str(author.get("type", "Person")).endswith("Organization"):
                name = author.get("properties", {}).get("name")
                if isinstance(name, str):
                    names.append(name)
    return names


def _rdfa_names(page: PageData) -> list[str]:
    if page.tree is None or (page.body is not None and b"sioc:has_creator" not in page.body):
        return []
    return [node.text_content() for node in _RDFA_NAMES(page.tree) if page.scope.contains(node)]


def _byline_discarded(element: HtmlElement) -> bool:
    """trafilatura prunes these before it looks for a byline: quotes, titles, dates, categories, hidden or
    printed-only parts (comments and sidebars are outside the article already)."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("a", "div", "section", "span") and (
                _BYLINE_DISCARD.search(f"{node.get('class', '')} {node.get('id', '')}")
                or "Figure" in node.get("data-component", "")):
            return True
    return False


def _text_outside(element: HtmlElement, skipped: tuple[str, ...]) -> str:
    """The text of ``element`` without that of its ``skipped`` descendants."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in skipped:
            parts.append(_text_outside(child, skipped))
        parts.append(child.tail or "")
    return " ".join(parts)


def _dedupe(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())
