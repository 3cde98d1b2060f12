"""Word-level diffs behind history and diff (table-driven)."""

from __future__ import annotations

import pytest

from archive.worddiff import Change, changes, text_segments, word_changes


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("", "one two three", (3, 0)),
    ("one two three", "one two three", (0, 0)),
    ("the cat sat", "the black cat sat down", (2, 0)),
    ("the cat sat", "the dog sat", (1, 1)),
    ("a b c d", "a d", (0, 2)),
    ("spacing  differs\nhere", "spacing differs here", (0, 0)),
])
def test_word_changes(old: str, new: str, expected: tuple[int, int]) -> None:
    assert word_changes(old, new) == expected


@pytest.mark.parametrize(("old", "new", "context", "expected"), [
    ("a b c", "a x c", None, [("equal", "a"), ("delete", "b"), ("insert", "x"), ("equal", "c")]),
    ("1 2 3 4 5 6 7 8", "1 2 3 4 5 6 7 X", 2, [("equal", "… 6 7"), ("delete", "8"), ("insert", "X")]),
    ("X 2 3 4 5 6 7 8", "Y 2 3 4 5 6 7 8", 2, [("delete", "X"), ("insert", "Y"), ("equal", "2 3 …")]),
    ("1 2 3 4 5 6 7 8 9 10", "1 2 3 A 5 6 7 8 9 B", 1,
     [("equal", "… 3"), ("delete", "4"), ("insert", "A"), ("equal", "5 … 9"), ("delete", "10"), ("insert", "B")]),
    ("1 2 3", "1 2 3", 1, [("equal", "1 2 3")]),
])
def test_text_segments(old: str, new: str, context: int | None, expected: list[tuple[str, str]]) -> None:
    assert text_segments(old, new, context) == expected


def test_changes_lists_fields_then_word_runs() -> None:
    old = {"title": "A", "author": None, "published_at": "2024-01-01T00:00:00Z", "modified_at": None, "text": "x y z"}
    new = {"title": "B", "author": "Ann", "published_at": None, "modified_at": None, "text": "x z w"}
    assert changes(old, new) == [
        Change("title", "replace", "A", "B"),
        Change("author", "insert", None, "Ann"),
        Change("published_at", "delete", "2024-01-01T00:00:00Z", None),
        Change("text", "delete", "y", None),
        Change("text", "insert", None, "w"),
    ]
