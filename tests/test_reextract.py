"""reextract: new versions only where a re-run extractor changes the content; history stays."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.reextract import reextract
from scraper.cli import main
from scraper.extraction import ExtractionResult, extract_article

from .archivist import T1, T2, T3, URL_A, URL_B, archive_file  # noqa: F401


def versions(db: Path) -> list[tuple]:
    with Archive(db, readonly=True) as archive:
        return [tuple(r.values()) for r in archive.db.query(
            "select a.url, v.version, v.title, v.first_seen_at, v.last_seen_at from versions v"
            " join articles a on a.id = v.article_id order by a.url, v.version")]


def fixed_extractor(body: bytes, url: str, **kwargs: object) -> ExtractionResult:
    """An 'upgraded' extractor: same as today's, but it now finds a subtitle in the daily's pages."""
    result = extract_article(body, url, **kwargs)
    if result.extraction is None or "news.test" not in url:
        return result
    return ExtractionResult(replace(result.extraction, text=result.extraction.text + "\nSubtitle found by v2."))


def test_reextract_with_the_same_extractor_changes_nothing(archive_file: Path) -> None:
    before = versions(archive_file)
    result = CliRunner().invoke(main, ["reextract", "--db", str(archive_file)])
    assert (result.exit_code, result.stdout) == (
        0, "articles: 2 re-extracted; 0 got a new version, 2 unchanged, 0 failed to extract (kept as they were)\n")
    assert versions(archive_file) == before


def test_reextract_adds_a_version_where_content_differs_and_keeps_history(archive_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = versions(archive_file)
    with Archive(archive_file) as archive:
        dry = reextract(archive, fixed_extractor, dry_run=True)
        assert (dry.articles, dry.changed, dry.unchanged) == (2, 1, 1)
        assert versions(archive_file) == before
        report = reextract(archive, fixed_extractor)
        assert (report.articles, report.changed, report.unchanged, report.failed) == (2, 1, 1, 0)
        again = reextract(archive, fixed_extractor)
        assert (again.changed, again.unchanged) == (0, 2)
        text = archive.db.execute("select text from versions where version = 3").fetchone()[0]
    assert text.endswith("Subtitle found by v2.")
    assert versions(archive_file) == before[:2] + [(URL_A, 3, "Council passes amended budget", T3, T3)] + before[2:]


def test_reextract_filters_by_source_and_since(archive_file: Path) -> None:
    with Archive(archive_file) as archive:
        assert reextract(archive, fixed_extractor, sources=["wire"]).articles == 1
        assert reextract(archive, fixed_extractor, since="2024-05-04").articles == 1  # B's newest body is from T1
        assert reextract(archive, fixed_extractor, since="2024-05-05").articles == 0
    assert [v[1] for v in versions(archive_file) if v[0] == URL_A] == [1, 2, 3]


def test_reextract_counts_pages_that_no_longer_extract(archive_file: Path) -> None:
    with Archive(archive_file) as archive:
        report = reextract(archive, lambda body, url, **kw: ExtractionResult(None, "no-article"))
    assert (report.failed, report.changed) == (2, 0)
    assert [v[1] for v in versions(archive_file)] == [1, 2, 1]


def test_reextract_missing_archive_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["reextract", "--db", str(tmp_path / "no.db")])
    assert result.exit_code == 2 and not (tmp_path / "no.db").exists()
    assert result.stderr == f"Error: {tmp_path / 'no.db'}: no such archive; run `newsarchive crawl --db {tmp_path / 'no.db'}` first\n"


def test_reextract_does_not_count_as_a_check_of_the_live_page(archive_file: Path) -> None:
    def everything_changes(body: bytes, url: str, **kwargs: object) -> ExtractionResult:
        result = extract_article(body, url, **kwargs)
        return ExtractionResult(replace(result.extraction, text=result.extraction.text + " (v2)"))

    with Archive(archive_file) as archive:
        assert reextract(archive, everything_changes).changed == 2
        article_b = archive.article_by_url(URL_B)
    assert (article_b["last_checked_at"], article_b["last_error"], article_b["versions"]) == (T3, "http-404", 2)
    assert [v for v in versions(archive_file) if v[0] == URL_B] == [
        (URL_B, 1, "Harbour storm closes bridge", T1, T1), (URL_B, 2, "Harbour storm closes bridge", T1, T1)]
