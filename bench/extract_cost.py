"""What extraction costs on real pages: bare trafilatura against newsarchive's whole ``extract_article``.

The pages are trafilatura's evaluation set (see bench/corpus.py). Each system runs over every page in one
process, after a warm-up pass (imports, compiled patterns, locale tables: what a worker has after its first
pages); the passes alternate and each figure is the lowest of ``--repeat`` passes, so a neighbour's load on
this shared machine inflates no figure more than another. CPU time (``time.process_time``), not wall time.

    python -m bench.extract_cost --corpus ~/trafilatura/tests

Prints one Markdown table, CPU-ms per page and the ratio to bare trafilatura with the same options:

- ``trafilatura`` — ``bare_extraction(body, url=…)`` with the options ``extract_article`` gives it (text only:
  the metadata is ours);
- ``trafilatura + metadata`` — the same with ``with_metadata=True``: what a user runs for text and metadata;
- ``newsarchive`` — ``extract_article(body, url)``: parse, trafilatura, and every metadata rule.

Both on all pages and on the news pages among them (those whose structured data declares an article).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .corpus import Page, load

URL_BASE = "http://127.0.0.1:8000"


def systems() -> dict[str, Callable[[bytes, str], object]]:
    """The extraction calls compared, by name."""
    import trafilatura

    from scraper.extraction import extract_article
    from scraper.extraction.article import _OPTIONS

    text_only = dict(_OPTIONS)
    with_metadata = {**_OPTIONS, "with_metadata": True}
    return {
        "trafilatura": lambda body, url: trafilatura.bare_extraction(body, url=url, **text_only),
        "trafilatura + metadata": lambda body, url: trafilatura.bare_extraction(body, url=url, **with_metadata),
        "newsarchive": lambda body, url: extract_article(body, url),
    }


def is_news(page: Page) -> bool:
    """Whether the page declares itself an article (a JSON-LD article node, or ``og:type`` article)."""
    from scraper.extraction import structured
    from scraper.extraction.sanitize import load_page

    tree = load_page(page.html)
    if tree is None:
        return False
    data = structured.read(tree, URL_BASE + page.local_path())
    return bool(data.jsonld) or "article" in data.meta_values("og:type")


def cpu_ms(call: Callable[[bytes, str], object], pages: list[Page]) -> float:
    """CPU-ms per page of ``call`` over ``pages``."""
    started = time.process_time()
    for page in pages:
        call(page.html, URL_BASE + page.local_path())
    return (time.process_time() - started) * 1000 / len(pages)


def measure(pages: list[Page], repeat: int) -> dict[str, float]:
    """The lowest CPU-ms per page of each system over ``repeat`` alternating passes (after a warm-up)."""
    calls = systems()
    for call in calls.values():
        cpu_ms(call, pages[: min(len(pages), 50)])
    best = {name: float("inf") for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            best[name] = min(best[name], cpu_ms(call, pages))
    return best


def table(rows: dict[str, dict[str, float]]) -> str:
    """Markdown: CPU-ms per page and ratios to bare trafilatura, per page set."""
    lines = ["| pages | trafilatura | trafilatura + metadata | newsarchive | newsarchive / trafilatura "
             "| newsarchive / trafilatura + metadata |", "|---|---|---|---|---|---|"]
    for label, figures in rows.items():
        bare, meta, ours = figures["trafilatura"], figures["trafilatura + metadata"], figures["newsarchive"]
        lines.append(f"| {label} | {bare:.1f} | {meta:.1f} | {ours:.1f} | {ours / bare:.3f} | {ours / meta:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=os.environ.get("NEWSARCHIVE_REALPAGES"),
                        help="folder with evaldata.json, eval/ and cache/; env NEWSARCHIVE_REALPAGES")
    parser.add_argument("--repeat", type=int, default=3, help="passes per system (the lowest counts)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (by URL)")
    args = parser.parse_args(argv)
    if args.corpus is None or not (args.corpus / "evaldata.json").is_file():
        parser.error("--corpus must name a folder holding evaldata.json, eval/ and cache/ (see bench/corpus.py)")
    os.environ.setdefault("NEWSARCHIVE_NOW", "2025-06-01T00:00:00Z")  # the same sanity window every run
    pages = load(args.corpus)[: args.limit or None]
    news = [page for page in pages if is_news(page)]
    print(f"extract_cost: {len(pages)} pages, {len(news)} news pages, {args.repeat} passes", file=sys.stderr)
    rows = {f"all ({len(pages)})": measure(pages, args.repeat), f"news ({len(news)})": measure(news, args.repeat)}
    print(table(rows))


if __name__ == "__main__":
    main()
