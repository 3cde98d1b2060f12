"""Pathological nesting never empties or shrinks an article (target 4, second half)."""

from __future__ import annotations

import pytest

from scraper.extraction.article import extract_article
from scraper.extraction.sanitize import LIBXML2_DEPTH_LIMIT, flatten_markup, load_page, tree_depth

from .pages import article_html, paragraphs

PAGE = article_html("Deeply nested story", paragraphs(7))


def nested(variant: str, levels: int) -> str:
    if variant == "before":  # closed junk before the article
        return PAGE.replace("<main>", "<main>" + "<span>" * levels + "ad" + "</span>" * levels)
    if variant == "unclosed":  # never closed: the article ends up at the bottom
        return PAGE.replace("<body>", "<body>" + "<div><span>" * levels)
    # inside the article, between its paragraphs
    first = PAGE.index("</p>", PAGE.index("byline")) + 4
    return PAGE[:first] + "<div>" * levels + "<font>ad</font>" + "</div>" * levels + PAGE[first:]


@pytest.mark.parametrize("variant", ["before", "unclosed", "inside"])
@pytest.mark.parametrize("levels", [300, 3000])
def test_deep_nesting_yields_the_same_text_as_the_clean_page(variant: str, levels: int) -> None:
    clean = extract_article(PAGE.encode(), "http://news.example/a")
    deep = extract_article(nested(variant, levels).encode(), "http://news.example/a")
    assert clean.failure is None and deep.failure is None
    assert len(clean.extraction.text) > 1500
    assert deep.extraction.text == clean.extraction.text
    assert deep.extraction.title == "Deeply nested story"


def test_pages_under_the_limit_are_parsed_as_trafilatura_does() -> None:
    from trafilatura.utils import load_html

    page = nested("before", 50).encode()
    assert tree_depth(load_page(page)) == tree_depth(load_html(page)) < LIBXML2_DEPTH_LIMIT


def test_flatten_markup_keeps_text_and_drops_only_excess_wrappers() -> None:
    markup = "<p>" + "<span>" * 5 + "a" + "</span>" * 5 + "<b>b</b></p><div>c</div>"
    assert flatten_markup(markup, max_depth=2) == "<p><span><span>a</span></span><b>b</b></p><div>c</div>"
