"""A small archive built through the Archive API (no crawl) for the archivist-tool tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import Archive, Capture, EntryHints
from scraper.extraction import extract_article

from .pages import article_html, paragraphs

T1 = "2024-05-03T10:00:00Z"
T2 = "2024-05-03T12:00:00Z"
T3 = "2024-05-04T09:30:00Z"
URL_A = "http://news.test/politics/budget"
URL_B = "http://wire.test/story/harbour"
URL_C = "http://news.test/pending"

PARAS_A = paragraphs(1, 3)
# Version 2 of A: a new title, one paragraph edited (four words added) and the author corrected.
PARAS_A2 = [PARAS_A[0], PARAS_A[1][:-1] + " after the budget vote.", PARAS_A[2]]
PAGE_A1 = article_html("Council passes budget", PARAS_A, author="Jane Reporter").encode()
PAGE_A2 = article_html("Council passes amended budget", PARAS_A2, author="Jane Q. Reporter",
                       modified="2024-05-04T09:00:00+00:00").encode()
PAGE_B1 = article_html("Harbour storm closes bridge", paragraphs(2, 3), author="Wire Desk").encode()

HTML = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip", "Content-Length": "999"}


def capture(archive: Archive, article_id: int, url: str, when: str, body: bytes | None, status: int = 200,
            failure: str | None = None) -> None:
    """Extract ``body`` like the crawler does and record the capture at ``when``."""
    extraction = None
    if body is not None and failure is None:
        result = extract_article(body, url, hints=EntryHints())
        extraction, failure = result.extraction, result.failure
    headers = dict(HTML) if body is not None else {"Content-Type": "text/html"}
    archive.record_capture(article_id, Capture(url, when, status, headers, body), extraction, failure)


def build_archive(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Articles A (daily: v1 at T1, same body again at T2, v2 at T3), B (wire: v1 at T1, a 404 at T3), C (pending)."""
    monkeypatch.setenv("NEWSARCHIVE_NOW", T1)
    with Archive(path) as archive:
        a = archive.add_article(URL_A, "daily")
        b = archive.add_article(URL_B, "wire")
        archive.add_article(URL_C, "daily")
        capture(archive, a, URL_A, T1, PAGE_A1)
        capture(archive, b, URL_B, T1, PAGE_B1)
        capture(archive, a, URL_A, T2, PAGE_A1)
        capture(archive, a, URL_A, T3, PAGE_A2)
        capture(archive, b, URL_B, T3, None, status=404, failure="http-404")
    return path


@pytest.fixture
def archive_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return build_archive(tmp_path / "archive.db", monkeypatch)
