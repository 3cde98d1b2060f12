"""trafilatura, configured for news, plus the date and language rules trafilatura leaves to us."""

from __future__ import annotations

from dataclasses import dataclass, replace

import trafilatura
from lxml.html import HtmlElement

from archive.model import EntryHints, Extraction

from . import dates
from .failures import classify_stub
from .sanitize import load_page

# favor_precision: measured on tests/fixtures (see docs/extraction.md) it drops related-link
# lists and captions without losing body paragraphs on our pages; recall mode pulled in asides.
_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": True,
    "with_metadata": True,
}


@dataclass(frozen=True)
class ExtractionResult:
    """Either an extraction or the reason there is none."""

    extraction: Extraction | None
    failure: str | None = None


def extract_article(
    body: bytes, url: str, *, last_modified: str | None = None, hints: EntryHints | None = None
) -> ExtractionResult:
    """Extract the article in an HTML page.

    ``last_modified`` is the HTTP header (last-resort update time); ``hints`` what the feed entry
    said, used only for fields the page leaves empty (their source is then ``feed``).
    """
    if not body or not body.strip():
        return ExtractionResult(None, "empty")
    tree = load_page(body)
    if tree is None:
        return ExtractionResult(None, "parse-error")
    jsonld = dates.parse_jsonld(tree)
    published = dates.published(tree, jsonld)
    modified = dates.modified(tree, jsonld, last_modified)
    language = _language(tree)
    head = body[:20_000].decode("utf-8", "replace")
    document = trafilatura.bare_extraction(tree, url=url, **_OPTIONS)
    title = document.title if document else None
    text = _strip_title_line(document.text if document else None, title)
    if failure := classify_stub(head, title or _html_title(tree), text):
        return ExtractionResult(None, failure)
    hints = hints or EntryHints()
    extraction = Extraction(
        text=text,
        title=title or hints.title,
        author=document.author or hints.author,
        published_at=published.value if published else hints.published_at,
        published_source=published.source if published else ("feed" if hints.published_at else None),
        modified_at=modified.value if modified else hints.updated_at,
        modified_source=modified.source if modified else ("feed" if hints.updated_at else None),
        language=language or document.language,
        description=document.description,
        sitename=document.sitename,
    )
    return ExtractionResult(_ordered_dates(extraction))


def _strip_title_line(text: str | None, title: str | None) -> str | None:
    """trafilatura keeps the ``<h1>`` as the text's first line; the title has its own column."""
    if text and title:
        first, _, rest = text.partition("\n")
        if first.strip() == title.strip():
            return rest.strip()
    return text


def _language(tree: HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang")
    if not lang:
        for meta in tree.iter("meta"):
            if (meta.get("property") or "").lower() == "og:locale" or (meta.get("http-equiv") or "").lower() == "content-language":
                lang = meta.get("content")
                break
    return lang.replace("_", "-").split("-")[0].lower() if lang else None


def _html_title(tree: HtmlElement) -> str | None:
    node = tree.find(".//title")
    return node.text_content().strip() if node is not None else None


def _ordered_dates(extraction: Extraction) -> Extraction:
    """An update time before the publication time is not an update time."""
    if extraction.modified_at and extraction.published_at and extraction.modified_at < extraction.published_at:
        return replace(extraction, modified_at=None, modified_source=None)
    return extraction
