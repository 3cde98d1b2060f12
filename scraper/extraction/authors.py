"""Author names: a list of people, cleaned of "By", roles, dates, handles, agencies and site names.

Order of trust: ``json-ld`` (the article's ``author``: ``Person`` names; organisations are not authors),
``meta`` (``<meta name="author">`` and cousins; profile URLs are ignored), ``microdata`` (``itemprop="author"``,
RDFa ``foaf:name``), ``byline`` (trafilatura's byline heuristics), ``feed``. The first source that yields at
least one person wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

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
_PARTICLES = {"de", "da", "do", "dos", "das", "di", "del", "della", "van", "von", "der", "den", "la", "le", "du", "y", "ten", "ter", "bin", "al"}


def authors(page: PageData, tree: HtmlElement, *, byline: str | None, feed_author: str | None,
            sitename: str | None, feed_origin: str = "feed") -> tuple[list[str], str | None]:
    """The article's authors and the source they came from (``([], None)`` when no person is named)."""
    # schema.org Person names may be one word (a mononym); free-text credits need two ("Staff", "Reuters")
    candidates: list[tuple[str, Iterable[str], bool]] = [
        ("json-ld", _jsonld_names(page), True),
        ("meta", [value for value in page.meta_values(*AUTHOR_META) if not _URL.search(value)], False),
        ("microdata", [*_microdata_names(page), *_rdfa_names(tree)], True),
        ("byline", [byline] if byline else [], False),
        (feed_origin, [feed_author] if feed_author else [], False),
    ]
    for source, raw, typed in candidates:
        names = _dedupe(name for value in raw for name in clean(value, sitename, person=typed))
        if names:
            return names, source
    return [], None


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


def _rdfa_names(tree: HtmlElement) -> list[str]:
    return [node.text_content() for node in tree.xpath('//*[@rel="sioc:has_creator"]//*[@property="foaf:name"]')]


def _dedupe(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())
