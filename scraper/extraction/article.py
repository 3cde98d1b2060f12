"""trafilatura, configured for news, plus the date and language rules trafilatura leaves to us."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement

from archive.model import EntryHints, Extraction
from scraper.canonical import declared_aliases

from . import authors, dates, language as languages, structured, titles
from .article_text import TextInput, article_text
from .sanitize import load_page

# favor_precision measured on the 63 golden pages (docs/extraction.md, `python -m tests.golden.score
# --favor-precision=false`): body-text precision 0.9152 without it vs 0.9132 with it, recall 1.0 either way;
# precision mode kept a "Most read" heading that the default drops. So trafilatura's default balance.
# Metadata is ours (structured.py and the modules beside it): trafilatura's own would cost two thirds of its
# text extraction again (its byline search, tags and htmldate run on every page) for fields we read better.
_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": False,
    "with_metadata": False,
}


@dataclass(frozen=True)
class ExtractionResult:
    """Either an extraction or the reason there is none."""

    extraction: Extraction | None
    failure: str | None = None
    # (url, kind) the page declares for itself: canonical | amp (see scraper.canonical.declared_aliases)
    aliases: tuple[tuple[str, str], ...] = ()


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
    hints = hints or EntryHints()
    aliases = tuple(declared_aliases(tree, url))
    page = structured.read(tree, url, body)
    start = body[:20_000].decode("utf-8", "replace")
    document = trafilatura.bare_extraction(tree, url=url, **_OPTIONS)
    site = titles.sitename(page)
    title, title_source = titles.title(page, tree, site=site, feed_title=hints.title, feed_origin=hints.origin)
    given = TextInput(tree, url, page, title, start, _html_title(tree), _OPTIONS)
    found = article_text(document.text if document else None, given)
    if found.failure:
        return ExtractionResult(None, found.failure)
    text = found.text
    language = languages.of_page(tree, text)
    names, author_source = authors.authors(page, tree, feed_author=hints.author, sitename=site,
                                           feed_origin=hints.origin)
    written_in = languages.for_dates(tree, language)
    published = dates.published(tree, page, language=written_in, hints=hints)
    modified = dates.modified(tree, page, published_at=published, language=written_in, hints=hints,
                              last_modified_header=last_modified)
    extraction = Extraction(
        text=text,
        title=title,
        title_source=title_source,
        author="; ".join(names) or None,
        authors=tuple(names),
        author_source=author_source,
        published_at=published.value if published else None,
        published_source=published.source if published else None,
        published_precision=published.moment.precision if published else None,
        published_offset=published.moment.offset if published else None,
        modified_at=modified.value if modified else None,
        modified_source=modified.source if modified else None,
        modified_precision=modified.moment.precision if modified else None,
        modified_offset=modified.moment.offset if modified else None,
        language=language,
        description=page.description,
        sitename=site,
    )
    return ExtractionResult(extraction, aliases=aliases)


def _html_title(tree: HtmlElement) -> str | None:
    node = tree.find(".//title")
    return node.text_content().strip() if node is not None else None
