"""Shared fixtures: a local HTTP server, temp archives, and a crawl runner (a real subprocess, as cron runs it)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive import Archive

from .server import LocalSite

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def site() -> Iterator[LocalSite]:
    server = LocalSite().start()
    server.set("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
    yield server
    server.stop()


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


def write_sources(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def sources_for(site: LocalSite, tmp_path: Path, feeds: dict[str, list[str]], extra: str = "") -> Path:
    """A sources file with one source per name, no delay (local server)."""
    blocks = []
    for name, paths in feeds.items():
        urls = ", ".join(f'"{site.url(p)}"' for p in paths)
        blocks.append(f'[[source]]\nname = "{name}"\nfeeds = [{urls}]\ndelay = 0\nconcurrency = 4\n{extra}')
    return write_sources(tmp_path / "sources.toml", "\n".join(blocks))


def run_cli(*args: str, now: str | None = None, cwd: Path | None = None, timeout: float = 120) -> CrawlResult:
    """Run `newsarchive ARGS` in a subprocess (the reactor starts once per process)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("NEWSARCHIVE_DB", None)
    if now:
        env["NEWSARCHIVE_NOW"] = now
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", *args],
        capture_output=True, text=True, env=env, cwd=cwd or REPO, timeout=timeout,
    )
    return CrawlResult(proc.returncode, proc.stdout, proc.stderr)


def crawl(db: Path, sources: Path, *args: str, now: str | None = None) -> CrawlResult:
    """One crawl pass; asserts it exited 0."""
    result = run_cli("crawl", "--db", str(db), "--sources", str(sources), *args, now=now)
    assert result.returncode == 0, result.stderr
    return result


def rows(db: Path, sql: str, params: list | tuple = ()) -> list[dict]:
    with Archive(db) as archive:
        return list(archive.db.query(sql, list(params)))


@pytest.fixture(scope="session")
def beacon_site() -> Iterator[LocalSite]:
    """A local server the web view's archived festival page would call if its scripts or images ever ran."""
    from .webarchive import BEACONS, FESTIVAL_1, festival_page

    server = LocalSite().start()
    for path in BEACONS:
        server.set(path, b"", content_type="text/plain")
    server.set("/live/festival", festival_page(FESTIVAL_1, server.base))  # the same page, served live
    yield server
    server.stop()


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory: pytest.TempPathFactory, beacon_site: LocalSite) -> Path:
    """The web view's archive (tests/webarchive.py), built once per session; tests only read it."""
    from .webarchive import build

    return build(tmp_path_factory.mktemp("web") / "news.db", beacon_site.base)
@pytest.fixture(scope="session")
def crawled_archive(tmp_path_factory: pytest.TempPathFactory):
    """The crawled archive of tests/crawled_archive.py (built once; tests must not write to it)."""
    from .crawled_archive import build

    return build(tmp_path_factory.mktemp("web-archive"))
