"""Web-archive output measured with the real clients, on a crawl of the bench site.

Crawl the bench site (with page requisites), recheck it (304s), edit 10% of the articles, revert half of
those and remove two, recheck after each; then ``export warc`` → ``warcio check`` → ``import`` into an
empty archive → ``export warc`` again, and compare the two archives field by field; replay every capture
in pywb (``wayback`` on 127.0.0.1) and compare the bytes served; ``export wacz`` → ``wacz validate`` →
``wb-manager add --unpack-wacz`` → replay every page.

    python -m bench.webarchive --articles 200
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from archive import Archive
from archive.clock import iso

from . import site
from .requisites import decorate
from .server import SiteServer, free_port
from .snapshot import snapshot
from .wayback import BIN, Wayback

REPO = Path(__file__).resolve().parent.parent


def cli(*args: str, now: str | None = None) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("NEWSARCHIVE_NOW", None)
    if now:
        env["NEWSARCHIVE_NOW"] = now
    done = subprocess.run([sys.executable, "-m", "scraper", *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"bench: newsarchive {args[0]} failed: {done.stdout}{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def build(work: Path, count: int) -> tuple[Path, Path]:
    """The crawled archive and its sources file."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    articles = site.generate(work / "site", count, base)
    decorate(work / "site", articles)
    feeds = ", ".join(f'"{base}{path}"' for path in site.feed_paths())
    sources = work / "sources.toml"
    sources.write_text(f'[[source]]\nname = "bench"\nfeeds = [{feeds}]\ndelay = 0\nconcurrency = 16\nrequisites = true\n')
    db = work / "crawled.db"
    start = datetime(2026, 1, 10, tzinfo=timezone.utc)
    crawl = ("crawl", "--db", str(db), "--sources", str(sources), "-s", "NEWSARCHIVE_HOST_BUDGET=0")
    edited = [a.number for a in articles if a.number % 10 == 3]
    with SiteServer(work / "site", port):
        print("  first crawl:", cli(*crawl, now=iso(start)), file=sys.stderr)
        print("  recheck:", cli(*crawl, "--recheck", "all", now=iso(start + timedelta(hours=1))), file=sys.stderr)
        site.edit(work / "site", edited, base)
        decorate(work / "site", [site.Article(n, revision=1) for n in edited])
        print("  edits:", cli(*crawl, "--recheck", "all", now=iso(start + timedelta(hours=2))), file=sys.stderr)
        reverted = [site.Article(n) for n in edited[::2]]
        site.rerender(work / "site", reverted, base, render=0)
        decorate(work / "site", reverted)
        for article in articles[:2]:
            (work / "site" / article.path.lstrip("/")).unlink()
        print("  reverts:", cli(*crawl, "--recheck", "all", now=iso(start + timedelta(hours=3))), file=sys.stderr)
    return db, sources


def counts(db: Path) -> str:
    with Archive(db, readonly=True) as archive:
        one = lambda sql: archive.db.execute(sql).fetchone()[0]  # noqa: E731
        return (f"{one('select count(*) from articles where id in (select article_id from captures)')} articles,"
                f" {one('select count(*) from versions')} versions ({one('select count(*) from versions where reverts_to is not null')}"
                f" reverts), {one('select count(*) from captures')} captures ({one('select count(*) from captures where status = 304')}"
                f" 304, {one('select count(*) from captures where error is not null')} failed,"
                f" {one('select count(*) from captures where article_id is null')} requisites)")


def differences(a: Path, b: Path) -> int:
    left, right = snapshot(a), snapshot(b)
    return sum(x != y for table in left for x, y in zip(left[table], right[table])) + sum(
        abs(len(left[t]) - len(right[t])) for t in left)


def replay_captures(db: Path, wayback: Wayback, collection: str) -> tuple[int, int]:
    """(replayed as stored, captures with a response): every capture's replay (id_) against its stored bytes."""
    good = total = 0
    with Archive(db, readonly=True) as archive:
        for row in archive.db.query("select id, article_id, url, fetched_at, status from captures_full"
                                    " where status is not null order by id"):
            shown = row["id"]
            if row["status"] == 304:
                shown = archive.db.execute(
                    "select id from captures where article_id = ? and id < ? and body_hash is not null and version_id"
                    " is not null order by id desc limit 1", [row["article_id"], row["id"]]).fetchone()[0]
            status, body = wayback.get(collection, row["fetched_at"], row["url"])
            total += 1
            good += status == (200 if row["status"] == 304 else row["status"]) and body == (archive.capture_body(shown) or b"")
    return good, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsarchive-webarchive-"))
    db, sources = build(work, args.articles)
    print(f"crawled: {counts(db)}")
    started = time.perf_counter()
    print("export:", cli("export", "warc", str(work / "first.warc.gz"), "--db", str(db)), f"({time.perf_counter() - started:.1f}s)")
    check = subprocess.run([str(BIN / "warcio"), "check", str(work / "first.warc.gz")], capture_output=True, text=True)
    print(f"warcio check: exit {check.returncode} {check.stdout.strip()}")
    started = time.perf_counter()
    print("import:", cli("import", str(work / "first.warc.gz"), "--db", str(work / "copy.db"), "--sources", str(sources)),
          f"({time.perf_counter() - started:.1f}s)")
    print(f"imported: {counts(work / 'copy.db')}")
    print("export again:", cli("export", "warc", str(work / "second.warc.gz"), "--db", str(work / "copy.db")))
    print(f"field-by-field differences between the archives: {differences(db, work / 'copy.db')}")
    wacz = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(work / "news.wacz")], capture_output=True, text=True) \
        if cli("export", "wacz", str(work / "news.wacz"), "--db", str(db)) else None
    print(f"export wacz + wacz validate: {wacz.stdout.strip().splitlines()[-1] if wacz else '-'}")
    wayback = Wayback(work / "pywb").start()
    try:
        wayback.add("warc", work / "first.warc.gz")
        good, total = replay_captures(db, wayback, "warc")
        print(f"pywb replay of every capture (the WARC): {good} of {total} served as stored")
        wayback.add("copy", work / "second.warc.gz")
        good, total = replay_captures(work / "copy.db", wayback, "copy")
        print(f"pywb replay of every capture (the re-export): {good} of {total} served as stored")
        wayback.add("wacz", work / "news.wacz", wacz=True)
        good, total = replay_captures(db, wayback, "wacz")
        print(f"pywb replay of every capture (the WACZ, --unpack-wacz): {good} of {total} served as stored")
    finally:
        wayback.stop()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
