"""Overlapping runs, long readers, a full disk, a read-only or missing archive (targets 6, 7, 8)."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, crawl, rows, run_cli, sources_for
from .crashkit import HEALTHY, health, kill_group, start_crawl
from .pages import article_html, paragraphs, rss
from .server import LocalSite

T1 = "2024-05-03T10:00:00Z"
T2 = "2024-05-03T12:00:00Z"


def serve(site: LocalSite, count: int, *, start: int = 0, words: int = 6) -> list[dict[str, str]]:
    items = []
    for i in range(start, start + count):
        site.set(f"/news/{i}", article_html(f"Fault story {i}", paragraphs(i, words)).encode())
        items.append({"title": f"S{i}", "link": site.url(f"/news/{i}")})
    return items


def test_second_crawl_exits_75_at_once_while_the_first_holds_the_archive(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    items = serve(site, 3)
    page = article_html("Slow story", paragraphs(7)).encode()
    site.set("/news/slow", lambda: (time.sleep(4), page)[1])
    site.set("/rss.xml", rss([*items, {"title": "slow", "link": site.url("/news/slow")}]), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    first = start_crawl(db_path, sources, now=T1)
    try:
        deadline = time.monotonic() + 30
        while site.hits("/news/slow") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        second = run_cli("crawl", "--db", str(db_path), "--sources", str(sources), now=T1)
        took = time.monotonic() - started
        assert site.hits("/news/slow") == 1 and first.poll() is None  # the first still runs
    finally:
        out, err = first.communicate(timeout=60)
    print(f"second crawl exited {second.returncode} after {took:.2f}s")
    assert second.returncode == 75
    lines = second.stderr.strip().splitlines()
    assert lines == [f"Error: {db_path}: another crawl is running on this archive (pid {first.pid} holds {db_path}.lock); "
                     "this run did nothing, the next one will catch up"]
    assert second.stdout == ""
    assert took < 15  # no waiting for the other run (start-up of the CLI only)
    assert first.returncode == 0, err
    assert "articles: 4 new" in out
    assert rows(db_path, "select count(*) n from versions") == [{"n": 4}]
    assert rows(db_path, "select count(*) n from captures") == [{"n": 4}]


def test_lock_of_a_killed_crawl_does_not_block_the_next(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/rss.xml", rss(serve(site, 2)), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    proc = start_crawl(db_path, sources, now=T1)
    deadline = time.monotonic() + 30
    while not Path(f"{db_path}.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    kill_group(proc)
    result = crawl(db_path, sources, now=T1)
    assert "articles: 2 new" in result.stdout


def test_a_reader_holding_a_read_transaction_never_fails_a_crawl(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    items = serve(site, 4)
    site.set("/rss.xml", rss(items), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, now=T1)
    reader = sqlite3.connect(db_path, isolation_level=None)  # like a sqlite3 shell or Datasette
    reader.execute("begin")
    assert reader.execute("select count(*) from versions").fetchone() == (4,)
    site.set("/news/0", article_html("Fault story 0", paragraphs(1000)).encode())  # a real edit
    site.set("/rss.xml", rss([*items, *serve(site, 3, start=4)]), content_type="application/rss+xml")

    started = time.monotonic()
    result = crawl(db_path, sources, "--recheck", "all", now=T2)
    took = time.monotonic() - started

    print(f"crawl beside an open read transaction: {took:.2f}s")
    assert "articles: 3 new, 1 updated, 3 unchanged, 0 failed" in result.stdout
    assert took < 25  # never waited out the 30 s busy timeout
    assert reader.execute("select count(*) from versions").fetchone() == (4,)  # its snapshot is stable
    reader.execute("commit")
    assert reader.execute("select count(*) from versions").fetchone() == (8,)
    reader.close()


def test_disk_full_stops_with_one_line_and_the_next_run_catches_up(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/rss.xml", rss(serve(site, 2)), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, now=T1)
    subprocess.run([sys.executable, "-c", f"import sqlite3; sqlite3.connect({str(db_path)!r}).execute('pragma wal_checkpoint(truncate)')"], check=True)
    site.set("/rss.xml", rss(serve(site, 2) + serve(site, 30, start=2, words=60)), content_type="application/rss+xml")
    limit = db_path.stat().st_size + 64 * 1024  # room for a little, not for 30 long articles

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_NOW": T2}
    env.pop("NEWSARCHIVE_DB", None)
    full = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--db", str(db_path), "--sources", str(sources)],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120, preexec_fn=small_disk)

    assert full.returncode == 1
    errors = [line for line in full.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [f"Error: cannot write the archive (disk I/O error: disk full or file size limit?); "
                      "free space and run again, nothing was lost (crawl stopped)"]
    assert health(db_path) == HEALTHY
    archived = rows(db_path, "select count(*) n from versions")[0]["n"]
    print(f"disk full after {archived} of 32 versions; stderr: {errors}")
    assert 2 <= archived < 32
    result = crawl(db_path, sources, now=T2)
    assert f"articles: {32 - archived} new" in result.stdout
    assert rows(db_path, "select count(*) n, sum(versions) v from articles") == [{"n": 32, "v": 32}]
    assert health(db_path) == HEALTHY


def make_read_only(path: Path) -> None:
    if os.geteuid() == 0:  # root ignores permissions: mark the file immutable instead
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root without chattr support")
    else:
        path.chmod(0o444)


def make_writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o644)


def test_read_only_archive_is_a_one_line_error_and_stays_intact(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/rss.xml", rss(serve(site, 2)), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    crawl(db_path, sources, now=T1)
    site.set("/rss.xml", rss(serve(site, 3)), content_type="application/rss+xml")
    make_read_only(db_path)
    try:
        result = run_cli("crawl", "--db", str(db_path), "--sources", str(sources), now=T2)
    finally:
        make_writable(db_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {db_path}: archive is read-only (no write permission); check the file's permissions"]
    assert site.hits("/rss.xml") == 1  # nothing fetched
    assert health(db_path) == HEALTHY
    assert "articles: 1 new" in crawl(db_path, sources, now=T2).stdout


def test_missing_directory_is_a_one_line_error(site: LocalSite, tmp_path: Path) -> None:
    site.set("/rss.xml", rss(serve(site, 1)), content_type="application/rss+xml")
    sources = sources_for(site, tmp_path, {"daily": ["/rss.xml"]})
    db = tmp_path / "missing" / "archive.db"
    result = run_cli("crawl", "--db", str(db), "--sources", str(sources), now=T1)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {db}: directory {db.parent} does not exist; create it or choose another --db"]
    assert not db.parent.exists()
