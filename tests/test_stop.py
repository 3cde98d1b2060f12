"""Issue 19, item 4: values nobody can mean are refused; SIGTERM ends a crawl within seconds, whatever stalls it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings

from archive.lock import crawl_lock
from scraper.settings_check import SettingsError, check_settings
from scraper.sources import SourcesError, load_sources

from .conftest import REPO, rows, run_cli, write_sources
from .pages import article_html, paragraphs, rss
from .server import LocalSite

GOOD = '[[source]]\nname = "a"\nfeeds = ["https://example.com/rss.xml"]\n'
UNMEANT_SOURCES = [
    ("delay = inf", "delay"), ("delay = 1e308", "delay"), ("delay = nan", "delay"), ("delay = 601", "delay"),
    ("concurrency = 100000", "concurrency"),
    ('revisit = [["1d", 1e308]]', "revisit"), ('revisit = [["1d", inf]]', "revisit"), ('revisit = [[nan, "1h"]]', "revisit"),
    ('revisit = [["1d", "30s"]]', "revisit"), ('revisit = [["999999999y", "1h"]]', "revisit"),
    ('horizon = "999999999y"', "horizon"), ("horizon = 1e308", "horizon"), ("horizon = 0", "horizon"),
]


@pytest.mark.parametrize("line,key", UNMEANT_SOURCES, ids=[c[0] for c in UNMEANT_SOURCES])
def test_sources_values_that_cannot_be_meant_are_refused(tmp_path: Path, line: str, key: str) -> None:
    for text in (GOOD + line + "\n", f"[defaults]\n{line}\n" + GOOD):
        path = write_sources(tmp_path / "sources.toml", text)
        with pytest.raises(SourcesError, match=f"key '{key}'") as info:
            load_sources(path)
        assert "\n" not in str(info.value)


UNMEANT_SETTINGS = [
    ("DOWNLOAD_DELAY", "inf"), ("DOWNLOAD_DELAY", "1e308"), ("DOWNLOAD_DELAY", "nan"), ("DOWNLOAD_DELAY", "-1"),
    ("DOWNLOAD_TIMEOUT", "0"), ("CONCURRENT_REQUESTS", "0"), ("RETRY_TIMES", "1000000000"),
    ("NEWSARCHIVE_EXTRACT_TIMEOUT", "inf"), ("NEWSARCHIVE_HOST_BUDGET", "-5"), ("NEWSARCHIVE_HOST_BUDGET", "1.5"),
    ("NEWSARCHIVE_WRITE_BATCH_SECONDS", "nan"), ("NEWSARCHIVE_RETRY_AFTER_MAX", "1e308"),
    ("NEWSARCHIVE_STOP_GRACE", "inf"), ("NEWSARCHIVE_MAX_CRAWL_DELAY", "abc"),
]


@pytest.mark.parametrize("name,value", UNMEANT_SETTINGS, ids=[f"{n}={v}" for n, v in UNMEANT_SETTINGS])
def test_settings_that_cannot_be_meant_are_refused(name: str, value: str) -> None:
    settings = Settings()
    settings.setmodule("scraper.settings")
    check_settings(settings, environ={})
    settings.set(name, value)
    with pytest.raises(SettingsError, match=f"setting {name} = '{value}': must be"):
        check_settings(settings, environ={})


def test_a_bad_frozen_clock_is_refused() -> None:
    settings = Settings()
    with pytest.raises(SettingsError, match="NEWSARCHIVE_NOW = 'yesterday'"):
        check_settings(settings, environ={"NEWSARCHIVE_NOW": "yesterday"})


def test_both_crawl_commands_refuse_at_once(tmp_path: Path, db_path: Path) -> None:
    sources = write_sources(tmp_path / "sources.toml", '[[source]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/rss"]\n')
    result = run_cli("crawl", "--db", str(db_path), "--sources", str(sources), "-s", "DOWNLOAD_DELAY=inf")
    assert result.returncode == 2 and result.stderr.splitlines() == [
        "Error: setting DOWNLOAD_DELAY = 'inf': must be a number from 0 to 600 (seconds between requests to one host);"
        " fix -s DOWNLOAD_DELAY=… or the settings"]
    assert not db_path.exists()
    scrapy = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "feeds", "-s", "DOWNLOAD_DELAY=1e308",
                             "-s", f"NEWSARCHIVE_DB={db_path}", "-s", f"NEWSARCHIVE_SOURCES={sources}"],
                            capture_output=True, text=True, cwd=REPO, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert scrapy.returncode != 0 and "setting DOWNLOAD_DELAY = '1e308': must be a number from 0 to 600" in scrapy.stderr


@pytest.fixture
def second_host() -> Iterator[LocalSite]:
    server = LocalSite("127.0.0.2").start()
    server.set("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")
    yield server
    server.stop()


def test_sigterm_ends_a_stalled_crawl_within_seconds(site: LocalSite, second_host: LocalSite, tmp_path: Path, db_path: Path) -> None:
    site.set("/news/ok", article_html("Fetched in time", paragraphs(1)).encode())
    site.set("/news/busy", b"busy", status=503, headers={"Retry-After": "500"})  # waited: under the cap below
    site.set("/news/slow", lambda: (time.sleep(30), b"late")[1])  # a server that never answers in time
    site.set("/rss.xml", rss([{"title": p, "link": site.url(p)} for p in ("/news/ok", "/news/busy", "/news/slow")]),
             content_type="application/rss+xml")
    second_host.set("/rss.xml", rss([{"title": "x", "link": second_host.url("/news/x")}]), content_type="application/rss+xml")
    sources = write_sources(tmp_path / "sources.toml", f"""
[[source]]
name = "stalls"
feeds = ["{site.url('/rss.xml')}"]
delay = 0
concurrency = 4
[[source]]
name = "slow-host"
feeds = ["{second_host.url('/rss.xml')}"]
delay = 600
""")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper", "crawl", "--db", str(db_path), "--sources", str(sources),
         "-s", "NEWSARCHIVE_RETRY_AFTER_MAX=600", "-s", "DOWNLOAD_TIMEOUT=600", "-s", "NEWSARCHIVE_STOP_GRACE=1",
         "-s", "NEWSARCHIVE_WRITE_BATCH_SECONDS=600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_NOW": "2024-05-03T10:00:00Z"},
    )
    deadline = time.monotonic() + 60
    # every stall in place: a retry wait, a download that hangs, a request queued behind a 600 s delay
    while not (site.hits("/news/busy") and site.hits("/news/slow") and site.hits("/news/ok")
               and second_host.hits("/robots.txt")):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    print(f"SIGTERM to exit: {took:.2f} s")

    assert took < 4, stderr
    assert proc.returncode == 1 and stderr.rstrip().endswith("Error: crawl did not complete (shutdown)")
    assert stdout.startswith("feeds: 1 polled, 0 failed, 1 deferred; articles: 1 new, 0 updated, 0 unchanged, 0 failed")
    with crawl_lock(db_path):  # released
        pass
    assert sqlite3.connect(db_path).execute("pragma integrity_check").fetchone() == ("ok",)
    # the finished article is kept (its batch was committed); the others were not attempted: no capture, still due
    assert rows(db_path, "select url, error from captures") == [{"url": site.url("/news/ok"), "error": None}]
    assert {row["url"] for row in rows(db_path, "select url from articles where versions = 0")} == {
        site.url("/news/busy"), site.url("/news/slow")}
    assert site.hits("/news/busy") == 1


@pytest.mark.parametrize("command", [["worker", "--until-idle", "inf"], ["worker", "--lease-ttl", "nan"],
                                     ["ingest", "--until-idle", "1e308"]])
def test_distributed_commands_refuse_seconds_nobody_means(command: list[str]) -> None:
    from click.testing import CliRunner

    from scraper.cli import main

    result = CliRunner().invoke(main, [command[0], "--redis", "redis://127.0.0.1:1/0", *command[1:]])
    assert result.exit_code == 2 and f"'{command[2]}' is not a number of seconds from" in result.stderr
