"""Search latency over a large archive: synthesise versions, then time full-text queries (``versions_fts``)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from archive import Archive
from archive.db import write_unit

from .site import VOCABULARY, paragraph_texts, sentence

VERSIONS_PER_ARTICLE = 4
# `newsarchive search` before the ranking window (archive.queries.RANK_WINDOW): FTS5 match, best rank
# first over EVERY match, a snippet, one page of results. Ranking costs ~5-8 µs per matching version.
QUERY = (
    "select v.id, v.article_id, v.version, v.title, snippet(versions_fts, -1, '**', '**', '…', 16) as snippet"
    " from versions_fts join versions v on v.id = versions_fts.rowid join articles a on a.id = v.article_id"
    " where versions_fts match ?1 order by versions_fts.rank, v.id limit 20"
)
def synthesise(db: Path, versions: int, seed: int = 11) -> None:
    """Fill a new archive with ``versions`` versions (a few per article, each an edit of the one before)."""
    rng = random.Random(seed)
    with Archive(db) as archive, write_unit(archive.db):
        for number in range(versions // VERSIONS_PER_ARTICLE):
            url = f"https://synth.example/{number}"
            article_id = archive.db.execute(
                "insert into articles (url, source, status, first_seen_at, versions, latest_version)"
                " values (?, 'synth', 'archived', '2026-01-01T00:00:00Z', ?, ?)",
                [url, VERSIONS_PER_ARTICLE, VERSIONS_PER_ARTICLE]).lastrowid
            paras = paragraph_texts(rng, rng.randint(3, 8))
            title = sentence(rng, 8)[:-1]
            for version in range(1, VERSIONS_PER_ARTICLE + 1):
                paras[rng.randrange(len(paras))] = paragraph_texts(rng, 1)[0]
                archive.db.execute(
                    "insert into versions (article_id, version, content_hash, first_seen_at, last_seen_at, title, text)"
                    " values (?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?, ?)",
                    [article_id, version, f"synth:{number}:{version}", title, "\n\n".join(paras)])


def queries(count: int, seed: int = 5) -> list[str]:
    """A mix of what people type: one common word, one rare word, two words, a phrase, a prefix."""
    rng = random.Random(seed)
    common, rare = VOCABULARY[:60], VOCABULARY[1000:]
    shapes = [
        lambda: rng.choice(common),
        lambda: rng.choice(rare),
        lambda: f"{rng.choice(common)} {rng.choice(rare)}",
        lambda: f'"{rng.choice(common)} {rng.choice(common)}"',
        lambda: rng.choice(rare)[:3] + "*",
    ]
    return [shapes[i % len(shapes)]() for i in range(count)]


def latency_ms(db: Path, terms: list[str], sql: str | None = None) -> tuple[float, float, str]:
    """(p50, p95) milliseconds over ``terms`` on a read-only connection, and what ran.

    ``sql`` None: ``archive.queries.search`` when this checkout has it, else :data:`QUERY`.
    """
    with Archive(db, readonly=True) as archive:
        run, label = _runner(archive, sql)
        for term in terms[:5]:
            run(term)  # warm the page cache, as a long-lived archive is
        timings = []
        for term in terms:
            start = time.perf_counter()
            run(term)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], label


def _runner(archive: Archive, sql: str | None) -> tuple[Callable[[str], object], str]:
    if sql is None:
        try:
            from archive.queries import search as archive_search  # the search command's query (#5)
        except ImportError:
            sql = QUERY
        else:
            return (lambda term: archive_search(archive.db, term, limit=20)), "archive.queries.search"
    return (lambda term: archive.db.execute(sql, [term]).fetchall()), "SQL in bench/search.py"
