"""Per-source boilerplate, learned from the archive's own articles: the lines a source's pages share.

A source's pages share a template, and what of it slips into an extracted text — a newsletter box, a
copyright line, "Sign up for our alerts", the "most read" titles of the hour — comes back, word for word,
in many of its articles. An article's own paragraphs do not. So, per source, the archive counts in how
many articles each short line appeared (``source_lines``, counted once per article, at its first
version), and keeps out of a new version's text:

- a line that at least :data:`MIN_ARTICLES` *other* articles of the source carried;
- a line that is another article's title (a teaser of it).

The rules never empty an article: when they would remove more than :data:`MAX_REMOVED_SHARE` of a
text (wire copy published under several URLs shares everything), they remove nothing. They are applied
when a version is stored, through :class:`archive.Archive`, so the crawl, ``import``, ``reextract`` and the
distributed writer see the same knowledge; and the version decision compares texts filtered with what is
known *now*, so that learning a line never makes a version of an unchanged article.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import sqlite_utils

from .content import normalise

MIN_ARTICLES = 3
MAX_LINE_CHARS = 250  # longer lines are an article's own paragraphs: not counted, never removed
MIN_TITLE_CHARS = 20  # a shorter line equal to a title ("Weather") may well be a heading of its own
MAX_REMOVED_SHARE = 0.4
_BATCH = 400  # line keys per query (under SQLite's bound-parameter limit)


def line_key(line: str) -> int:
    """A signed 64-bit key of a line, normalised (case, Unicode form and whitespace do not matter)."""
    digest = hashlib.blake2b(normalise(line).casefold().encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _keyed(text: str) -> list[tuple[str, int | None]]:
    return [(line, line_key(line) if 0 < len(normalise(line)) <= MAX_LINE_CHARS else None)
            for line in text.split("\n")]


def learn(db: sqlite_utils.Database, source: str, text: str, title: str | None, now: str) -> None:
    """Count the short lines of an article's first version, and its title, for ``source``."""
    keys = {key for _, key in _keyed(text) if key is not None}
    rows = [(source, key, now, now) for key in keys]
    db.conn.executemany(
        "insert into source_lines (source, line_key, articles, titles, first_seen_at, last_seen_at)"
        " values (?, ?, 1, 0, ?, ?) on conflict (source, line_key) do update set"
        " articles = articles + 1, last_seen_at = excluded.last_seen_at",
        rows,
    )
    if title and len(normalise(title)) >= MIN_TITLE_CHARS:
        db.execute(
            "insert into source_lines (source, line_key, articles, titles, first_seen_at, last_seen_at)"
            " values (?, ?, 0, 1, ?, ?) on conflict (source, line_key) do update set titles = 1",
            [source, line_key(title), now, now],
        )


def without_boilerplate(db: sqlite_utils.Database, source: str, text: str, title: str | None) -> str:
    """``text`` without the lines the source's other articles share (see the module docstring)."""
    keyed = _keyed(text)
    known = _known(db, source, {key for _, key in keyed if key is not None})
    if not known:
        return text
    own_title = line_key(title) if title else None
    drop = [key is not None and key != own_title and key in known for _, key in keyed]
    removed = sum(len(line) for (line, _), gone in zip(keyed, drop) if gone)
    if not removed or removed > MAX_REMOVED_SHARE * len(text):
        return text
    return "\n".join(line for (line, _), gone in zip(keyed, drop) if not gone).strip()


def _known(db: sqlite_utils.Database, source: str, keys: Iterable[int]) -> set[int]:
    """The keys among ``keys`` that are boilerplate of ``source``."""
    keys = list(keys)
    found: set[int] = set()
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start:start + _BATCH]
        marks = ", ".join("?" for _ in chunk)
        found.update(row[0] for row in db.execute(
            f"select line_key from source_lines where source = ? and line_key in ({marks})"
            " and (articles >= ? or titles = 1)",
            [source, *chunk, MIN_ARTICLES],
        ))
    return found
