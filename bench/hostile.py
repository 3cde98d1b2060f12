"""Figures for issue 19 (hostile input), measured on a code tree so a baseline can run side by side.

Run: ``PYTHONPATH=. python -m bench.hostile [--code DIR] [figure ...]`` where DIR is a checkout (default:
this one; e.g. ``git archive main | tar -x -C /tmp/main``) and the figures are any of
``follow``, ``budget``, ``sigterm``, ``nesting`` (default: all). Each crawl is a subprocess of
``DIR``'s `newsarchive crawl` against a local server on 127.0.0.1; figures print one per line.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.pages import article_html, paragraphs, rss
from tests.server import LocalSite

REPO = Path(__file__).resolve().parent.parent
NOW = "2024-05-03T10:00:00Z"


def crawl(code: Path, db: Path, sources: Path, *args: str, now: str = NOW) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(code), "NEWSARCHIVE_NOW": now}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--db", str(db), "--sources", str(sources), *args],
                          capture_output=True, text=True, cwd=code, env=env, timeout=3600)
    return time.monotonic() - started, proc.stdout.strip()


def follow_figure() -> None:
    """Item 12: `re` (the old matcher, through Scrapy's LinkExtractor) against the bounded matcher."""
    sys.path.insert(0, str(REPO))
    from scraper.follow import FollowPatterns

    for pattern in (r"/news/(a+)+$", r"/news/(a|aa)+$"):
        follow = FollowPatterns([pattern])
        for length in (20, 24, 26, 30):
            url = "https://news.example/news/" + "a" * length + "!"
            started = time.perf_counter()
            re.search(pattern, url)
            before = time.perf_counter() - started
            started = time.perf_counter()
            follow.matches(url)
            after = time.perf_counter() - started
            print(f"follow {pattern} on {length} a's: re {before:.3f} s, bounded {after:.4f} s")


def budget_figure(code: Path, entries: int, budget: int) -> None:
    """Item 11: captures written per pass for a feed of ``entries`` links on one host."""
    site = LocalSite().start()
    site.set("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
    page = article_html("A short story", paragraphs(1, 2)).encode()
    for i in range(entries):
        site.set(f"/n/{i}", page.replace(b"A short story", f"Story {i}".encode()))
    site.set("/rss.xml", rss([{"title": f"S{i}", "link": site.url(f"/n/{i}")} for i in range(entries)]),
             content_type="application/rss+xml")
    with tempfile.TemporaryDirectory() as folder:
        db, sources = Path(folder) / "a.db", Path(folder) / "s.toml"
        sources.write_text(f'[[source]]\nname = "big"\nfeeds = ["{site.url("/rss.xml")}"]\ndelay = 0\nconcurrency = 8\n')
        for run, now in enumerate((NOW, "2024-05-03T10:20:00Z"), 1):
            seconds, line = crawl(code, db, sources, "-s", f"NEWSARCHIVE_HOST_BUDGET={budget}", "--all-feeds", now=now)
            counts = sqlite3.connect(db).execute(
                "select count(*), sum(error is not null), (select count(*) from versions) from captures").fetchone()
            print(f"budget {entries} entries, budget {budget}, pass {run}: {seconds:.1f} s; captures so far {counts[0]}"
                  f" ({counts[1]} failed), versions {counts[2]}; {line[:160]}")
    site.stop()


def sigterm_figure(code: Path) -> None:
    """Item 4: seconds from SIGTERM to exit while the crawl waits on a delay, a Retry-After, a slow server."""
    stalls = {
        "source delay 600 s": ("delay = 600", [], None),
        "Retry-After 110 s": ("delay = 0", [], (503, {"Retry-After": "110"}, b"busy")),
        "a server that never answers": ("delay = 0", ["-s", "DOWNLOAD_TIMEOUT=600"], "hang"),
    }
    for name, (delay, args, stall) in stalls.items():
        site = LocalSite().start()
        site.set("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
        if stall == "hang":
            site.set("/news/x", lambda: (time.sleep(120), b"")[1])
        elif stall:
            site.set("/news/x", stall[2], status=stall[0], headers=stall[1])
        else:
            site.set("/news/x", b"<p>x</p>")
        site.set("/rss.xml", rss([{"title": "x", "link": site.url("/news/x")}]), content_type="application/rss+xml")
        with tempfile.TemporaryDirectory() as folder:
            sources = Path(folder) / "s.toml"
            sources.write_text(f'[[source]]\nname = "s"\nfeeds = ["{site.url("/rss.xml")}"]\n{delay}\n')
            env = {**os.environ, "PYTHONPATH": str(code), "NEWSARCHIVE_NOW": NOW}
            proc = subprocess.Popen([sys.executable, "-m", "scraper", "crawl", "--db", str(Path(folder) / "a.db"),
                                     "--sources", str(sources), *args], cwd=code, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            target = "/robots.txt" if stall is None else "/news/x"
            while not site.hits(target) and proc.poll() is None:
                time.sleep(0.05)
            time.sleep(1)
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
                took = f"{time.monotonic() - sent:.1f} s"
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                took = "over 60 s (killed)"
            print(f"sigterm while waiting on {name}: exit after {took}")
        site.stop()


NESTING = {
    "20k span + 20k stray /div": lambda page: page.replace("<body>", "<body>" + "<span>" * 20_000 + "</div>" * 20_000),
    "2,000 blockquote around": lambda page: page.replace("<main>", "<main>" + "<blockquote>" * 2000),
    "20,000 ul/li around": lambda page: page.replace("<main>", "<main>" + "<ul><li>" * 20_000),
    "2,000 table/tr/td around": lambda page: page.replace("<main>", "<main>" + "<table><tr><td>" * 2000),
    "20,000 article around": lambda page: page.replace("<main>", "<main>" + "<article>" * 20_000),
}
NESTING_RUN = """
import sys, time
from scraper.extraction.article import extract_article
body = sys.stdin.buffer.read()
started = time.perf_counter()
try:
    result = extract_article(body, "https://news.example/a")
    outcome = result.failure or f"{len(result.extraction.text)} characters"
except Exception as exc:
    outcome = type(exc).__name__
print(f"{time.perf_counter() - started:.2f} s, {outcome}")
"""


def nesting_figure(code: Path) -> None:
    """Item 7: extraction of deep and unbalanced markup (the clean page gives ~1,800 characters)."""
    page = article_html("Deeply nested story", paragraphs(7))
    for name, make in NESTING.items():
        proc = subprocess.run([sys.executable, "-c", NESTING_RUN], input=make(page).encode(), capture_output=True,
                              cwd=code, env={**os.environ, "PYTHONPATH": str(code)}, timeout=600)
        print(f"nesting {name}: {proc.stdout.decode().strip() or proc.stderr.decode()[-200:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figures", nargs="*", default=["follow", "budget", "sigterm", "nesting"])
    parser.add_argument("--code", type=Path, default=REPO)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--budget", type=int, default=2000)
    options = parser.parse_args()
    for figure in options.figures:
        if figure == "follow":
            follow_figure()
        elif figure == "budget":
            budget_figure(options.code.resolve(), options.entries, options.budget)
        elif figure == "sigterm":
            sigterm_figure(options.code.resolve())
        elif figure == "nesting":
            nesting_figure(options.code.resolve())


if __name__ == "__main__":
    main()
