"""Re-run extraction on stored captures (after an extractor upgrade or fix), adding versions only where the
content really differs. History is never rewritten: earlier versions and captures stay as they are."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .db import write_unit
from .model import Capture, EntryHints
from .queries import normalise_time
from .store import Archive

logger = logging.getLogger(__name__)

# extract(body, url, last_modified=..., hints=...) -> object with .extraction and .failure
Extract = Callable[..., Any]


@dataclass
class ReextractReport:
    """What a re-extraction found."""

    articles: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0

    def line(self, dry_run: bool = False) -> str:
        """One-line summary for the CLI."""
        verb = "would get" if dry_run else "got"
        return (f"articles: {self.articles} re-extracted; {self.changed} {verb} a new version, {self.unchanged} unchanged,"
                f" {self.failed} failed to extract (kept as they were)")


def _latest_captures(archive: Archive, sources: Sequence[str], since: str | None) -> list[dict[str, Any]]:
    """Per article, its newest capture that has a body."""
    where: list[str] = ["c.body_hash is not null"]
    params: list[Any] = []
    if sources:
        where.append(f"a.source in ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    sql = (
        "select c.id, c.article_id, c.url, c.fetched_at, c.status, c.headers, a.entry_title, a.entry_author,"
        " a.entry_published_at, a.entry_updated_at from captures_full c join articles a on a.id = c.article_id"
        f" where {' and '.join(where)} and c.id = (select c2.id from captures c2 where c2.article_id = c.article_id"
        " and c2.body_hash is not null order by c2.fetched_at desc, c2.id desc limit 1)"
    )
    if since:
        sql += " and c.fetched_at >= ?"
        params.append(normalise_time(since))
    return list(archive.db.query(sql + " order by c.article_id", params))


def reextract(
    archive: Archive, extract: Extract, *, sources: Sequence[str] = (), since: str | None = None, dry_run: bool = False
) -> ReextractReport:
    """Re-extract each article's newest stored body (fetched at or after ``since``); when the content hash
    differs from the latest version, record it as a new version seen at that fetch's time."""
    report = ReextractReport()
    for row in _latest_captures(archive, sources, since):
        report.articles += 1
        body = archive.capture_body(row["id"]) or b""
        headers = json.loads(row["headers"] or "{}")
        hints = EntryHints(row["entry_title"], row["entry_author"], row["entry_published_at"], row["entry_updated_at"])
        last_modified = next((v for k, v in headers.items() if k.lower() == "last-modified"), None)
        try:
            result = extract(body, row["url"], last_modified=last_modified, hints=hints)
        except Exception as exc:  # one boundary: one bad page must not stop the run
            logger.warning("re-extraction failed for %s: %r", row["url"], exc)
            report.failed += 1
            continue
        if result.extraction is None:
            report.failed += 1
            continue
        if not archive.changes_content(row["article_id"], result.extraction):
            report.unchanged += 1
            continue
        report.changed += 1
        if not dry_run:
            _add_version(archive, row, headers, body, result.extraction)
    return report


def _add_version(archive: Archive, row: dict[str, Any], headers: dict[str, str], body: bytes, extraction: Any) -> None:
    """Record the re-extraction through the crawler's write path, then put back what it says about the last
    check: re-reading a stored page is not a check of the live page."""
    article = archive.article(row["article_id"])
    capture = Capture(row["url"], row["fetched_at"], row["status"], headers, body)
    archive.record_capture(row["article_id"], capture, extraction)
    with write_unit(archive.db):
        archive.db.execute(
            "update articles set last_checked_at = ?, last_error = ? where id = ?",
            [article["last_checked_at"], article["last_error"], row["article_id"]],
        )
