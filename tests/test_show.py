"""`newsarchive show`: a version's text and fields; `--html` / `--capture ID` a capture's HTML, decoded."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive import Archive, Capture, Extraction
from scraper.cli import main

from .archivist import PAGE_A1, PAGE_A2, T1, T2, T3, URL_A, URL_B, archive_file  # noqa: F401


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_show_prints_the_latest_version_fields_then_its_text(archive_file: Path) -> None:
    code, out, err = run("show", URL_A + "?utm_source=rss", "--db", str(archive_file))  # any spelling of the URL
    assert (code, err) == (0, "")
    head, text = out.split("\n\n", 1)
    assert head.splitlines() == [
        f"url: {URL_A}", "version: 2", "versions: 2", f"first_seen_at: {T3}", f"last_seen_at: {T3}",
        "title: Council passes amended budget", "authors: Jane Q Reporter", "published_at: 2024-05-02T08:00:00Z",
        "modified_at: 2024-05-04T09:00:00Z", "language: en", "sitename: The Daily Test", "capture_ids: 4"]
    assert "after the budget vote." in text and text.endswith("\n")


def test_show_a_given_version_as_json(archive_file: Path) -> None:
    code, out, _ = run("show", URL_A, "1", "--json", "--db", str(archive_file))
    assert code == 0
    [row] = json.loads(out)
    assert (row["version"], row["title"], row["authors"], row["first_seen_at"], row["last_seen_at"], row["capture_ids"]) == (
        1, "Council passes budget", ["Jane Reporter"], T1, T2, [1, 3])
    assert row["text"].startswith(row["text"].split()[0]) and "after the budget vote" not in row["text"]


def test_show_html_prints_the_capture_that_first_showed_the_version(archive_file: Path) -> None:
    assert run("show", URL_A, "1", "--html", "--db", str(archive_file))[1] == PAGE_A1.decode()
    assert run("show", URL_A, "--html", "--db", str(archive_file))[1] == PAGE_A2.decode()
    assert run("show", "--capture", "3", "--db", str(archive_file))[1] == PAGE_A1.decode()  # its body is capture 1's


def test_show_html_decodes_by_the_declared_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-1"><title>Café</title></head><body><p>Crème brûlée</p></body></html>'
    with Archive(tmp_path / "a.db") as archive:
        article = archive.add_article("https://news.test/cafe", "daily", seen_at=T1)
        archive.record_capture(article, Capture("https://news.test/cafe", T1, 200, {"Content-Type": "text/html"},
                                                page.encode("latin-1")), Extraction(text="Crème brûlée", title="Café"))
    code, out, _ = run("show", "--capture", "1", "--json", "--db", str(tmp_path / "a.db"))
    [row] = json.loads(out)
    assert (code, row["encoding"], row["html"], row["status"], row["fetched_at"]) == (0, "cp1252", page, 200, T1)


def test_show_errors_are_one_line(archive_file: Path) -> None:
    assert run("show", URL_A, "9", "--db", str(archive_file)) == (2, "", f"Error: {URL_A} has no version 9 (versions 1–2)\n")
    assert run("show", "--capture", "5", "--db", str(archive_file)) == (2, "", "Error: capture 5 stored no body (http-404)\n")
    assert run("show", URL_A, "--capture", "2", "--db", str(archive_file)) == (2, "", "Error: no capture 2 of that article\n")
    assert run("show", "--capture", "99", "--db", str(archive_file)) == (2, "", "Error: no capture 99 in this archive\n")
    assert run("show", "--db", str(archive_file)) == (2, "", "Error: give the article's URL (or --capture ID)\n")
    code, _, err = run("show", "http://news.test/unknown", "--db", str(archive_file))
    assert code == 2 and err.startswith("Error: no article with URL 'http://news.test/unknown'")
    assert run("show", URL_B, "--db", str(archive_file))[0] == 0
