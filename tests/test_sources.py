"""Every sources-file error exits 2 with one line naming the file, the source and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.sources import SourcesError, download_slots, load_sources

from .conftest import run_cli

GOOD = '[[source]]\nname = "a"\nfeeds = ["https://example.com/rss.xml"]\n'

CASES = [
    ("toml", '[[source]\nname = "a"', r"invalid TOML"),
    ("unknown-key", GOOD + 'colour = "red"\n', r"source 'a': unknown key 'colour'"),
    ("duplicate", GOOD + GOOD, r"source 'a': key 'name' is duplicated"),
    ("bad-url", '[[source]]\nname = "a"\nfeeds = ["ftp://example.com/x"]\n', r"source 'a': key 'feeds' 'ftp://example.com/x' is not an http\(s\) URL"),
    ("not-a-url", '[[source]]\nname = "a"\nfeeds = ["example"]\n', r"source 'a': key 'feeds' 'example' is not an http\(s\) URL"),
    ("no-name", '[[source]]\nfeeds = ["https://e.com/f"]\n', r"source #1: missing key 'name'"),
    ("no-feeds", '[[source]]\nname = "a"\n', r"source 'a': key 'feeds' is missing or empty"),
    ("bad-delay", GOOD + "delay = -1\n", r"source 'a': key 'delay' must be a number"),
    ("bad-concurrency", GOOD + "concurrency = 0\n", r"source 'a': key 'concurrency' must be a whole number"),
    ("top-level", 'colour = 1\n' + GOOD, r"unknown top-level key 'colour'"),
]


@pytest.mark.parametrize("name,text,message", CASES, ids=[c[0] for c in CASES])
def test_invalid_sources_raise_one_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(SourcesError, match=message) as info:
        load_sources(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="sources file not found"):
        load_sources(tmp_path / "nope.toml")


def test_cli_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(GOOD + 'colour = "red"\n')
    result = run_cli("crawl", "--db", str(tmp_path / "a.db"), "--sources", str(path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"Error: {path}: source 'a': unknown key 'colour' (known: allow_private, concurrency, delay, feeds, follow, horizon, name, pages, requisites, revisit, sitemaps)"]


def test_cli_missing_sources_file(tmp_path: Path) -> None:
    result = run_cli("crawl", "--db", str(tmp_path / "a.db"), "--sources", str(tmp_path / "missing.toml"))
    assert result.returncode == 2
    assert "sources file not found" in result.stderr


def test_defaults_and_download_slots(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(GOOD + '[[source]]\nname = "b"\nfeeds = ["http://news.example.org/feed"]\ndelay = 0.5\nconcurrency = 4\n')
    a, b = load_sources(path)
    assert (a.delay, a.concurrency) == (1.0, 2)
    assert download_slots([a, b]) == {
        "example.com": {"delay": 1.0, "concurrency": 2, "jitter": 0},
        "news.example.org": {"delay": 0.5, "concurrency": 4, "jitter": 0},
    }


def test_shipped_sources_file_is_valid() -> None:
    sources = load_sources(Path(__file__).parent.parent / "sources.toml")
    assert len(sources) >= 3
