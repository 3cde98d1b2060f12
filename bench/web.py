"""The web view's pages on a large archive: an article with 50 versions, recent changes and the whole-archive Atom
feed over 100k versions (goal < 300 ms each), timed through Datasette's own ASGI client (routing, queries, diffs,
templates; no network), beside Datasette's own table page of 50 versions as the baseline.

    python -m bench.web                       # 100k versions (synthesised once, kept in --work)
    python -m bench.web --versions 20000 --runs 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from archive import Archive
from archive.clock import iso
from archive.db import write_unit

from .site import VOCABULARY, paragraph_texts, sentence

VERSIONS_PER_ARTICLE = 4
LONG_ARTICLE_VERSIONS = 50
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
SPAN = timedelta(days=60)
LONG_URL = "https://synth.example/long-running-story"


def _article(archive: Archive, url: str, source: str, versions: int, rng: random.Random, first: datetime,
             gap: timedelta) -> None:
    """One article with ``versions`` versions, each an edit of one paragraph of the one before, and a capture each."""
    article_id = archive.db.execute(
        "insert into articles (url, source, status, first_seen_at, versions, latest_version, last_checked_at)"
        " values (?, ?, 'archived', ?, ?, ?, ?)",
        [url, source, iso(first), versions, versions, iso(first + gap * versions)]).lastrowid
    paras = paragraph_texts(rng, rng.randint(4, 9))
    title = sentence(rng, 8)[:-1]
    for number in range(1, versions + 1):
        seen = iso(first + gap * (number - 1))
        if number > 1:
            paras[rng.randrange(len(paras))] = paragraph_texts(rng, 1)[0]
        version_id = archive.db.execute(
            "insert into versions (article_id, version, content_hash, first_seen_at, last_seen_at, title, author, text)"
            " values (?, ?, ?, ?, ?, ?, 'Synth Desk', ?)",
            [article_id, number, f"sha256:{article_id:08x}{number:056x}", seen, seen, title, "\n\n".join(paras)],
        ).lastrowid
        archive.db.execute(
            "insert into captures (article_id, version_id, url, fetched_at, status, headers) values (?, ?, ?, ?, 200, '{}')",
            [article_id, version_id, url, seen])


def synthesise(path: Path, versions: int, seed: int = 17) -> None:
    """``versions`` versions over two sources (articles of 4 versions spread over 60 days), plus one article
    with 50 versions."""
    rng = random.Random(seed)
    articles = versions // VERSIONS_PER_ARTICLE
    with Archive(path) as archive, write_unit(archive.db):
        for number in range(articles):
            first = START + SPAN * (number / articles)
            _article(archive, f"https://synth.example/{number}", ("daily", "wire")[number % 2], VERSIONS_PER_ARTICLE,
                     rng, first, timedelta(hours=rng.randint(1, 48)))
        _article(archive, LONG_URL, "daily", LONG_ARTICLE_VERSIONS, rng, START, SPAN / LONG_ARTICLE_VERSIONS)


def timings_ms(db: Path, paths: dict[str, tuple[str, dict[str, str]]], runs: int) -> dict[str, tuple[float, float, int]]:
    """(median, p95, status) in ms of GET ``path`` with ``headers`` for each page, interleaved run by run
    (the machine's drift hits every page alike), after one warm-up request each."""
    from datasette.app import Datasette

    async def measure() -> dict[str, tuple[float, float, int]]:
        datasette = Datasette([], immutables=[str(db)])  # as `newsarchive serve` opens it
        await datasette.invoke_startup()
        status = {}
        for name, (path, headers) in paths.items():
            status[name] = (await datasette.client.get(path, headers=headers)).status_code
        samples: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(runs):
            for name, (path, headers) in paths.items():
                started = time.perf_counter()
                await datasette.client.get(path, headers=headers)
                samples[name].append((time.perf_counter() - started) * 1000)
        return {name: (statistics.median(values), sorted(values)[max(0, int(len(values) * 0.95) - 1)], status[name])
                for name, values in samples.items()}

    return asyncio.run(measure())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=100_000, help="versions synthesised")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "newsarchive-bench")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.work / f"web-{args.versions}.db"
    if not db.exists():  # kept between runs: synthesising (and indexing the text) is the slow part
        started = time.perf_counter()
        synthesise(db, args.versions)
        print(f"bench.web: synthesised {args.versions:,} versions in {time.perf_counter() - started:.0f}s", flush=True)
    with Archive(db, readonly=True) as archive:
        feed = archive.db.execute("select count(*) from versions").fetchone()[0]
    from archive.changes import edits_tag, recent_edits
    with Archive(db, readonly=True) as archive:
        tag = edits_tag(recent_edits(archive.db, limit=50), "changes?")
    name = db.stem
    pages = {
        "baseline: Datasette's table page, 50 versions": (f"/{name}/versions?_size=50&_nocount=1&_nofacet=1", {}),
        f"article page, {LONG_ARTICLE_VERSIONS} versions": (f"/-/article?url={quote(LONG_URL, safe='')}", {}),
        "recent changes (50 edits)": ("/-/changes", {}),
        "Atom feed of changes, whole archive (50 entries)": ("/-/changes.atom", {}),
        "same, conditional GET answered 304": ("/-/changes.atom", {"If-None-Match": tag}),
        "recent changes of one source": ("/-/changes?source=wire", {}),
        f"search, the commonest word ({VOCABULARY[0]!r})": (f"/-/search?q={VOCABULARY[0]}", {}),
    }
    results = timings_ms(db, pages, args.runs)
    baseline = results[next(iter(pages))][0]
    load = os.getloadavg()
    print(f"\n{feed:,} versions; {args.runs} runs per page; load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}\n")
    print("| page | median ms | p95 ms | × baseline | status |")
    print("|---|---|---|---|---|")
    for label, (median, p95, status) in results.items():
        print(f"| {label} | {median:.0f} | {p95:.0f} | {median / baseline:.2f} | {status} |")


if __name__ == "__main__":
    main()
