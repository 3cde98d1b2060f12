"""A word diff as HTML, paragraphs kept: inline (``<del>``/``<ins>``, as `newsarchive diff` prints it), side by
side in aligned rows, and a short preview. The web view and the Atom feeds of changes both use it.

The words and their changes are :class:`archive.worddiff.WordDiff`'s, so the counts and marks agree with the
CLI; paragraphs only decide where lines break. A row starts where both texts start a paragraph at the same
unchanged word, so side by side the old and new paragraphs stay level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from bisect import bisect_left
from dataclasses import dataclass
from html import escape
from typing import Any

from .worddiff import FIELD_LABELS, FIELDS, WordDiff

_TAG = {"delete": "del", "insert": "ins"}


@dataclass(frozen=True)
class Run:
    """Consecutive words of the diff with one ``op`` (equal/delete/insert) inside one paragraph of each text;
    ``old_break``/``new_break``: its first word begins a paragraph of the old/new text."""

    op: str
    words: list[str]
    old_break: bool
    new_break: bool


def paragraph_starts(text: str | None) -> list[int]:
    """Indexes (in ``text.split()``) of the words that begin a line of ``text``, in order.

    >>> paragraph_starts("a b\\n\\nc d e\\nf")
    [0, 2, 5]
    """
    starts, count = [], 0
    for line in (text or "").splitlines():
        words = len(line.split())
        if words:
            starts.append(count)
            count += words
    return starts


class _Starts:
    """A text's paragraph starts, asked "does word i begin one?" and "which begin one in [lo, hi)?"."""

    def __init__(self, text: str | None) -> None:
        self.ordered = paragraph_starts(text)
        self.set = set(self.ordered)

    def within(self, lo: int, hi: int) -> list[int]:
        return self.ordered[bisect_left(self.ordered, lo):bisect_left(self.ordered, hi)]


def _runs(op: str, words: list[str], lo: int, hi: int, other: int, old: _Starts | None,
          new: _Starts | None) -> list[Run]:
    """``words[lo:hi]`` cut where a paragraph begins: in ``old`` (indexes from ``lo``) or in ``new`` (indexes
    from ``other``, the same words' place in the new text)."""
    cuts = {lo, hi}
    if old is not None:
        cuts.update(old.within(lo, hi))
    if new is not None:
        cuts.update(start - other + lo for start in new.within(other, other + hi - lo))
    points = sorted(cuts)
    return [Run(op, words[a:b], old is not None and a in old.set, new is not None and a - lo + other in new.set)
            for a, b in zip(points, points[1:])]


def diff_rows(old: str | None, new: str | None, diff: WordDiff | None = None) -> list[list[Run]]:
    """The diff cut into rows of runs: a row ends where both texts begin a paragraph at one unchanged word, and
    an unchanged row also ends where a deleted or inserted paragraph begins."""
    diff = diff or WordDiff(old, new)
    old_starts, new_starts = _Starts(old), _Starts(new)
    rows: list[list[Run]] = []
    row: list[Run] = []
    for tag, i1, i2, j1, j2 in diff.opcodes:
        if tag == "equal":
            runs = _runs("equal", diff.old_words, i1, i2, j1, old_starts, new_starts)
        else:
            runs = (_runs("delete", diff.old_words, i1, i2, i1, old_starts, None)
                    + _runs("insert", diff.new_words, j1, j2, j1, None, new_starts))
        for run in runs:
            if not run.words:
                continue
            both = run.old_break and run.new_break
            if row and (both if run.op == "equal" else (run.old_break or run.new_break) and not _changed(row)):
                rows.append(row)
                row = []
            row.append(run)
    if row:
        rows.append(row)
    return rows


def _changed(row: Sequence[Run]) -> bool:
    return any(run.op != "equal" for run in row)


def _paragraphs(runs: Iterable[Run], side: str) -> str:
    """``<p>`` elements for ``runs`` breaking where ``side`` (old/new/inline) starts a paragraph."""
    paragraphs: list[list[tuple[str, list[str]]]] = []
    for run in runs:
        starts = run.old_break if (side == "old" or (side == "inline" and run.op == "delete")) else run.new_break
        if starts or not paragraphs:
            paragraphs.append([])
        spans = paragraphs[-1]
        if spans and spans[-1][0] == run.op:
            spans[-1][1].extend(run.words)
        else:
            spans.append((run.op, list(run.words)))
    return "".join("<p>" + " ".join(_run(op, words) for op, words in spans) + "</p>" for spans in paragraphs)


def _run(op: str, words: list[str]) -> str:
    text = escape(" ".join(words), quote=False)
    tag = _TAG.get(op)
    return f"<{tag}>{text}</{tag}>" if tag else text


def _grouped(rows: list[list[Run]], context: int) -> list[tuple[bool, list[list[Run]]]]:
    """Consecutive rows as ``(shown, rows)``: changed rows and ``context`` rows around each are shown."""
    changed = [index for index, row in enumerate(rows) if _changed(row)]
    shown = {i for index in changed for i in range(index - context, index + context + 1)}
    groups: list[tuple[bool, list[list[Run]]]] = []
    for index, row in enumerate(rows):
        visible = index in shown
        if groups and groups[-1][0] == visible:
            groups[-1][1].append(row)
        else:
            groups.append((visible, [row]))
    return groups


def _unchanged(count: int) -> str:
    return f"{count} unchanged paragraph{'s' if count != 1 else ''}"


def inline_html(old: str | None, new: str | None, *, context: int = 1, collapse: str = "details",
                diff: WordDiff | None = None) -> str:
    """The new text with deleted words in ``<del>`` and inserted ones in ``<ins>``, one ``<p>`` per paragraph.

    Unchanged paragraphs further than ``context`` from a change fold into a ``<details>`` (``collapse="details"``)
    or a one-line note (``"note"``, for feed readers).

    >>> inline_html("a b c", "a x c")
    '<div class="na-diff na-inline"><p>a <del>b</del> <ins>x</ins> c</p></div>'
    """
    parts = []
    for shown, rows in _grouped(diff_rows(old, new, diff), context):
        body = "".join(_paragraphs(row, "inline") for row in rows)
        parts.append(body if shown or len(rows) < 2 else _fold(len(rows), body, collapse))
    return '<div class="na-diff na-inline">' + "".join(parts) + "</div>"


def side_by_side_html(old: str | None, new: str | None, *, context: int = 1, diff: WordDiff | None = None) -> str:
    """Old and new text in aligned rows (old left, new right); unchanged stretches fold into ``<details>``."""
    parts = []
    for shown, rows in _grouped(diff_rows(old, new, diff), context):
        body = "".join(
            f'<div class="na-row{" na-changed" if _changed(row) else ""}">'
            f'<div class="na-old">{_paragraphs((r for r in row if r.op != "insert"), "old")}</div>'
            f'<div class="na-new">{_paragraphs((r for r in row if r.op != "delete"), "new")}</div></div>'
            for row in rows
        )
        parts.append(body if shown or len(rows) < 2 else _fold(len(rows), body, "details"))
    return '<div class="na-diff na-sbs">' + "".join(parts) + "</div>"


def _fold(count: int, body: str, collapse: str) -> str:
    if collapse == "details":
        return f'<details class="na-same"><summary>{_unchanged(count)}</summary>{body}</details>'
    return f'<p class="na-same">[… {_unchanged(count)} …]</p>'


def preview_html(diff: WordDiff, *, changes: int = 2, context: int = 8) -> str:
    """The first ``changes`` changed runs of words with ``context`` words around them, on one line.

    >>> preview_html(WordDiff("1 2 3 4 5 6 7", "1 2 3 X 5 6 7"), context=1)
    '… 3 <del>4</del> <ins>X</ins> 5 …'
    """
    out: list[str] = []
    seen = 0
    previous = "equal"
    for op, words in diff.segments(context):
        if op != "equal" and previous == "equal":
            seen += 1
            if seen > changes:  # stop: the words before this change lead nowhere shown
                if out:
                    out[-1] = out[-1].split(" … ")[0] + " …"
                break
        out.append(_run(op, [words]))
        previous = op
    return " ".join(out)


def fields_html(old: dict[str, Any], new: dict[str, Any], fields: Sequence[str] = FIELDS) -> str:
    """A table of the fields (title, author, dates) that differ between two ``versions`` rows; '' when none does."""
    rows = []
    for name in fields:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if name == "title" and before and after:
            cell = _paragraphs((run for row in diff_rows(before, after) for run in row), "inline")
            rows.append(f'<tr><th scope="row">{FIELD_LABELS.get(name, name)}</th><td colspan="2">{cell}</td></tr>')
            continue
        rows.append(
            f'<tr><th scope="row">{FIELD_LABELS.get(name, name)}</th><td>{_run("delete", [before]) if before else "—"}</td>'
            f'<td>{_run("insert", [after]) if after else "—"}</td></tr>'
        )
    return f'<table class="na-fields">{"".join(rows)}</table>' if rows else ""
