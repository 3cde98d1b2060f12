"""Search latency over a large archive: synthesise versions, then time full-text queries (``versions_fts``)."""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from archive import Archive
from archive.db import write_unit

from .site import VOCABULARY, paragraph_texts, sentence

VERSIONS_PER_ARTICLE = 4
# The query the CLI's search runs: FTS5 match, best rank first, a snippet, one page of results.
QUERY = (
    "select v.id, v.article_id, v.version, v.title, snippet(versions_fts, 1, '[', ']', '…', 12) as snippet"
    " from versions_fts join versions v on v.id = versions_fts.rowid"
    " where versions_fts match ? order by rank limit 20"
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


def latency_ms(db: Path, terms: list[str]) -> tuple[float, float, int]:
    """(p50, p95) milliseconds of :data:`QUERY` over ``terms`` on a read-only connection, and the version count."""
    with Archive(db, readonly=True) as archive:
        total = archive.db.execute("select count(*) from versions").fetchone()[0]
        for term in terms[:5]:
            list(archive.db.execute(QUERY, [term]))  # warm the page cache, as a long-lived archive is
        timings = []
        for term in terms:
            start = time.perf_counter()
            list(archive.db.execute(QUERY, [term]))
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], total
