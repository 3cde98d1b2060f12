"""The command line: entry points, options, exit codes, and `scrapy crawl feeds` doing the same pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper import __version__
from scraper.cli import commands, main

from .conftest import REPO, crawl, rows, run_cli, sources_for
from .pages import article_html, paragraphs, rss
from .server import LocalSite


def test_help_and_version() -> None:
    runner = CliRunner()
    for flag in ("-h", "--help"):
        result = runner.invoke(main, [flag])
        assert result.exit_code == 0 and "crawl" in result.output
    result = runner.invoke(main, ["--version"])
    assert result.output == f"newsarchive, version {__version__}\n"


def test_every_command_help_ends_with_an_example() -> None:
    runner = CliRunner()
    names = list(commands())
    assert "crawl" in names and "search" in names
    for name in names:
        output = runner.invoke(main, [name, "--help"]).output
        assert "Example" in output and f"newsarchive {name}" in output, name


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    for name in commands():
        assert f"`newsarchive {name}" in readme, f"README does not document `newsarchive {name}`"


def _site(site: LocalSite, tmp_path: Path) -> Path:
    for i in range(3):
        site.set(f"/n/{i}", article_html(f"Story {i}", paragraphs(i)).encode())
    site.set("/rss.xml", rss([{"title": str(i), "link": site.url(f"/n/{i}")} for i in range(3)]), content_type="application/rss+xml")
    site.set("/other.xml", rss([{"title": "o", "link": site.url("/n/0")}]), content_type="application/rss+xml")
    return sources_for(site, tmp_path, {"main": ["/rss.xml"]})


def test_scrapy_crawl_feeds_does_the_same_pass(site: LocalSite, tmp_path: Path) -> None:
    sources = _site(site, tmp_path)
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    crawl(ours, sources)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "feeds", "-s", f"NEWSARCHIVE_DB={theirs}",
         "-s", f"NEWSARCHIVE_SOURCES={sources}", "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    query = "select a.url, a.source, v.version, v.content_hash, v.title from articles a join versions v on v.article_id = a.id order by a.url"
    assert rows(ours, query) == rows(theirs, query)
    assert len(rows(ours, query)) == 3


def test_source_option_limits_the_pass(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    _site(site, tmp_path)
    sources = tmp_path / "two.toml"
    sources.write_text(
        f'[[source]]\nname = "main"\nfeeds = ["{site.url("/rss.xml")}"]\ndelay = 0\n'
        f'[[source]]\nname = "other"\nfeeds = ["{site.url("/other.xml")}"]\ndelay = 0\n'
    )
    result = crawl(db_path, sources, "--source", "other")
    assert result.stdout.startswith("feeds: 1 polled, 0 failed; articles: 1 new")
    assert site.hits("/rss.xml") == 0
    unknown = run_cli("crawl", "--db", str(db_path), "--sources", str(sources), "--source", "nope")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == f"Error: {sources}: no source named 'nope' (from --source)"


def test_db_in_missing_directory_is_a_fatal_one_line_error(site: LocalSite, tmp_path: Path) -> None:
    sources = _site(site, tmp_path)
    missing = tmp_path / "nowhere" / "archive.db"
    result = run_cli("crawl", "--db", str(missing), "--sources", str(sources))
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {missing}: directory {missing.parent} does not exist; create it or choose another --db"


def test_db_that_is_not_an_archive(site: LocalSite, tmp_path: Path) -> None:
    sources = _site(site, tmp_path)
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    result = run_cli("crawl", "--db", str(bogus), "--sources", str(sources))
    assert result.returncode == 1
    assert "not a newsarchive archive or corrupt" in result.stderr
    assert bogus.read_bytes() == b"this is not sqlite" * 100


def test_env_var_names_the_archive(site: LocalSite, tmp_path: Path) -> None:
    sources = _site(site, tmp_path)
    db = tmp_path / "from-env.db"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSARCHIVE_DB": str(db)}
    proc = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--sources", str(sources)],
                          env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(rows(db, "select id from articles")) == 3


def test_read_commands_do_not_import_the_crawler() -> None:
    # a `search` or `history` should start fast: Scrapy and trafilatura are the crawl's, not theirs
    code = ("import sys; from click.testing import CliRunner; from scraper.cli import main; "
            "CliRunner().invoke(main, ['search', '--help']); print(sorted({'scrapy', 'trafilatura'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert out.strip() == "[]"


def test_quiet_crawl_prints_nothing_when_the_pass_went_well(site: LocalSite, tmp_path: Path, db_path: Path) -> None:
    sources = _site(site, tmp_path)
    result = crawl(db_path, sources, "--quiet")
    assert (result.stdout, result.stderr) == ("", "")
    assert len(rows(db_path, "select id from versions")) == 3
    both = run_cli("crawl", "--db", str(db_path), "--sources", str(sources), "--quiet", "--verbose")
    assert both.returncode == 2 and "--verbose and --quiet cannot be used together" in both.stderr


def test_quiet_crawl_reports_a_failed_pass_on_stderr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from scraper.commands import crawl as crawl_command
    from scraper.summary import CrawlSummary

    stopped = CrawlSummary(feeds_polled=1, articles_new=2, finish_reason="finished", fatal="disk full")
    monkeypatch.setattr(crawl_command, "run_crawl", lambda settings: stopped)
    result = CliRunner().invoke(main, ["crawl", "--db", str(tmp_path / "a.db"), "--quiet"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [stopped.line(), "Error: disk full (crawl stopped)"]
    unfinished = CrawlSummary(finish_reason="shutdown")
    monkeypatch.setattr(crawl_command, "run_crawl", lambda settings: unfinished)
    result = CliRunner().invoke(main, ["crawl", "--db", str(tmp_path / "a.db"), "--quiet"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [unfinished.line(), "Error: crawl did not complete (shutdown)"]
