"""The word diff as HTML (archive/diffhtml.py): paragraphs kept, rows aligned, text escaped, unchanged stretches folded."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from archive.diffhtml import diff_rows, fields_html, inline_html, paragraph_starts, preview_html, side_by_side_html
from archive.worddiff import WordDiff, word_changes

OLD = "One stays.\nTwo changes here.\nThree goes.\nFour stays.\nFive stays.\nSix stays."
NEW = "One stays.\nTwo changed here.\nFour stays.\nFive stays.\nSix stays.\nSeven is new."


def words(html: str, tag: str) -> list[str]:
    return [node.text_content() for node in lxml_html.fragment_fromstring(html, create_parent=True).iter(tag)]


@pytest.mark.parametrize(("text", "starts"), [
    ("", []), ("a b", [0]), ("a b\n\nc", [0, 2]), ("  a\n \n b c \n d", [0, 1, 3]),
])
def test_paragraph_starts(text: str, starts: list[int]) -> None:
    assert paragraph_starts(text) == starts


def test_rows_break_where_both_texts_start_a_paragraph() -> None:
    rows = diff_rows(OLD, NEW)
    as_text = [(" ".join(w for r in row if r.op != "insert" for w in r.words),
                " ".join(w for r in row if r.op != "delete" for w in r.words)) for row in rows]
    assert as_text == [
        ("One stays.", "One stays."),
        ("Two changes here. Three goes.", "Two changed here."),
        ("Four stays.", "Four stays."),
        ("Five stays.", "Five stays."),
        ("Six stays.", "Six stays."),
        ("", "Seven is new."),
    ]


def test_inline_and_side_by_side_mark_the_same_words_as_the_cli_counts() -> None:
    inline, side = inline_html(OLD, NEW, context=5), side_by_side_html(OLD, NEW, context=5)
    assert words(inline, "del") == words(side, "del") == ["changes", "Three goes."]
    assert words(inline, "ins") == words(side, "ins") == ["changed", "Seven is new."]
    added = sum(len(run.split()) for run in words(inline, "ins"))
    removed = sum(len(run.split()) for run in words(inline, "del"))
    assert (added, removed) == word_changes(OLD, NEW)


def test_inline_keeps_paragraphs_of_each_side() -> None:
    tree = lxml_html.fragment_fromstring(inline_html(OLD, NEW, context=5), create_parent=True)
    assert [" ".join(p.text_content().split()) for p in tree.iter("p")] == [
        "One stays.", "Two changes changed here.", "Three goes.", "Four stays.", "Five stays.", "Six stays.",
        "Seven is new."]


def test_unchanged_stretches_fold_away_from_changes() -> None:
    old = "\n".join(f"Paragraph {n}." for n in range(10))
    new = old.replace("Paragraph 5.", "Paragraph five.")
    folded = inline_html(old, new, context=1)
    summaries = words(folded, "summary")
    assert summaries == ["4 unchanged paragraphs", "3 unchanged paragraphs"]
    assert words(inline_html(old, new, context=1, collapse="note"), "summary") == []
    assert "[… 4 unchanged paragraphs …]" in inline_html(old, new, context=1, collapse="note")
    assert words(side_by_side_html(old, new, context=1), "summary") == summaries


def test_text_is_escaped() -> None:
    html = inline_html("a <b>bold</b> claim", "a <script>alert(1)</script> claim")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in side_by_side_html("a <b>x", "a <b>y") and "&lt;b&gt;" in preview_html(WordDiff("<b> x", "<b> y"))


def test_preview_shows_the_first_changes_in_context() -> None:
    old = " ".join(f"w{n}" for n in range(40))
    new = old.replace("w5 ", "W5 ").replace("w20 ", "W20 ").replace("w35 ", "W35 ")
    assert preview_html(WordDiff(old, new), changes=2, context=2) == (
        "… w3 w4 <del>w5</del> <ins>W5</ins> w6 w7 … w18 w19 <del>w20</del> <ins>W20</ins> w21 w22 …")


def test_fields_show_a_title_as_a_word_diff_and_others_old_and_new() -> None:
    html = fields_html({"title": "Council passes budget", "author": "A", "modified_at": None},
                       {"title": "Council passes amended budget", "author": "B", "modified_at": "2024-05-04T09:00:00Z"})
    assert words(html, "th") == ["title", "author", "declared update"]
    assert words(html, "ins") == ["amended", "B", "2024-05-04T09:00:00Z"] and words(html, "del") == ["A"]
    assert fields_html({"title": "x"}, {"title": "x"}) == ""
