"""The Archive: every write to the SQLite file goes through this class, one write unit per call."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from . import aliases, codec, header_patch, sitewide, templates
from .clock import iso, now_iso, parse_iso
from .content import content_hash
from .db import connect, write_unit
from .errors import UnknownArticle
from .identity import resolve_identity
from .faults import crash_point
from .decide import NOT_ATTEMPTED_REASONS, Decision, Outcome, decide
from .model import ArticleCapture, Capture, DiscoveredLink, EntryHints, Extraction
from .schedule import DEFAULT_LADDER, Ladder, next_check, next_poll_interval

GONE_REASONS = {"http-404", "http-410"}
GONE_AFTER = 3  # consecutive 404/410 checks
# What storing a capture needs of the latest version: not its text (an unchanged recheck reads none)
_LATEST_COLUMNS = "id, version, content_hash, first_seen_at"


@dataclass
class FrontierUpdate:
    """What one feed/sitemap/page poll did to the frontier."""

    article_ids: list[int] = field(default_factory=list)  # every link's article, in feed order
    new_ids: list[int] = field(default_factory=list)  # articles seen for the first time
    triggered_ids: list[int] = field(default_factory=list)  # known articles the entry made due now


class Archive:
    """A newsarchive SQLite archive (created and migrated on first open).

    >>> archive = Archive(":memory:")  # doctest: +SKIP
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.db = connect(self.path, readonly=readonly)
        # revisit ladder per source name (from sources.toml); others get DEFAULT_LADDER
        self.ladders: dict[str, Ladder] = {}
        # sources a crawl rechecks; the articles of others get no next check (None: every source is)
        self.scheduled_sources: set[str] | None = None

    @classmethod
    def on(cls, db: sqlite_utils.Database) -> Archive:
        """The archive over a connection opened elsewhere (the web view reads through Datasette's read-only
        ones); its opener closes it, not this object."""
        archive = cls.__new__(cls)
        archive.db = db
        archive.path = Path(db.execute("pragma database_list").fetchone()[2] or ":memory:")
        archive.ladders = {}
        return archive

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feeds and the frontier ------------------------------------------------------------

    def feed(self, url: str) -> dict[str, Any] | None:
        """The stored state of a feed, sitemap or section page (validators, last poll), or None."""
        rows = list(self.db.query("select * from feeds where url = ?", [url]))
        return rows[0] if rows else None

    def feed_is_due(self, url: str) -> bool:
        """True when a feed was never polled or its adaptive ``next_poll_at`` has come."""
        state = self.feed(url)
        return state is None or not state.get("next_poll_at") or state["next_poll_at"] <= now_iso()

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
        kind: str = "feed",
        declared_period: timedelta | None = None,
        not_before: str | None = None,
    ) -> FrontierUpdate:
        """Store a poll: its links join the frontier in the same transaction as the new validators.

        A failed poll (``error``) keeps the previous validators so the next poll is a full one. The
        next poll time follows :func:`archive.schedule.next_poll_interval`, and is not before
        ``not_before`` (the date a server's ``Retry-After`` gave).
        """
        now = now_iso()
        with write_unit(self.db):
            update = self._remember_links(links, source, discovered_via=url, now=now)
            previous = self.feed(url) or {}
            old_interval = previous.get("poll_interval")
            interval = next_poll_interval(
                timedelta(seconds=old_interval) if old_interval else None,
                len(update.new_ids),
                declared=declared_period,
            )
            row: dict[str, Any] = {
                "url": url,
                "source": source,
                "kind": kind,
                "last_polled_at": now,
                "last_status": status,
                "last_error": error,
                "poll_interval": int(interval.total_seconds()),
                "next_poll_at": max(iso(parse_iso(now) + interval), not_before or ""),
                "new_entries": len(update.new_ids),
            }
            if error is None:
                row.update(etag=etag, last_modified=last_modified)
                if status != 304:
                    row["entries"] = len(links)
            self.db["feeds"].upsert(row, pk="url")
            crash_point("feed-commit")
        return update

    def _remember_links(
        self, links: Iterable[DiscoveredLink], source: str, *, discovered_via: str, now: str
    ) -> FrontierUpdate:
        update = FrontierUpdate()
        for link in links:
            hints = link.hints
            article_id = aliases.resolve(self.db, link.url)
            if article_id is None:
                article_id = self.db.execute(
                    "insert into articles (url, source, status, first_seen_at, versions, discovered_via,"
                    " entry_title, entry_author, entry_published_at, entry_updated_at, entry_source)"
                    " values (?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?, ?)",
                    [link.url, source, now, discovered_via, hints.title, hints.author,
                     hints.published_at, hints.updated_at, hints.origin],
                ).lastrowid
                update.new_ids.append(article_id)
            else:
                if self._entry_says_changed(article_id, hints):
                    self.db.execute("update articles set next_check_at = ? where id = ?", [now, article_id])
                    update.triggered_ids.append(article_id)
                self.db.execute(
                    "update articles set entry_title = coalesce(?, entry_title),"
                    " entry_author = coalesce(?, entry_author),"
                    " entry_published_at = coalesce(?, entry_published_at),"
                    " entry_updated_at = case when ? > coalesce(entry_updated_at, '') then ?"
                    " else entry_updated_at end,"
                    " entry_source = coalesce(entry_source, ?) where id = ?",
                    [hints.title, hints.author, hints.published_at, hints.updated_at, hints.updated_at,
                     hints.origin, article_id],
                )
            aliases.remember(self.db, link.url, article_id, hints.origin, now)
            update.article_ids.append(article_id)
        return update

    def _entry_says_changed(self, article_id: int, hints: EntryHints) -> bool:
        """A feed entry whose ``updated`` moved forward, or a sitemap ``lastmod`` newer than our last check.

        ``entry_updated_at`` only moves forward, so a feed and a sitemap that disagree by a few seconds
        cannot trigger each other on every poll.
        """
        if not hints.updated_at:
            return False
        row = self.db.execute(
            "select entry_updated_at, last_checked_at, gone_at from articles where id = ?", [article_id]
        ).fetchone()
        stored_updated, last_checked, gone_at = row
        if last_checked is None or gone_at is not None:
            return False
        if hints.origin == "feed":
            return hints.updated_at > (stored_updated or "")
        return hints.updated_at > last_checked

    def articles_to_fetch(
        self, sources: Sequence[str] | None = None, *, recheck: str = "due", ids: Sequence[int] | None = None
    ) -> list[dict[str, Any]]:
        """Articles a crawl pass should fetch: those never archived first (under a host budget they may not
        wait behind rechecks: they could vanish), oldest first.

        ``none``: articles without a version whose (retry) time has come; ``due``: also every
        article whose ``next_check_at`` has come, except gone ones; ``all``: every known article
        but merged ones.
        Rows carry the ``articles`` columns plus ``last_body_hash`` (of the last successful capture).
        """
        now = now_iso()
        where: list[str] = ["status != 'merged'"]
        params: list[Any] = []
        if recheck != "all":
            where.append("gone_at is null and (versions = 0 and (next_check_at is null or next_check_at <= ?)"
                         + (" or next_check_at <= ?)" if recheck == "due" else ")"))
            params += [now, now] if recheck == "due" else [now]
        if sources:
            where.append(f"source in ({', '.join('?' for _ in sources)})")
            params.extend(sources)
        if ids is not None:
            where.append(f"id in ({', '.join('?' for _ in ids)})" if ids else "0 = 1")
            params.extend(ids)
        sql = (
            "select a.*, (select c.body_hash from captures c where c.article_id = a.id and c.version_id"
            " is not null and c.body_hash is not null order by c.id desc limit 1) as last_body_hash"
            f" from articles a where {' and '.join(where) or '1 = 1'} order by versions > 0, id"
        )
        return list(self.db.query(sql, params))

    def article(self, article_id: int) -> dict[str, Any]:
        """The ``articles`` row with this id (a plain query: sqlite-utils' ``get`` re-reads the schema)."""
        row = next(self.db.query("select * from articles where id = ?", [article_id]), None)
        if row is None:
            raise UnknownArticle(f"no article with id {article_id} in this archive")
        return row

    def article_by_url(self, url: str) -> dict[str, Any] | None:
        """The article ``url`` leads to (its canonical URL or any alias), or None."""
        article_id = aliases.resolve(self.db, url)
        return self.article(article_id) if article_id is not None else None

    def add_article(self, url: str, source: str, *, seen_at: str | None = None, via: str = "manual") -> int:
        """Put one URL in the frontier (if new), first seen ``seen_at`` (default now); return its article id.
        ``via`` is its provenance (``discovered_via``, ``entry_source``, the alias kind): ``manual`` or ``import``."""
        now = seen_at or now_iso()
        with write_unit(self.db):
            update = self._remember_links([DiscoveredLink(url, EntryHints(origin=via))], source, discovered_via=via, now=now)
        return update.article_ids[0]

    # -- captures and versions ---------------------------------------------------------------

    def latest_version(self, article_id: int, columns: str = "*") -> dict[str, Any] | None:
        """The article's latest ``versions`` row (only ``columns``), or None before its first version."""
        return next(self.db.query(
            f"select {columns} from versions where article_id = ? order by version desc limit 1", [article_id]
        ), None)

    def record_capture(
        self, article_id: int, capture: Capture, extraction: Extraction | None, failure: str | None = None
    ) -> Decision:
        """Store one fetch of an article and, when its content is new, a version — in one write unit.

        Also records the URLs the fetch showed (redirect, canonical, AMP) as aliases — a canonical
        URL that belongs to another known article sends the capture there — and sets the article's
        next check (the revisit ladder) and its gone state.
        """
        return self.record_captures([ArticleCapture(article_id, capture, extraction, failure)])[0]

    def record_captures(self, captures: Sequence[ArticleCapture]) -> list[Decision]:
        """Store several fetches in ONE write unit (what :meth:`record_capture` does for each, in order).

        All or nothing: a crash or an error before the commit loses the whole batch (those articles
        stay due and are fetched again), never a version committed earlier. One transaction per batch
        instead of per article saves the per-commit WAL and FTS segment work.
        """
        with write_unit(self.db):
            decisions = [self._record(item) for item in captures]
            crash_point("article-commit")
        return decisions

    def _record(self, item: ArticleCapture) -> Decision:
        article_id, capture, extraction = item.article_id, item.capture, item.extraction
        if item.failure in NOT_ATTEMPTED_REASONS:  # never fetched: nothing to capture, the article stays due
            self.db.execute("update articles set last_error = ? where id = ?", [item.failure, article_id])
            return Decision(Outcome.FAILED, item.failure)
        if extraction is not None or capture.unchanged:
            # only a page that is the article names it: a redirect to a login or consent page does not
            article_id = resolve_identity(self.db, article_id, capture, extraction)
        raw_text, source = None, None
        if extraction is not None:
            raw_text, source = extraction.text, self._source_of(article_id)
            extraction = replace(extraction, text=templates.without_boilerplate(
                self.db, source, raw_text, extraction.title))
        new_hash = content_hash(extraction) if extraction is not None else None
        latest = self.latest_version(article_id, _LATEST_COLUMNS)
        if latest is not None and new_hash is not None and new_hash != latest["content_hash"]:
            if self._same_content(latest["id"], source, new_hash):
                new_hash = latest["content_hash"]
        earlier = {}
        if latest is not None and new_hash is not None and new_hash != latest["content_hash"]:
            earlier = {  # only a changed text can be a return to an earlier version
                row["content_hash"]: row["version"]
                for row in self.db.query(
                    "select content_hash, max(version) as version from versions where article_id = ?"
                    " group by content_hash", [article_id]
                )
            }
        decision = decide(
            latest["content_hash"] if latest else None, new_hash, item.failure,
            earlier=earlier, unchanged=capture.unchanged,
        )
        version_id = self._apply_decision(article_id, decision, latest, capture, extraction, new_hash)
        if decision.outcome is Outcome.NEW:
            templates.learn(self.db, source, raw_text, extraction.title, capture.fetched_at)
        self._insert_capture(article_id, version_id, capture, decision.reason if decision.outcome is Outcome.FAILED else None)
        if decision.outcome not in (Outcome.UNCHANGED, Outcome.FAILED):
            latest = None  # a new version moved the last change: read it again
        self._touch_article(article_id, decision, capture, latest)
        return decision

    def changes_content(self, article_id: int, extraction: Extraction) -> bool:
        """Whether storing ``extraction`` would make a new version (the decision :meth:`record_capture` takes)."""
        latest = self.latest_version(article_id, _LATEST_COLUMNS)
        if latest is None:
            return True
        source = self._source_of(article_id)
        filtered = replace(extraction, text=templates.without_boilerplate(
            self.db, source, extraction.text, extraction.title))
        new_hash = content_hash(filtered)
        return new_hash != latest["content_hash"] and not self._same_content(latest["id"], source, new_hash)

    def _source_of(self, article_id: int) -> str | None:
        row = self.db.execute("select source from articles where id = ?", [article_id]).fetchone()
        return row[0] if row else None  # no such article: the capture's insert reports it

    def _same_content(self, version_id: int, source: str, new_hash: str) -> bool:
        """Whether a stored version, filtered with the source's boilerplate as known now, has ``new_hash``:
        a line learned since it was stored is no edit (see :mod:`archive.templates`)."""
        title, text = self.db.execute("select title, text from versions where id = ?", [version_id]).fetchone()
        filtered = templates.without_boilerplate(self.db, source, text or "", title)
        return filtered != text and content_hash(Extraction(text=filtered, title=title)) == new_hash

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
        extraction = self._without_sitewide_update(article_id, extraction)
        number = latest["version"] + 1 if latest else 1
        row = {
            "article_id": article_id,
            "version": number,
            "content_hash": new_hash,
            "first_seen_at": capture.fetched_at,
            "last_seen_at": capture.fetched_at,
            "reverts_to": decision.reverts_to,
            **extraction.as_row(),
        }
        version_id = self._insert("versions", row)
        self.db.execute(
            "update articles set latest_version = ?, versions = ? where id = ?",
            [number, number, article_id],
        )
        return version_id

    def _without_sitewide_update(self, article_id: int, extraction: Extraction) -> Extraction:
        """Drop a "last update" the source's other pages show too (see :mod:`archive.sitewide`)."""
        if not extraction.modified_at:
            return extraction
        shared = sitewide.sitewide_update(
            self.db, article_id, extraction.modified_at, extraction.modified_source, extraction.modified_precision
        )
        if shared is None:
            return extraction
        sitewide.record(self.db, article_id, extraction.modified_at, shared, now_iso())
        return replace(extraction, modified_at=None, modified_source=None, modified_precision=None, modified_offset=None)

    def record_capture_without_article(self, capture: Capture, error: str | None = None) -> int:
        """Store a fetch that belongs to no article (an imported page that is no article, a stylesheet, an
        image…) in its own write unit: its body once by digest, its URL and headers in full; return its id."""
        with write_unit(self.db):
            return self._insert_capture(None, None, capture, error)

    def _insert_capture(self, article_id: int | None, version_id: int | None, capture: Capture, error: str | None) -> int:
        body = capture.body
        digest = capture.body_hash or (codec.body_hash(body) if body is not None else None)
        stored, body_codec, body_base = None, None, None
        if body is not None and not self._body_stored(digest):
            stored, body_codec, body_base = self._compressed(article_id, body)
        url, headers, base = capture.url, header_patch.dumps(capture.headers), None
        if stored is None and article_id is not None:  # a check (304, same bytes) or a failure: keep what
            url, headers, base = self._against_base(article_id, capture, headers)  # differs from the last full capture
        return self._insert(
            "captures",
            {
                "article_id": article_id,
                "version_id": version_id,
                "url": url,
                "fetched_at": capture.fetched_at,
                "status": capture.status,
                "headers": headers,
                "headers_base": base,
                "body": stored,
                "body_codec": body_codec,
                "body_base": body_base,
                "body_hash": digest,
                "error": error,
            }
        )

    def _compressed(self, article_id: int | None, raw: bytes) -> tuple[bytes, str, int | None]:
        """(body, body_codec, body_base) to store: a delta against the article's latest body stored whole
        when the delta is at most half that body's size (a redesigned page is stored whole, and becomes
        the base of the next ones), else the body whole. A base is never a delta: one lookup decodes any body."""
        row = self.db.execute(  # the codec as a literal, so that SQLite uses the partial index captures_whole_bodies
            f"select id, body from captures where article_id = ? and body_codec = '{codec.CODEC}'"
            " order by id desc limit 1",
            [article_id],
        ).fetchone()
        if row is not None:
            delta = codec.compress_against(raw, codec.decompress(row[1]))
            if 2 * len(delta) <= len(row[1]):
                return delta, codec.DELTA_CODEC, row[0]
        return codec.compress(raw), codec.CODEC, None

    def _against_base(self, article_id: int, capture: Capture, full: str) -> tuple[str | None, str, int | None]:
        """(url, headers, headers_base) to store: a merge patch on the article's latest response stored in full, no
        URL when it is the base's, if that is shorter than the headers in full (see ``captures_full``)."""
        row = self.db.execute(
            "select id, url, headers from captures where article_id = ? and headers_base is null"
            " and status is not null order by id desc limit 1",
            [article_id],
        ).fetchone()
        if row is None:
            return capture.url, full, None
        patch = header_patch.dumps(header_patch.merge_patch(json.loads(row[2] or "{}"), capture.headers))
        if len(patch) >= len(full):
            return capture.url, full, None
        return (None if capture.url == row[1] else capture.url), patch, row[0]

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

    def _touch_article(
        self, article_id: int, decision: Decision, capture: Capture, latest: dict[str, Any] | None = None
    ) -> None:
        """Last check, validators, gone state and the next check (the ladder) after one capture."""
        article = self.article(article_id)
        checked = capture.fetched_at
        if decision.outcome is Outcome.FAILED:
            missing = article["missing_checks"] + 1 if decision.reason in GONE_REASONS else 0
            gone_at = article["gone_at"] or (checked if missing >= GONE_AFTER else None)
            status = "gone" if gone_at else ("failed" if article["versions"] == 0 else article["status"])
            next_at = None if gone_at else self._next_check(article, checked, latest)
            if capture.retry_at and not gone_at:  # the server said when to come back (Retry-After)
                next_at = max(next_at or capture.retry_at, capture.retry_at)
            self.db.execute(
                "update articles set last_checked_at = ?, last_error = ?, status = ?, missing_checks = ?,"
                " gone_at = ?, next_check_at = ? where id = ?",
                [checked, decision.reason, status, missing, gone_at, next_at, article_id],
            )
            return
        headers = {name.lower(): value for name, value in capture.headers.items()}
        fresh = decision.reason is None and capture.status == 200
        self.db.execute(
            "update articles set last_checked_at = ?, last_error = null, status = 'archived', missing_checks = 0,"
            " gone_at = null, next_check_at = ?, etag = case when ? then ? else etag end,"
            " last_modified = case when ? then ? else last_modified end,"
            " fetch_url = case when ? then ? else fetch_url end where id = ?",
            [checked, self._next_check(article, checked, latest), fresh, headers.get("etag"),
             fresh, headers.get("last-modified"), self._fetched_here(article, capture), capture.url, article_id],
        )

    def _next_check(self, article: dict[str, Any], checked: str, latest: dict[str, Any] | None = None) -> str | None:
        if self.scheduled_sources is not None and article["source"] not in self.scheduled_sources:
            return None  # no crawl would honour it
        latest = latest or self.latest_version(article["id"], _LATEST_COLUMNS)
        last_change = latest["first_seen_at"] if latest else article["first_seen_at"]
        ladder = self.ladders.get(article["source"], DEFAULT_LADDER)
        moment = next_check(parse_iso(last_change), parse_iso(checked), ladder)
        return iso(moment) if moment else None

    @staticmethod
    def _fetched_here(article: dict[str, Any], capture: Capture) -> bool:
        """Whether ``capture``'s URL is where the article is fetched from now on: it answered 200 for the
        article itself (its first fetch, its own URL, or where its fetch URL redirects), not for another page
        that named it as canonical."""
        if capture.status != 200:
            return False
        current = article.get("fetch_url")
        redirected_from = {url for url, kind in capture.aliases if kind == "redirect"}
        return current is None or capture.url in (article["url"], current) or current in redirected_from

    def capture_body(self, capture_id: int) -> bytes | None:
        """The raw body of a capture (following ``body_hash`` when it was stored on an earlier capture, and
        ``body_base`` when it was stored as a delta)."""
        row = self.db.execute(
            "select c2.body, c2.body_codec, b.body from captures c1 join captures c2 on c2.body_hash = c1.body_hash"
            " left join captures b on b.id = c2.body_base where c1.id = ? and c2.body is not null limit 1",
            [capture_id],
        ).fetchone()
        if row is None:
            return None
        body, body_codec, base = row
        if body_codec == codec.DELTA_CODEC:
            return codec.decompress_against(body, codec.decompress(base))
        return codec.decompress(body)
