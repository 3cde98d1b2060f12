"""Page requisites: requests and bytes per article with ``requisites = true`` and without.

The bench site's articles, each made to reference what a news page does: the site's two stylesheets (one
importing its two web fonts and a background image), two scripts, a logo, and a photo of its own. Three
passes through the real CLI, each into its own archive: a first crawl without requisites, the same with them,
then (two days later, everything due) a recheck of every article and requisite. Per pass: requests and
downloaded bytes per article (Scrapy's ``downloader/*`` stats) and the archive's growth per article.

    python -m bench.requisites --articles 300
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from archive.clock import iso

from . import site
from .server import SiteServer, free_port
from .storage import archive_bytes

REPO = Path(__file__).resolve().parent.parent
_STAT = re.compile(r"'(downloader/request_count|downloader/response_bytes|newsarchive/requisites/[a-z/-]+)': (\d+)")
SHARED = {  # path -> size in bytes (what a news site's pages share)
    "/static/site.css": 60_000, "/static/print.css": 4_000, "/static/fonts.css": 1_000, "/static/bg.png": 6_000,
    "/static/serif.woff2": 40_000, "/static/sans.woff2": 35_000, "/static/app.js": 120_000, "/static/ads.js": 30_000,
    "/static/logo.svg": 8_000,
}
PHOTO_BYTES = 80_000


def decorate(root: Path, articles: list[site.Article]) -> None:
    """Write the shared requisites and a photo per article, and make every article page reference them."""
    rng = random.Random(5)
    for path, size in SHARED.items():
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if path == "/static/site.css":
            body = b'@import url(fonts.css);\nbody { background: url(bg.png) }\n'
        elif path == "/static/fonts.css":
            body = b"@font-face { src: url(serif.woff2) }\n@font-face { src: url(sans.woff2) }\n"
        else:
            body = b""
        target.write_bytes(body + rng.randbytes(max(0, size - len(body))))
    head = ('<link rel="stylesheet" href="/static/site.css"><link rel="stylesheet" media="print" href="/static/print.css">'
            '<script src="/static/app.js"></script><script async src="/static/ads.js"></script>')
    for article in articles:
        page = root / article.path.lstrip("/")
        photo = f"/photos/{article.number:06d}.jpg"
        (root / "photos").mkdir(exist_ok=True)
        (root / photo.lstrip("/")).write_bytes(rng.randbytes(PHOTO_BYTES))
        html = page.read_text(encoding="utf-8")
        html = html.replace("</head>", head + "</head>", 1).replace(
            "<body>", f'<body><img src="/static/logo.svg" alt=""><img src="{photo}" alt="">', 1)
        page.write_text(html, encoding="utf-8")


def crawl(db: Path, sources: Path, log: Path, now: str, *args: str) -> dict[str, int]:
    """One pass through the CLI; Scrapy's stats from its log."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_NOW": now}
    done = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--db", str(db), "--sources", str(sources),
                           "--log-file", str(log), "-v", "-s", "NEWSARCHIVE_HOST_BUDGET=0", *args],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"bench: crawl failed: {done.stdout}{done.stderr[-2000:]}")
    stats: dict[str, int] = {}
    for key, value in _STAT.findall(log.read_text()):
        stats[key] = int(value)  # the last dump wins
    log.unlink()
    return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsarchive-requisites-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    articles = site.generate(work / "site", args.articles, base)
    decorate(work / "site", articles)
    feeds = ", ".join(f'"{base}{path}"' for path in site.feed_paths())
    source = f'[[source]]\nname = "bench"\nfeeds = [{feeds}]\ndelay = 0\nconcurrency = 16\n'
    (work / "plain.toml").write_text(source)
    (work / "requisites.toml").write_text(source + "requisites = true\n")
    start = datetime(2026, 1, 10, tzinfo=timezone.utc)
    rows = []
    with SiteServer(work / "site", port):
        for label, sources, db, now, extra in (
            ("first crawl, requisites off", "plain.toml", "plain.db", start, ()),
            ("first crawl, requisites on", "requisites.toml", "requisites.db", start, ()),
            ("recheck 2 days later, requisites on", "requisites.toml", "requisites.db", start + timedelta(days=2),
             ("--recheck", "all")),
        ):
            before = archive_bytes(work / db) if (work / db).exists() else 0
            stats = crawl(work / db, work / sources, work / "crawl.log", iso(now), *extra)
            grown = archive_bytes(work / db) - before
            requests, received = stats.get("downloader/request_count", 0), stats.get("downloader/response_bytes", 0)
            fetched = {k.rsplit("/", 1)[-1]: v for k, v in stats.items() if k.startswith("newsarchive/requisites/")}
            rows.append((label, requests / args.articles, received / args.articles / 1024, grown / args.articles / 1024,
                         fetched))
    print(f"| {args.articles} articles | requests/article | KiB downloaded/article | archive KiB/article | requisites |")
    print("|---|---|---|---|---|")
    for label, requests, received, grown, fetched in rows:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(fetched.items())) or "-"
        print(f"| {label} | {requests:.2f} | {received:.1f} | {grown:.1f} | {detail} |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
