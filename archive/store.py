"""The Archive: every write to the SQLite file goes through this class, one write unit per call."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import codec
from .clock import now_iso
from .content import content_hash
from .db import connect, write_unit
from .decide import Decision, Outcome, decide
from .model import ArticleCapture, Capture, DiscoveredLink, Extraction


class Archive:
    """A newsarchive SQLite archive (created and migrated on first open).

    >>> archive = Archive(":memory:")  # doctest: +SKIP
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.db = connect(self.path, readonly=readonly)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feeds and the frontier ------------------------------------------------------------

    def feed(self, url: str) -> dict[str, Any] | None:
        """The stored state of a feed (validators, last poll), or None if never polled."""
        rows = list(self.db.query("select * from feeds where url = ?", [url]))
        return rows[0] if rows else None

    def record_feed_poll(
        self,
        url: str,
        source: str,
        *,
        status: int | None,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
        links: Sequence[DiscoveredLink] = (),
    ) -> list[int]:
        """Store a feed poll: its links join the frontier in the same transaction as the new validators.

        Returns the ids of articles seen for the first time. A failed poll (``error``) keeps the
        previous validators so the next poll is a full one.
        """
        now = now_iso()
        with write_unit(self.db):
            new_ids = self._remember_links(links, source, discovered_via=url, now=now)
            row: dict[str, Any] = {
                "url": url,
                "source": source,
                "last_polled_at": now,
                "last_status": status,
                "last_error": error,
            }
            if error is None:
                row.update(etag=etag, last_modified=last_modified, entries=len(links))
            self.db["feeds"].upsert(row, pk="url")
        return new_ids

    def _remember_links(
        self, links: Iterable[DiscoveredLink], source: str, *, discovered_via: str, now: str
    ) -> list[int]:
        new_ids = []
        for link in links:
            hints = link.hints
            cursor = self.db.execute(
                "insert into articles (url, source, status, first_seen_at, versions, discovered_via,"
                " entry_title, entry_author, entry_published_at, entry_updated_at)"
                " values (?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?) on conflict(url) do nothing",
                [link.url, source, now, discovered_via, hints.title, hints.author,
                 hints.published_at, hints.updated_at],
            )
            if cursor.rowcount:
                new_ids.append(cursor.lastrowid)
            else:
                self.db.execute(
                    "update articles set entry_title = coalesce(?, entry_title),"
                    " entry_author = coalesce(?, entry_author),"
                    " entry_published_at = coalesce(?, entry_published_at),"
                    " entry_updated_at = coalesce(?, entry_updated_at) where url = ?",
                    [hints.title, hints.author, hints.published_at, hints.updated_at, link.url],
                )
        return new_ids

    def articles_to_fetch(self, sources: Sequence[str] | None = None, *, recheck: str = "none") -> list[dict[str, Any]]:
        """Articles a crawl pass should fetch: every one without a version, plus all known ones when
        ``recheck == "all"``. Rows carry ``id``, ``url``, ``source`` and the entry hints."""
        where = ["1 = 1"] if recheck == "all" else ["versions = 0"]
        params: list[Any] = []
        if sources:
            where.append(f"source in ({', '.join('?' for _ in sources)})")
            params.extend(sources)
        sql = f"select * from articles where {' and '.join(where)} order by id"
        return list(self.db.query(sql, params))

    def article(self, article_id: int) -> dict[str, Any]:
        """The ``articles`` row with this id."""
        return self.db["articles"].get(article_id)

    def article_by_url(self, url: str) -> dict[str, Any] | None:
        """The article whose canonical URL is ``url``, or None."""
        rows = list(self.db.query("select * from articles where url = ?", [url]))
        return rows[0] if rows else None

    def add_article(self, url: str, source: str) -> int:
        """Put one URL in the frontier (if new); return its article id."""
        now = now_iso()
        with write_unit(self.db):
            self._remember_links([DiscoveredLink(url)], source, discovered_via="manual", now=now)
        return self.article_by_url(url)["id"]

    # -- captures and versions ---------------------------------------------------------------

    def latest_version(self, article_id: int) -> dict[str, Any] | None:
        """The article's latest ``versions`` row, or None before its first version."""
        rows = list(
            self.db.query(
                "select * from versions where article_id = ? order by version desc limit 1", [article_id]
            )
        )
        return rows[0] if rows else None

    def record_capture(
        self, article_id: int, capture: Capture, extraction: Extraction | None, failure: str | None = None
    ) -> Decision:
        """Store one fetch of an article and, when its content is new, a version — in one write unit."""
        return self.record_captures([ArticleCapture(article_id, capture, extraction, failure)])[0]

    def record_captures(self, captures: Sequence[ArticleCapture]) -> list[Decision]:
        """Store several fetches in ONE write unit (what :meth:`record_capture` does for each, in order).

        All or nothing: a crash or an error before the commit loses the whole batch (those articles
        stay due and are fetched again), never a version committed earlier. One transaction per batch
        instead of per article saves the per-commit WAL and FTS segment work.
        """
        with write_unit(self.db):
            return [self._record(item) for item in captures]

    def _record(self, item: ArticleCapture) -> Decision:
        article_id, capture, extraction = item.article_id, item.capture, item.extraction
        new_hash = content_hash(extraction) if extraction is not None else None
        latest = self.latest_version(article_id)
        decision = decide(latest["content_hash"] if latest else None, new_hash, item.failure)
        version_id = self._apply_decision(article_id, decision, latest, capture, extraction, new_hash)
        self._insert_capture(article_id, version_id, capture, decision)
        self._touch_article(article_id, decision, capture.fetched_at)
        return decision

    def _apply_decision(
        self,
        article_id: int,
        decision: Decision,
        latest: dict[str, Any] | None,
        capture: Capture,
        extraction: Extraction | None,
        new_hash: str | None,
    ) -> int | None:
        if decision.outcome is Outcome.FAILED:
            return None
        if decision.outcome is Outcome.UNCHANGED:
            assert latest is not None
            self.db.execute(
                "update versions set last_seen_at = max(last_seen_at, ?) where id = ?",
                [capture.fetched_at, latest["id"]],
            )
            return latest["id"]
        assert extraction is not None
        number = latest["version"] + 1 if latest else 1
        row = {
            "article_id": article_id,
            "version": number,
            "content_hash": new_hash,
            "first_seen_at": capture.fetched_at,
            "last_seen_at": capture.fetched_at,
            **extraction.as_row(),
        }
        version_id = self._insert("versions", row)
        self.db.execute(
            "update articles set latest_version = ?, versions = ?, status = 'archived' where id = ?",
            [number, number, article_id],
        )
        return version_id

    def _insert_capture(
        self, article_id: int, version_id: int | None, capture: Capture, decision: Decision
    ) -> None:
        body = capture.body
        digest = codec.body_hash(body) if body is not None else None
        stored = None
        if body is not None and not self._body_stored(digest):
            stored = codec.compress(body)
        self._insert(
            "captures",
            {
                "article_id": article_id,
                "version_id": version_id,
                "url": capture.url,
                "fetched_at": capture.fetched_at,
                "status": capture.status,
                "headers": json.dumps(capture.headers, sort_keys=True),
                "body": stored,
                "body_codec": codec.CODEC if stored is not None else None,
                "body_hash": digest,
                "error": decision.reason if decision.outcome is Outcome.FAILED else None,
            }
        )

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """A plain INSERT: sqlite-utils' ``insert`` re-reads the table's schema on every call, which cost
        more CPU per article on the crawl's reactor than the SQL itself (docs/performance.md). Lists and
        dicts are stored as JSON, as sqlite-utils does."""
        columns = ", ".join(f'"{column}"' for column in row)
        marks = ", ".join("?" for _ in row)
        values = [json.dumps(v) if isinstance(v, (list, dict, tuple)) else v for v in row.values()]
        cursor = self.db.execute(f'insert into "{table}" ({columns}) values ({marks})', values)
        return cursor.lastrowid

    def _body_stored(self, digest: str) -> bool:
        row = self.db.execute(
            "select 1 from captures where body_hash = ? and body is not null limit 1", [digest]
        ).fetchone()
        return row is not None

    def _touch_article(self, article_id: int, decision: Decision, fetched_at: str) -> None:
        if decision.outcome is Outcome.FAILED:
            self.db.execute(
                "update articles set last_checked_at = ?, last_error = ?,"
                " status = case when versions = 0 then 'failed' else status end where id = ?",
                [fetched_at, decision.reason, article_id],
            )
        else:
            self.db.execute(
                "update articles set last_checked_at = ?, last_error = null where id = ?",
                [fetched_at, article_id],
            )

    def capture_body(self, capture_id: int) -> bytes | None:
        """The raw body of a capture (following ``body_hash`` when it was stored on an earlier capture)."""
        row = self.db.execute(
            "select c2.body from captures c1 join captures c2 on c2.body_hash = c1.body_hash"
            " where c1.id = ? and c2.body is not null limit 1",
            [capture_id],
        ).fetchone()
        return codec.decompress(row[0]) if row else None
