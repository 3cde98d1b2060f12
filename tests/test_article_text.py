"""The text rules on top of trafilatura (scraper/extraction/body_text.py, structured_body.py, article_text.py).

Each page reproduces the structure a rule was written for, as found on real pages (docs/extraction.md):
the words are ours, the markup is the pattern.
"""

from __future__ import annotations

import json

import pytest

from scraper.extraction import extract_article

URL = "https://news.example/2024/03/12/council-budget"
PARAGRAPHS = [
    "The city council approved the new transport budget on Tuesday night after months of debate in committee.",
    "The plan includes three new bus lines and the repair of two bridges that were closed last winter.",
    "Experts recall that the region has suffered from traffic jams for more than a decade, and that the budget is small.",
    "A spokesperson for the transport company declined to comment on the timetable for the new lines.",
    "The mayor said that work could begin next spring if the contracts are signed before the end of the year.",
]


def page(body: str, *, head: str = "", title: str = "Council approves transport budget") -> bytes:
    return (f"<html lang='en'><head><title>{title}</title>{head}</head><body><header><a href='/'>News</a></header>"
            f"<article><h1>{title}</h1>{body}</article><footer>© News Example</footer></body></html>").encode()


def paragraphs(items: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


def text_of(html: bytes, url: str = URL) -> str:
    result = extract_article(html, url)
    assert result.extraction is not None, result.failure
    return result.extraction.text


def test_a_read_also_teaser_inside_the_article_is_dropped():
    teaser = "<p>Read also: <a href='/2024/03/11/bridge-closed'>Bridge closed after storm damage</a></p>"
    text = text_of(page(paragraphs(PARAGRAPHS[:3]) + teaser + paragraphs(PARAGRAPHS[3:])))
    assert "Bridge closed" not in text
    assert all(p in text for p in PARAGRAPHS)


def test_a_paragraph_whose_link_leads_elsewhere_or_is_most_of_a_sentence_stays():
    external = "<p>Read the report: <a href='https://other.example/report'>Transport report 2024 in full</a></p>"
    sentence = ("<p>The decision follows a vote, <a href='/2024/03/01/vote'>which took place last week after "
                "a long and heated debate in the chamber</a></p>")
    text = text_of(page(paragraphs(PARAGRAPHS) + external + sentence))
    assert "Transport report 2024 in full" in text
    assert "which took place last week" in text


def test_a_post_made_of_links_keeps_them():
    links = "".join(f"<p><a href='/2024/03/{d:02d}/story-{d}'>Story number {d} of the day in our city</a></p>"
                    for d in range(1, 9))
    text = text_of(page(paragraphs(PARAGRAPHS[:1]) + links))
    assert all(f"Story number {d} of the day" in text for d in range(1, 7))


def test_a_related_block_and_its_heading_are_dropped():
    related = ("<h3>Most read</h3><ul>" + "".join(
        f"<li><a href='/2024/03/0{d}/other-{d}'>Another story that people read a lot, number {d}</a></li>"
        for d in range(1, 5)) + "</ul>")
    text = text_of(page(paragraphs(PARAGRAPHS) + related))
    assert "Most read" not in text and "Another story" not in text
    assert text.endswith(PARAGRAPHS[-1])


def test_an_article_carried_twice_is_kept_once_but_a_single_repeated_paragraph_stays():
    twice = text_of(page(paragraphs(PARAGRAPHS) + paragraphs(PARAGRAPHS)))
    assert twice.count(PARAGRAPHS[1]) == 1
    refrain = [PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[1], PARAGRAPHS[3]]
    assert text_of(page(paragraphs(refrain))).count(PARAGRAPHS[1]) == 2


LEAD = "Three new bus lines, two bridges repaired: the council's plan for the city's transport, explained."


def test_a_lead_themed_as_a_teaser_is_put_back_first():
    body = f"<div class='article-teaser'><p>{LEAD}</p></div>" + paragraphs(PARAGRAPHS)
    text = text_of(page(body))
    assert text.startswith(LEAD)


def test_another_articles_teaser_in_a_sidebar_is_not_taken_for_the_lead():
    sidebar = f"<aside><p class='teaser'>{LEAD}</p></aside>"
    html = page(paragraphs(PARAGRAPHS)).replace(b"<footer>", sidebar.encode() + b"<footer>")
    assert LEAD not in text_of(html)


def jsonld(body: str) -> str:
    node = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council approves transport budget",
            "articleBody": body}
    return f"<script type='application/ld+json'>{json.dumps(node)}</script>"


def test_lines_after_the_declared_article_body_are_dropped():
    appeal = "<p>We have been reporting on this city for 106 years. Become a member and support our journalism.</p>"
    html = page(paragraphs(PARAGRAPHS) + appeal, head=jsonld("\n".join(PARAGRAPHS)))
    text = text_of(html)
    assert "106 years" not in text and text.endswith(PARAGRAPHS[-1])


def test_a_short_declared_body_does_not_cut_the_text():
    appeal = "<p>We have been reporting on this city for 106 years. Become a member and support our journalism.</p>"
    html = page(paragraphs(PARAGRAPHS) + appeal, head=jsonld(PARAGRAPHS[0] + " " + PARAGRAPHS[1]))
    assert "106 years" in text_of(html)


def test_paragraphs_lost_behind_an_ad_are_restored_from_the_declared_body():
    long = [f"{p} (Paragraph {n}.)" for n, p in enumerate(PARAGRAPHS * 3)]
    # the text stops at an ad slot that looks like the end of the article to a one-page extractor
    visible = paragraphs(long[:3])
    rest = "".join(f"<div class='ad-slot'><span>Advertisement</span></div><div class='more'><p>{p}</p></div>"
                   for p in long[3:])
    html = page(visible, head=jsonld("\n".join(long))).replace(b"</article>", b"</article>" + rest.encode())
    text = text_of(html)
    assert "(Paragraph 14.)" in text


def test_a_page_whose_text_is_only_in_json_ld_is_an_article():
    html = (f"<html><head><title>Opinion</title>{jsonld(chr(10).join(PARAGRAPHS))}</head>"
            "<body><div id='app'></div></body></html>").encode()
    assert text_of(html).startswith(PARAGRAPHS[0])


SHORT = "Closed today for the public holiday. We reopen tomorrow at nine, as every week."


def test_a_short_post_the_page_declares_an_article_is_kept():
    html = page(f"<p>{SHORT}</p>", head="<meta property='og:type' content='article'>")
    assert text_of(html) == SHORT


def test_a_short_text_from_a_caption_is_not_an_article():
    html = (f"<html><head><title>Gallery</title><meta property='og:type' content='article'></head><body>"
            f"<figure><img src='a.jpg'><figcaption>{SHORT}</figcaption></figure></body></html>").encode()
    assert extract_article(html, URL).failure == "no-article"


@pytest.mark.parametrize("body, reason", [
    ("<p>Subscribe to continue reading. Already a subscriber? Log in.</p>", "paywall"),
    ("<p>Sorry, we could not find that page.</p>", "soft-404"),
])
def test_declared_short_stubs_stay_failures(body, reason):
    title = "Page not found" if reason == "soft-404" else "Council approves transport budget"
    html = page(body, head="<meta property='og:type' content='article'>", title=title)
    assert extract_article(html, URL).failure == reason


def test_text_is_nfc_normalised():
    decomposed = "Cafe\u0301 owners welcome the plan: the council decided after months of debate in committee."
    text = text_of(page(paragraphs([decomposed, *PARAGRAPHS])))
    assert "Caf\u00e9 owners" in text and "\u0301" not in text
