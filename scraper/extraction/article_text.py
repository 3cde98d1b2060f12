"""The article's text, or the reason a page has none: trafilatura, cleaned, reconciled, and tried again.

1. trafilatura's text (its title line dropped: the title has its own column), cleaned of teasers and
   repeats, its lead put back (:mod:`.body_text`), reconciled with the declared ``articleBody``
   (:mod:`.structured_body`);
2. a page that yields too little (a caption, a slogan) gets a second chance: the declared body, then
   trafilatura favouring recall;
3. what is still short is an article only when the page says it is one (``og:type``, a JSON-LD article,
   ``<article>`` markup) and the text comes from its paragraphs, not from a caption or a header;
   challenges, paywall stubs and soft 404s stay failures (:func:`.failures.classify_stub`).

The text is NFC-normalised, as trafilatura's ``extract()`` does and ``bare_extraction()`` does not.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml.html import HtmlElement

from . import body_text, structured, structured_body
from .failures import MIN_TEXT_CHARS, classify_stub, is_short

# a line held by (or holding) a caption or the page's chrome is not a post's paragraph
_IN_CHROME = ("ancestor-or-self::*[self::figcaption or self::figure or self::header or self::footer or self::nav"
              " or self::aside] | .//figcaption | .//figure | .//header | .//footer | .//nav | .//aside")
_MIN_POST_CHARS = 40  # a declared article this short is a complete post ("Closed today.")


@dataclass(frozen=True)
class ArticleText:
    """The text, or the failure reason."""

    text: str | None
    failure: str | None = None


@dataclass(frozen=True)
class TextInput:
    """What the text phase reads of one page."""

    tree: HtmlElement
    url: str
    page: structured.PageData
    title: str | None
    head: str  # the start of the decoded page (challenge markers)
    html_title: str | None
    options: dict[str, Any]


def article_text(found: str | None, given: TextInput) -> ArticleText:
    """The article text of a page from trafilatura's ``found`` text (see the module docstring)."""
    declared = structured_body.declared_body(given.page.jsonld)
    lines = body_text.PageLines(given.tree, given.url)
    text = _cleaned(found, given.title, lines, declared)
    failure = classify_stub(given.head, given.title, text, given.html_title)
    if failure == "no-article":
        for second in (lambda: structured_body.fallback(declared), lambda: _recall(given, lines, declared)):
            candidate = second()
            verdict = classify_stub(given.head, given.title, candidate, given.html_title) if candidate else "no-article"
            if verdict != "no-article":  # a whole article (or what a stub it is); a little more is not taken
                text, failure = candidate, verdict
                break
    if failure == "no-article" and text and _complete_post(text, given, lines):
        failure = None
    if failure:
        return ArticleText(None, failure)
    return ArticleText(unicodedata.normalize("NFC", text or ""))


def _cleaned(text: str | None, title: str | None, lines: body_text.PageLines, declared: str | None) -> str | None:
    text = strip_title_line(text, title)
    if not text:
        return None
    text = body_text.with_lead(body_text.clean(text, lines).text, lines)
    return structured_body.reconcile(text, declared, lines)


def _recall(given: TextInput, lines: body_text.PageLines, declared: str | None) -> str | None:
    """trafilatura again, favouring recall (only for pages the balanced pass found too little on)."""
    options = {**given.options, "favor_recall": True, "favor_precision": False, "with_metadata": False}
    document = trafilatura.bare_extraction(given.tree, url=given.url, **options)
    return _cleaned(document.text if document else None, given.title, lines, declared)


def _complete_post(text: str, given: TextInput, lines: body_text.PageLines) -> bool:
    """A short text is a whole post when the page declares an article and the text is its paragraphs."""
    if len(text) < _MIN_POST_CHARS or not is_short(text):
        return False
    if not _declares_article(given):
        return False
    for line in text.split("\n"):
        node = lines.element(line)
        if node is None or node.xpath(_IN_CHROME):
            return False
    return True


def _declares_article(given: TextInput) -> bool:
    if given.page.jsonld:
        return True  # structured.read keeps article nodes only
    if any(value.lower() == "article" for value in given.page.meta_values("og:type")):
        return True
    return bool(given.tree.xpath("//article"))


def strip_title_line(text: str | None, title: str | None) -> str | None:
    """trafilatura keeps the ``<h1>`` as the text's first line; the title has its own column."""
    if text and title:
        first, _, rest = text.partition("\n")
        if first.strip() == title.strip():
            return rest.strip()
    return text


__all__ = ["ArticleText", "MIN_TEXT_CHARS", "TextInput", "article_text", "strip_title_line"]
