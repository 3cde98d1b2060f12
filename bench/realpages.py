"""Score newsarchive on real pages, side by side with bare trafilatura and htmldate.

The pages are trafilatura's evaluation set (see bench/corpus.py for how to get it; never commit them).
By default they are served on 127.0.0.1, crawled end to end with ``newsarchive crawl`` and read back from
the archive; ``--direct`` calls the extractor on each page instead (quicker while tuning, same code as
the crawl's workers, but without what the archive learns across a source's pages).

    python -m bench.realpages --corpus ~/trafilatura/tests
    python -m bench.realpages --corpus ~/trafilatura/tests --direct --details /tmp/pages.jsonl

Prints one Markdown table: body text by trafilatura's own snippet metric (``tests/eval_common.py``:
each annotated "with" snippet found is a true positive, each "without" snippet found a false positive;
text is compared whitespace-normalised), title accuracy, publication-day accuracy on the dated pages
(the day in the page's own offset, what its reader saw) and the pages that failed, by reason; then what can
be measured of update dates without gold (bench/modified_dates.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from archive.urls import canonical_url

from . import modified_dates
from .corpus import CorpusServer, Page, load

REPO = Path(__file__).resolve().parent.parent
_SUMMARY = re.compile(r"articles: (\d+) new, (\d+) updated, (\d+) unchanged, (\d+) failed")


@dataclass(frozen=True)
class Result:
    """What one system made of one page."""

    text: str | None = None
    title: str | None = None
    day: str | None = None  # publication day, YYYY-MM-DD
    failure: str | None = None
    modified_day: str | None = None


@dataclass
class Score:
    """Corpus-level counts of one system."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    titles: int = 0
    titles_right: int = 0
    dated: int = 0
    days_right: int = 0
    days_missing: int = 0
    failures: Counter[str] = field(default_factory=Counter)

    def add(self, page: Page, result: Result) -> None:
        tp, fp, fn = snippet_counts(page.gold, _scored_text(result))
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn
        if page.gold.get("title"):
            self.titles += 1
            self.titles_right += same_title(result.title, page.gold["title"])
        if page.gold.get("date"):
            self.dated += 1
            self.days_right += result.day == page.gold["date"]
            self.days_missing += result.day is None
        if result.failure:
            self.failures[result.failure] += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


def norm(text: str) -> str:
    """Whitespace-normalised, as trafilatura's evaluation compares."""
    return " ".join(text.split())


def snippet_counts(gold: dict[str, Any], text: str | None) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of one page's text against its snippets."""
    found = norm(text or "")
    tp = sum(1 for snippet in gold["with"] if norm(snippet) in found) if text else 0
    fp = sum(1 for snippet in gold["without"] if norm(snippet) in found) if text else 0
    return tp, fp, len(gold["with"]) - tp


def same_title(found: str | None, gold: str) -> bool:
    return bool(found) and norm(found).casefold() == norm(gold).casefold()


def _scored_text(result: Result) -> str | None:
    """The archive keeps the title apart from the body; an archivist reads both, so both are scored."""
    if result.text is None:
        return None
    return f"{result.title}\n{result.text}" if result.title else result.text


def local_day(value: str | None, offset: str | None) -> str | None:
    """The calendar day of a stored UTC time in the offset the page wrote (a bare day as it is)."""
    if not value:
        return None
    if len(value) == 10 or not offset:
        return value[:10]
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (moment + sign * timedelta(hours=int(hours), minutes=int(minutes))).date().isoformat()


# -- the systems ---------------------------------------------------------------------------------

def run_ours_direct(local_url: str, html: bytes) -> Result:
    """newsarchive's extractor on one page, as a crawl worker runs it."""
    from scraper.extraction import extract_article

    found = extract_article(html, local_url)
    if found.extraction is None:
        return Result(failure=found.failure)
    e = found.extraction
    return Result(e.text, e.title, local_day(e.published_at, e.published_offset), None,
                  local_day(e.modified_at, e.modified_offset))


def run_baselines(url: str, html: bytes) -> dict[str, Result]:
    """Bare trafilatura (the evaluation's options, and its metadata with the URL) and htmldate."""
    import trafilatura
    from htmldate import find_date

    text = trafilatura.extract(html, include_comments=False, include_tables=True, include_formatting=False)
    meta = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    results = {"trafilatura": Result(text, meta.title if meta else None, (meta.date if meta else None) or None)}
    for name, extensive in (("htmldate extensive", True), ("htmldate fast", False)):
        try:
            day = find_date(html, url=url, original_date=True, extensive_search=extensive)
        except (ValueError, TypeError):
            day = None
        results[name] = Result(day=day)
    return results


def _baseline_cache(work: Path, pages: list[Page]) -> Path:
    key = f"trafilatura-{version('trafilatura')}-htmldate-{version('htmldate')}-{len(pages)}"
    return work / f"baselines-{key}.json"


def baselines(pages: list[Page], work: Path, jobs: int) -> dict[str, dict[str, Result]]:
    """Baseline results per URL, computed once per library version (cached under ``work``)."""
    cache = _baseline_cache(work, pages)
    if cache.exists():
        stored = json.loads(cache.read_text())
        return {url: {name: Result(**r) for name, r in by_name.items()} for url, by_name in stored.items()}
    with ProcessPoolExecutor(jobs) as pool:
        found = dict(zip([p.url for p in pages], pool.map(run_baselines, [p.url for p in pages],
                                                          [p.html for p in pages], chunksize=8)))
    cache.write_text(json.dumps({url: {n: r.__dict__ for n, r in by.items()} for url, by in found.items()}))
    return found


def ours_direct(server: CorpusServer, jobs: int) -> dict[str, Result]:
    pages = server.pages
    with ProcessPoolExecutor(jobs) as pool:
        results = pool.map(run_ours_direct, [server.url_of(p) for p in pages], [p.html for p in pages], chunksize=8)
        return dict(zip([p.url for p in pages], results))


def ours_crawl(server: CorpusServer, work: Path, extra: list[str]) -> tuple[dict[str, Result], float]:
    """Crawl every source with the real CLI and read each page's latest version back."""
    from archive import Archive

    db = work / "realpages.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    sources = work / "realpages.toml"
    sources.write_text(server.sources_toml())
    command = [sys.executable, "-m", "scraper", "crawl", "--db", str(db), "--sources", str(sources),
               "-s", "NEWSARCHIVE_HOST_BUDGET=0", *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not _SUMMARY.search(done.stdout):
        raise SystemExit(f"realpages: crawl failed ({done.returncode}): {done.stdout}\n{done.stderr[-3000:]}")
    print(f"realpages: {done.stdout.strip()}", file=sys.stderr)
    return read_back(Archive(db, readonly=True), server), seconds


def read_back(archive: Any, server: CorpusServer) -> dict[str, Result]:
    """Each page's result as the archive holds it: its article's latest version, or its capture's failure
    (``merged`` for a page whose article is another page's)."""
    results = {}
    seen: set[int] = set()
    for page in server.pages:
        article = archive.article_by_url(canonical_url(server.url_of(page)))
        if article is None:
            results[page.url] = Result(failure="not-archived")
            continue
        if article["id"] in seen:  # two different pages became one article
            results[page.url] = Result(failure="merged")
            continue
        seen.add(article["id"])
        row = archive.latest_version(article["id"])
        if row is None:
            results[page.url] = Result(failure=article.get("last_error") or "no-version")
            continue
        results[page.url] = Result(row["text"], row["title"], local_day(row["published_at"], row["published_offset"]),
                                   None, local_day(row["modified_at"], row["modified_offset"]))
    return results


# -- the report ---------------------------------------------------------------------------------

def report(pages: list[Page], systems: dict[str, dict[str, Result]]) -> str:
    scores = {}
    for name, results in systems.items():
        score = Score()
        for page in pages:
            score.add(page, results[page.url])
        scores[name] = score
    lines = [
        f"{len(pages)} pages, {scores[next(iter(scores))].dated} dated, "
        f"{scores[next(iter(scores))].titles} with a title (trafilatura {version('trafilatura')}, "
        f"htmldate {version('htmldate')})",
        "",
        "| system | text precision | text recall | text F1 | title right | publication day right | no date | failed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, s in scores.items():
        has_text = name.startswith(("newsarchive", "trafilatura"))
        text = f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f}" if has_text else "– | – | –"
        title = f"{s.titles_right / s.titles:.3f}" if s.titles and has_text else "–"
        lines.append(f"| {name} | {text} | {title} | {s.days_right / s.dated:.3f} ({s.days_right}/{s.dated}) "
                     f"| {s.days_missing} | {sum(s.failures.values())} |")
    for name, s in scores.items():
        if s.failures:
            reasons = ", ".join(f"{reason} {count}" for reason, count in s.failures.most_common())
            lines.append(f"\n{name} failed: {reasons}")
    return "\n".join(lines)


def details(pages: list[Page], systems: dict[str, dict[str, Result]], path: Path) -> None:
    """One JSON line per page: the gold fields and what each system found (for reading errors)."""
    with path.open("w", encoding="utf-8") as out:
        for page in pages:
            row: dict[str, Any] = {"url": page.url, "file": page.gold["file"], "gold_date": page.gold.get("date"),
                                   "gold_title": page.gold.get("title")}
            for name, results in systems.items():
                result = results[page.url]
                tp, fp, fn = snippet_counts(page.gold, _scored_text(result))
                row[name] = {"day": result.day, "title": result.title, "failure": result.failure,
                             "tp": tp, "fp": fp, "fn": fn, "modified_day": result.modified_day,
                             "missed": [s for s in page.gold["with"] if norm(s) not in norm(_scored_text(result) or "")],
                             "leaked": [s for s in page.gold["without"] if norm(s) in norm(_scored_text(result) or "")]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=os.environ.get("NEWSARCHIVE_REALPAGES"),
                        help="folder with evaldata.json, eval/ and cache/ (trafilatura's tests/); "
                             "env NEWSARCHIVE_REALPAGES")
    parser.add_argument("--direct", action="store_true", help="call the extractor per page instead of crawling")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (by URL)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "newsarchive-realpages")
    parser.add_argument("--details", type=Path, help="write one JSON line per page here")
    parser.add_argument("--no-baselines", action="store_true", help="score newsarchive only")
    args = parser.parse_args(argv)
    if args.corpus is None or not (args.corpus / "evaldata.json").is_file():
        parser.error("--corpus must name a folder holding evaldata.json, eval/ and cache/ (see bench/corpus.py)")
    args.work.mkdir(parents=True, exist_ok=True)
    pages = load(args.corpus)
    if args.limit:
        pages = pages[:args.limit]
    systems: dict[str, dict[str, Result]] = {}
    with CorpusServer(pages) as server:
        started = time.perf_counter()
        if args.direct:
            systems["newsarchive (direct)"] = ours_direct(server, args.jobs)
        else:
            systems["newsarchive crawl"], _ = ours_crawl(server, args.work, [])
        print(f"realpages: newsarchive in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    if not args.no_baselines:
        for url, by_name in baselines(pages, args.work, args.jobs).items():
            for name, result in by_name.items():
                systems.setdefault(name, {})[url] = result
    print(report(pages, systems))
    ours = {name: results for name, results in systems.items() if name.startswith("newsarchive")}
    print(modified_dates.report(pages, ours, {page.url: modified_dates.shown_updates(page) for page in pages}))
    if args.details:
        details(pages, systems, args.details)


if __name__ == "__main__":
    main()
