"""Edits across the archive, newest first: what `newsarchive changes`, the web view's recent changes and the Atom
feeds of changes all read.

An *edit* is a version after an article's first: the article's title or text changed since the version before.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import sqlite_utils

from .queries import article_pages, version_window
from .worddiff import FIELD_LABELS, FIELDS, WordDiff, changes


_COLUMNS = ", ".join(
    ["v.id", "v.article_id", "a.url", "a.source", "v.version", "v.first_seen_at", "v.reverts_to", "v.content_hash",
     "v.text", "p.text as previous_text", "p.first_seen_at as previous_seen_at"]
    + [f"v.{name}" for name in FIELDS] + [f"p.{name} as previous_{name}" for name in FIELDS]
)
# Entry ids are UUIDs named by the edit itself (article URL, version, content), so every copy of an archive
# and every server it is served from gives an edit the same id.
ID_NAMESPACE = uuid.UUID("5b0c8e9e-3f5c-4c1e-9a55-6e6577736172")


@dataclass
class Edit:
    """One new version of an article, with the version before it."""

    version_id: int
    article_id: int
    url: str
    source: str
    version: int
    first_seen_at: str
    previous_seen_at: str
    reverts_to: int | None
    content_hash: str
    new: dict[str, Any] = field(repr=False)
    old: dict[str, Any] = field(repr=False)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Edit:
        """An edit from one row of :func:`recent_edits`' query."""
        new = {name: row[name] for name in (*FIELDS, "text")}
        old = {name: row[f"previous_{name}"] for name in (*FIELDS, "text")}
        return cls(row["id"], row["article_id"], row["url"], row["source"], row["version"], row["first_seen_at"],
                   row["previous_seen_at"], row["reverts_to"], row["content_hash"], new, old)

    @property
    def previous_version(self) -> int:
        return self.version - 1

    @property
    def title(self) -> str:
        return self.new["title"] or self.old["title"] or self.url

    @cached_property
    def diff(self) -> WordDiff:
        """The word diff of the text (made on first use: it is the costly part of an edit)."""
        return WordDiff(self.old["text"], self.new["text"])

    @property
    def words_added(self) -> int:
        return self.diff.counts[0]

    @property
    def words_removed(self) -> int:
        return self.diff.counts[1]

    @property
    def changed_fields(self) -> list[str]:
        """The compared fields (title, author, published_at, modified_at) whose value changed."""
        return [name for name in FIELDS if self.old[name] != self.new[name]]

    @property
    def entry_id(self) -> str:
        """A stable Atom entry id: ``urn:uuid:`` named by the article URL, version number and content hash."""
        return uuid.uuid5(ID_NAMESPACE, f"{self.url}\n{self.version}\n{self.content_hash}").urn

    @property
    def changed_labels(self) -> list[str]:
        """:attr:`changed_fields` as people read them (``publication date``, ``declared update``)."""
        return [FIELD_LABELS[name] for name in self.changed_fields]

    def summary(self) -> str:
        """What changed, in a few words: ``title changed; +12 −3 words; reverts to v1``."""
        parts = [f"{label} changed" for label in self.changed_labels]
        added, removed = self.diff.counts
        if added or removed:
            parts.append(f"+{added} −{removed} words")
        elif not parts:
            parts.append("text spacing changed")
        if self.reverts_to:
            parts.append(f"reverts to v{self.reverts_to}")
        return "; ".join(parts)

    def record(self) -> dict[str, Any]:
        """The edit as plain data (`newsarchive changes --json`): who, when, what changed, and the changes
        themselves as `newsarchive diff --json` lists them."""
        return {
            "url": self.url,
            "source": self.source,
            "version": self.version,
            "previous_version": self.previous_version,
            "first_seen_at": self.first_seen_at,
            "previous_seen_at": self.previous_seen_at,
            "title": self.new["title"],
            "previous_title": self.old["title"],
            "changed_fields": self.changed_fields,
            "words_added": self.words_added,
            "words_removed": self.words_removed,
            "reverts_to": self.reverts_to,
            "summary": self.summary(),
            "id": self.entry_id,
            "changes": [asdict(change) for change in changes(self.old, self.new, self.diff)],
        }


def recent_edits(
    db: sqlite_utils.Database,
    *,
    sources: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    article_id: int | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list[Edit]:
    """Edits newest first (by the time the new version was first seen), at most ``limit``.

    ``sources``, ``since`` (inclusive) and ``until`` (exclusive) select as in ``search``; ``article_id`` one
    article's edits; ``before`` pages on: only edits older than the edit of that version id. Pages that are
    not articles (home pages, feeds) are left out. Walks the partial index ``versions_edits`` (migration 0013)
    newest first, so a page of edits costs the same on a large archive as on a small one.
    """
    where, params = version_window((), since, until)
    where += ["v.version > 1", article_pages("a")]
    if sources:  # `+`: walk versions_edits and skip other sources; the source index would sort all of theirs
        where.append(f"+a.source in ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    if article_id is not None:
        where.append("v.article_id = ?")
        params.append(article_id)
    if before is not None:
        where.append("(v.first_seen_at, v.id) < (select first_seen_at, id from versions where id = ?)")
        params.append(before)
    sql = (
        f"select {_COLUMNS} from versions v"
        " join versions p on p.article_id = v.article_id and p.version = v.version - 1"
        " join articles a on a.id = v.article_id"
        f" where {' and '.join(where)} order by v.first_seen_at desc, v.id desc limit ?"
    )
    return [Edit.from_row(row) for row in db.query(sql, [*params, limit])]


def edits_tag(edits: Sequence[Edit], scope: str) -> str:
    """A strong ETag for a list of edits served under ``scope`` (the feed's filters): it changes when an edit
    is added, dropped or re-extracted, and only then."""
    digest = hashlib.sha256(scope.encode())
    for edit in edits:
        digest.update(f"\n{edit.version_id}:{edit.content_hash}".encode())
    return f'"{digest.hexdigest()[:32]}"'
