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


# issue 19: structural elements nest too; each wraps the article ("around") or sits inside it
STRUCTURES = {
    "blockquote": ("<blockquote>", "</blockquote>"),
    "ul-li": ("<ul><li>", "</li></ul>"),
    "table": ("<table><tr><td>", "</td></tr></table>"),
    "article": ("<article>", "</article>"),
    "dl-dd": ("<dl><dd>", "</dd></dl>"),
    "unclosed-ol-li": ("<ol><li>", ""),
}


def structured(name: str, where: str, levels: int) -> str:
    opening, closing = STRUCTURES[name]
    if where == "around":
        return PAGE.replace("<main>", "<main>" + opening * levels).replace("</main>", closing * levels + "</main>")
    first = PAGE.index("</p>", PAGE.index("byline")) + 4
    return PAGE[:first] + opening * levels + "<p>A quoted line.</p>" + closing * levels + PAGE[first:]


@pytest.mark.parametrize("levels", [2000, 20000])
@pytest.mark.parametrize("where", ["around", "inside"])
@pytest.mark.parametrize("name", STRUCTURES)
def test_deep_structures_extract_as_the_same_text_shallower(name: str, where: str, levels: int) -> None:
    shallow = extract_article(structured(name, where, 3).encode(), "http://news.example/a")
    deep = extract_article(structured(name, where, levels).encode(), "http://news.example/a")
    assert shallow.failure is None and deep.failure is None, deep.failure
    assert deep.extraction.text == shallow.extraction.text


def test_unbalanced_markup_is_flattened_in_one_pass() -> None:
    import time

    junk = "<span>" * 20_000 + "</div>" * 20_000 + "<a " * 20_000  # stray end tags; tags never closed
    started = time.perf_counter()
    flat = flatten_markup(PAGE.replace("<body>", "<body>" + junk))
    took = time.perf_counter() - started
    print(f"20k unclosed <span> + 20k stray </div> + 20k '<a ': flattened in {took:.2f} s")
    assert 90 < flat.count("<span>") <= 100 and took < 3  # was 16 s: each </div> searched 20,000 open spans
    deep = extract_article(PAGE.replace("<body>", "<body>" + junk).encode(), "http://news.example/a")
    assert deep.extraction.text == extract_article(PAGE.encode(), "http://news.example/a").extraction.text
